"""Reads of comments for a given user, filtered by permission and already joined."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Min, Prefetch, Q, QuerySet

from . import permissions
from .models import Comment, CommentReport


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


HIDDEN_LIST_SIZE = 50


def _moderated_scopes(user, comments: QuerySet[Comment]) -> list[int]:
    """The scopes among ``comments`` in which ``user`` moderates (one query; the policy's
    checks are cached per request)."""
    scopes = comments.order_by().values_list("scope", flat=True).distinct()
    return [scope for scope in scopes if permissions.can_moderate(user, scope)]


def moderation_queue(user) -> QuerySet[Comment]:
    """Reported comments not yet decided, in the scopes ``user`` moderates, oldest report
    first; each with ``open_reports`` (the undecided reports with their reporters) and
    ``target`` prefetched: a fixed number of queries however long the queue."""
    if not user.is_authenticated:
        return Comment.objects.none()
    undecided = CommentReport.objects.filter(decision__isnull=True)
    reported = Comment.objects.filter(pk__in=undecided.values("comment_id"))
    return (
        reported.filter(scope__in=_moderated_scopes(user, reported))
        .annotate(first_reported=Min("reports__created_at", filter=Q(reports__decision=None)))
        .select_related("author", "content_type")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=undecided.select_related("reporter").order_by("created_at", "id"),
                to_attr="open_reports",
            ),
            "target",
        )
        .order_by("first_reported", "id")
    )


def hidden_comments(user) -> QuerySet[Comment]:
    """The latest hidden comments in the scopes ``user`` moderates (to undo a hide)."""
    if not user.is_authenticated:
        return Comment.objects.none()
    hidden = Comment.objects.filter(is_hidden=True)
    return (
        hidden.filter(scope__in=_moderated_scopes(user, hidden))
        .select_related("author", "hidden_by", "content_type")
        .prefetch_related("target")
        .order_by("-id")[:HIDDEN_LIST_SIZE]
    )
