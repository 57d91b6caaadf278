from django.db import migrations, models

MODELS = ("notification", "notificationpreference")


def _move_content_types(apps, source: str, destination: str) -> None:
    """Give the moved models' content types the new app label, so that their permissions
    keep pointing at them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model in MODELS:
        old = ContentType.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.filter(app_label=destination, model=model).first()
        if new is None:
            old.app_label = destination
            old.save(update_fields=["app_label"])
            continue
        taken = set(Permission.objects.filter(content_type=new).values_list("codename", flat=True))
        Permission.objects.filter(content_type=old).exclude(codename__in=taken).update(
            content_type=new
        )
        old.delete()


def move_content_types(apps, schema_editor):
    _move_content_types(apps, "charta", "notifications")


def move_content_types_back(apps, schema_editor):
    _move_content_types(apps, "notifications", "charta")


class Migration(migrations.Migration):
    """The notifications get their own tables; the kinds of notice are registered by the apps
    that send them instead of being fixed here. No row is lost."""

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("charta", "0007_comments_and_notifications_move_out"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="notification", table=None),
        migrations.AlterModelTable(name="notificationpreference", table=None),
        migrations.RenameIndex(
            model_name="notification",
            new_name="notificatio_recipie_564b1f_idx",
            old_name="charta_noti_recipie_58ccb8_idx",
        ),
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(max_length=20, verbose_name="Art"),
        ),
        migrations.AlterField(
            model_name="notificationpreference",
            name="kind",
            field=models.CharField(max_length=20),
        ),
        migrations.RemoveConstraint(
            model_name="notificationpreference", name="charta_notificationpref_unique"
        ),
        migrations.AddConstraint(
            model_name="notificationpreference",
            constraint=models.UniqueConstraint(
                fields=("user", "kind"), name="notifications_preference_unique"
            ),
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
