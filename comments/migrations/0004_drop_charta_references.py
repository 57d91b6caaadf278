from django.db import migrations, models


class Migration(migrations.Migration):
    """The comments no longer point at charta rows: the copied scope and revision number
    replace the references."""

    dependencies = [
        ("comments", "0003_scope_and_revision_numbers"),
    ]

    operations = [
        migrations.RemoveField(model_name="comment", name="revision_ref"),
        migrations.RemoveField(model_name="comment", name="action_field"),
        migrations.AlterField(
            model_name="comment",
            name="scope",
            field=models.PositiveIntegerField(db_index=True, verbose_name="Bereich"),
        ),
    ]
