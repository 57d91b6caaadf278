from django.db import migrations

ACTION_FIELDS = [
    (
        1,
        "industriepolitik",
        "Industriepolitik",
        "Rahmenbedingungen für Industrie und Zulieferer der Automobilregion Südwestsachsen.",
    ),
    (
        2,
        "innovation-und-technologietransformation",
        "Innovation und Technologietransformation",
        "Neue Technologien, Wissenstransfer und Wertschöpfungsketten im Wandel.",
    ),
    (
        3,
        "arbeit-und-beschaeftigung",
        "Arbeit und Beschäftigung",
        "Gute Arbeit und sichere Beschäftigung während der Transformation.",
    ),
    (
        4,
        "qualifizierung-und-weiterbildung",
        "Qualifizierung und Weiterbildung",
        "Kompetenzen für die Automobilproduktion von morgen.",
    ),
    (
        5,
        "regionales-mindset-resiliente-gesellschaft",
        "Regionales Mindset / resiliente Gesellschaft",
        "Veränderungsbereitschaft und Zusammenhalt in der Region.",
    ),
]


def seed(apps, schema_editor):
    ActionField = apps.get_model("charta", "ActionField")
    for number, slug, title, summary in ACTION_FIELDS:
        ActionField.objects.update_or_create(
            slug=slug, defaults={"number": number, "title": title, "summary": summary}
        )


def unseed(apps, schema_editor):
    ActionField = apps.get_model("charta", "ActionField")
    ActionField.objects.filter(slug__in=[slug for _n, slug, _t, _s in ACTION_FIELDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("charta", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
