from django.db import migrations, models


class Migration(migrations.Migration):
    """The comments get their own tables, and columns for a plain scope number and the number
    of the anchored revision next to the charta references they replace."""

    dependencies = [
        ("charta", "0007_comments_and_notifications_move_out"),
        ("comments", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="comment", table=None),
        migrations.AlterModelTable(name="commentedit", table=None),
        migrations.AlterModelTable(name="commentreport", table=None),
        migrations.RenameIndex(
            model_name="comment",
            new_name="comments_co_content_7dda54_idx",
            old_name="charta_comm_content_00cc6d_idx",
        ),
        migrations.RenameField(model_name="comment", old_name="revision", new_name="revision_ref"),
        migrations.AddField(
            model_name="comment",
            name="scope",
            field=models.PositiveIntegerField(null=True, verbose_name="Bereich"),
        ),
        migrations.AddField(
            model_name="comment",
            name="revision",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="Revision"),
        ),
        migrations.RemoveConstraint(
            model_name="commentreport", name="charta_commentreport_once_per_user"
        ),
        migrations.AddConstraint(
            model_name="commentreport",
            constraint=models.UniqueConstraint(
                fields=("comment", "reporter"), name="comments_report_once_per_user"
            ),
        ),
    ]
