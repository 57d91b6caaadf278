"""Reads of comments for a given user, filtered by permission and already joined."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from . import permissions
from .models import Comment


def comments_on(target: models.Model) -> QuerySet[Comment]:
    return Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(type(target)), object_id=target.pk
    )


def open_comment_count(target: models.Model) -> int:
    """Open, visible comments on ``target`` (what a reviewer must settle before approving)."""
    return comments_on(target).filter(state=Comment.State.OPEN, is_hidden=False).count()


def comment_threads(user, target: models.Model) -> list[Comment]:
    """Visible comments on ``target`` as threads: top-level comments, each with ``thread``
    (its replies, oldest first) and what the user may do with it. One query."""
    if not user.is_authenticated:
        return []
    comments = list(
        permissions.comments_visible_to(user)
        .filter(content_type=ContentType.objects.get_for_model(type(target)), object_id=target.pk)
        .select_related("author", "resolved_by")
        .order_by("created_at", "id")
    )
    by_id = {comment.pk: comment for comment in comments}
    roots = []
    for comment in comments:
        comment.thread = []
        comment.may_resolve = permissions.can_resolve_comment(user, comment)
        comment.may_edit = permissions.can_edit_comment(user, comment)
        comment.may_moderate = permissions.can_moderate(user, comment.scope)
    for comment in comments:
        parent = by_id.get(comment.parent_id)
        # Replies to replies are shown in the thread of their top-level comment.
        while parent is not None and parent.parent_id in by_id:
            parent = by_id[parent.parent_id]
        (parent.thread if parent is not None else roots).append(comment)
    return roots


def flatten(threads: list[Comment]):
    for comment in threads:
        yield comment
        yield from comment.thread
