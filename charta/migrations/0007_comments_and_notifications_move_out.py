from django.db import migrations


class Migration(migrations.Migration):
    """Comments and notifications now belong to their own apps (which took over the tables in
    their first migration); the charta app forgets them. No table changes here."""

    dependencies = [
        ("charta", "0006_preamble_summary_body_and_note_limits"),
        ("comments", "0001_initial"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="CommentEdit"),
                migrations.DeleteModel(name="CommentReport"),
                migrations.DeleteModel(name="Comment"),
                migrations.DeleteModel(name="NotificationPreference"),
                migrations.DeleteModel(name="Notification"),
            ],
        ),
    ]
