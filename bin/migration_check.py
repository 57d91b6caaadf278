"""The migration check's two steps, for a database of either layout of the apps.

Run in a checkout of the old or the new code with
``manage.py shell -v 0 -c "STEP = 'seed'; exec(open('bin/migration_check.py').read())"``:

- ``seed``: add the rows the demo data lacks (see ``seed``);
- ``facts``: print JSON with the row count of every table, the object and group permissions,
  the content types and every comment's anchor, all under the names of the new layout, so
  that the prints before and after a migration can be compared as they are.
"""

import hashlib
import json
import sys

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

# Models that moved to another app: old label → new label.
MOVED = {
    "charta.comment": "comments.comment",
    "charta.commentedit": "comments.commentedit",
    "charta.commentreport": "comments.commentreport",
    "charta.notification": "notifications.notification",
    "charta.notificationpreference": "notifications.notificationpreference",
}
VOLATILE = {"sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}


def label(app_label: str, model: str) -> str:
    name = f"{app_label}.{model}".lower()
    return MOVED.get(name, name)


def model(*labels):
    for candidate in labels:
        try:
            return apps.get_model(candidate)
        except LookupError:
            continue
    raise LookupError(labels)


def counts() -> dict:
    return {
        label(m._meta.app_label, m._meta.model_name): m._default_manager.count()
        for m in apps.get_models()
        if m._meta.managed
        and not m._meta.proxy
        and m._meta.app_label != "django_tasks_database"
        and label(m._meta.app_label, m._meta.model_name) not in VOLATILE
    }


def content_types() -> list:
    return sorted([ct.pk, label(ct.app_label, ct.model)] for ct in ContentType.objects.all())


def permissions() -> dict:
    def perm(p: Permission) -> str:
        return f"{label(p.content_type.app_label, p.content_type.model)}:{p.codename}"

    rows = []
    for m in apps.get_models():
        fields = {f.name for f in m._meta.get_fields()}
        if (
            not {"permission", "content_object"} <= fields
            and not {
                "permission",
                "object_pk",
            }
            <= fields
        ):
            continue
        grantee = "user" if "user" in fields else "group"
        for row in m._default_manager.select_related("permission__content_type", grantee):
            who = getattr(row, grantee)
            obj = row.content_object_id if "content_object" in fields else row.object_pk
            name = who.get_username() if grantee == "user" else who.name
            rows.append([grantee, name, perm(row.permission), str(obj)])
    groups = [
        [group.name, perm(p)]
        for group in Group.objects.prefetch_related("permissions__content_type")
        for p in group.permissions.all()
    ]
    User = model("accounts.User")
    memberships = [
        [user.username, group.name]
        for user in User.objects.prefetch_related("groups")
        for group in user.groups.all()
    ]
    return {
        "object_permissions": sorted(rows),
        "group_permissions": sorted(groups),
        "group_members": sorted(memberships),
    }


def anchors() -> list:
    Comment = model("comments.Comment", "charta.Comment")
    Revision = model("charta.Revision")
    numbers = dict(Revision.objects.values_list("pk", "number"))
    fields = {f.name for f in Comment._meta.get_fields()}
    rows = []
    for c in Comment.objects.select_related("content_type").order_by("pk"):
        if "scope" in fields:
            scope, revision = c.scope, c.revision
        else:
            scope, revision = c.action_field_id, numbers.get(c.revision_id)
        rows.append(
            [
                c.pk,
                label(c.content_type.app_label, c.content_type.model),
                c.object_id,
                scope,
                revision,
                c.paragraph,
                hashlib.sha256(c.paragraph_text.encode()).hexdigest()[:16],
                c.anchor_status,
                c.parent_id,
                c.author_id,
                c.state,
                c.is_hidden,
                hashlib.sha256(c.body.encode()).hexdigest()[:16],
            ]
        )
    return rows


def seed() -> None:
    """Rows the demo data lacks, so that the check sees every kind of row: a reported, an
    edited and a hidden comment, a paragraph comment with its anchor, a goal comment and a
    notification setting. Only models and the ORM: the services' names differ between the
    layouts."""
    User = model("accounts.User")
    Comment = model("comments.Comment", "charta.Comment")
    CommentReport = model("comments.CommentReport", "charta.CommentReport")
    CommentEdit = model("comments.CommentEdit", "charta.CommentEdit")
    Preference = model("notifications.NotificationPreference", "charta.NotificationPreference")
    Section = model("charta.Section")
    Goal = model("measures.Goal")

    partner = User.objects.get(username="partner")
    coordinator = User.objects.get(username="koordination")
    comments = list(Comment.objects.order_by("pk")[:2])
    CommentReport.objects.get_or_create(
        comment=comments[0], reporter=partner, defaults={"reason": "Ton"}
    )
    CommentEdit.objects.get_or_create(comment=comments[0], defaults={"body": "Erste Fassung"})
    Comment.objects.filter(pk=comments[1].pk).update(
        is_hidden=True, hidden_reason="Werbung", hidden_by=coordinator
    )
    Preference.objects.get_or_create(
        user=partner, kind="reply", defaults={"in_app": True, "email": "daily"}
    )
    section = Section.objects.filter(current_revision__isnull=False).order_by("pk").first()
    revision = section.current_revision
    anchor, text = revision.paragraphs[-1]
    fields = {f.name for f in Comment._meta.get_fields()}
    extra = (
        {"scope": section.action_field_id, "revision": revision.number}
        if "scope" in fields
        else {
            "action_field_id": section.action_field_id,
            "revision": revision,
        }
    )
    Comment.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(Section),
        object_id=section.pk,
        paragraph=anchor,
        defaults={
            "paragraph_text": text,
            "anchor_status": "current",
            "body": "Zu diesem Absatz",
            "body_html": "<p>Zu diesem Absatz</p>",
            "author": partner,
            **extra,
        },
    )
    goal = Goal.objects.order_by("pk").first()
    extra = (
        {"scope": goal.action_field_id}
        if "scope" in fields
        else {"action_field_id": goal.action_field_id}
    )
    Comment.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(Goal),
        object_id=goal.pk,
        defaults={"body": "Zum Ziel", "body_html": "<p>Zum Ziel</p>", "author": partner, **extra},
    )


def facts() -> dict:
    return {
        "counts": counts(),
        "content_types": content_types(),
        "permissions": permissions(),
        "anchors": anchors(),
    }


if STEP == "seed":  # noqa: F821  (set by the caller, see above)
    seed()
else:
    json.dump(facts(), sys.stdout, indent=1, sort_keys=True)
