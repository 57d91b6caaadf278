"""Rows the demo data lacks, so that a migration check sees every kind of row: a reported and
a hidden comment, a paragraph comment with its anchor, a notification setting, a goal comment
and an object permission held by a working group.

Run with ``manage.py shell -c "exec(open(path).read())"`` against a database with the demo
data, in a checkout of the old layout (only models and the ORM are used, no services, because
their names change between the layouts).
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType


def model(*labels):
    for candidate in labels:
        try:
            return apps.get_model(candidate)
        except LookupError:
            continue
    raise LookupError(labels)


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
print("seeded")
