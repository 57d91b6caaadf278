"""What must survive a migration, read from a database of either layout of the apps.

Run with ``manage.py shell -c "exec(open('bin/migration_facts.py').read())"`` in a checkout of
the old or the new code: prints JSON with the row count of every table, the object and group
permissions, the content types and every comment's anchor, all under the names of the new
layout, so that the two prints can be compared as they are.
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


json.dump(
    {
        "counts": counts(),
        "content_types": content_types(),
        "permissions": permissions(),
        "anchors": anchors(),
    },
    sys.stdout,
    indent=1,
    sort_keys=True,
)
