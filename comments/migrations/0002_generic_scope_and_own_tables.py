from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery

MODELS = ("comment", "commentedit", "commentreport")


def copy_scope_and_revision(apps, schema_editor):
    """The Handlungsfeld becomes the comment's scope; the anchored revision its number."""
    Comment = apps.get_model("comments", "Comment")
    Revision = apps.get_model("charta", "Revision")
    Comment.objects.update(scope=F("action_field_id"))
    Comment.objects.filter(revision_ref__isnull=False).update(
        revision=Subquery(Revision.objects.filter(pk=OuterRef("revision_ref")).values("number")[:1])
    )


def copy_back(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    Revision = apps.get_model("charta", "Revision")
    Comment.objects.update(action_field_id=F("scope"))
    Comment.objects.filter(revision__isnull=False).update(
        revision_ref=Subquery(
            Revision.objects.filter(
                number=OuterRef("revision"), section_id=OuterRef("object_id")
            ).values("pk")[:1]
        )
    )


def _move_content_types(apps, source: str, destination: str) -> None:
    """Give the moved models' content types the new app label, so that permissions, generic
    references and object permissions keep pointing at them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    UserObjectPermission = apps.get_model("guardian", "UserObjectPermission")
    GroupObjectPermission = apps.get_model("guardian", "GroupObjectPermission")
    for model in MODELS:
        old = ContentType.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.filter(app_label=destination, model=model).first()
        if new is None:
            old.app_label = destination
            old.save(update_fields=["app_label"])
            continue
        # Both exist (a run of post_migrate in between): keep the new one, move what
        # pointed at the old one over to it.
        taken = set(Permission.objects.filter(content_type=new).values_list("codename", flat=True))
        Permission.objects.filter(content_type=old).exclude(codename__in=taken).update(
            content_type=new
        )
        for permission_model in (UserObjectPermission, GroupObjectPermission):
            permission_model.objects.filter(content_type=old).update(content_type=new)
        old.delete()


def move_content_types(apps, schema_editor):
    _move_content_types(apps, "charta", "comments")
    AuditEntry = apps.get_model("accounts", "AuditEntry")
    AuditEntry.objects.filter(object_type="charta.Comment").update(object_type="comments.Comment")


def move_content_types_back(apps, schema_editor):
    _move_content_types(apps, "comments", "charta")
    AuditEntry = apps.get_model("accounts", "AuditEntry")
    AuditEntry.objects.filter(object_type="comments.Comment").update(object_type="charta.Comment")


class Migration(migrations.Migration):
    """The comments get their own tables and no longer point at charta rows: the Handlungsfeld
    becomes a plain scope number, the anchored revision its number. No row is lost."""

    dependencies = [
        ("accounts", "0003_user_is_anonymised"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("charta", "0006_comments_and_notifications_move_out"),
        ("comments", "0001_initial"),
        ("guardian", "0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more"),
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
        migrations.RunPython(copy_scope_and_revision, copy_back),
        migrations.RemoveField(model_name="comment", name="revision_ref"),
        migrations.RemoveField(model_name="comment", name="action_field"),
        migrations.AlterField(
            model_name="comment",
            name="scope",
            field=models.PositiveIntegerField(db_index=True, verbose_name="Bereich"),
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
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
