from django.db import migrations
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
    """Copy the Handlungsfeld into the scope and the anchored revision's number; give the
    moved models' content types the new app label. Rows only: no table changes here, so that
    PostgreSQL never alters a table with pending updates in the same transaction."""

    dependencies = [
        ("accounts", "0003_user_is_anonymised"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("charta", "0007_comments_and_notifications_move_out"),
        ("comments", "0002_own_tables"),
        ("guardian", "0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more"),
    ]

    operations = [
        migrations.RunPython(copy_scope_and_revision, copy_back),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
