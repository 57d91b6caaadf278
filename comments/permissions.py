"""Who may do what with comments: the registered policy, applied to comments.

Every check about comments is here, and the services, views and API all call these.
"""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from .models import Comment
from .targets import policy

COMMENT_EDIT_WINDOW = datetime.timedelta(minutes=30)


def comments_visible_to(user) -> QuerySet[Comment]:
    """Comments are for those who may read the drafts of their scope (the consortium)."""
    return Comment.objects.filter(policy().read_filter(user, "scope"))


def can_read_comments(user, scope: int) -> bool:
    return policy().may_read(user, scope)


def can_comment(user, scope: int) -> bool:
    return policy().may_comment(user, scope)


def can_moderate(user, scope: int) -> bool:
    return policy().may_moderate(user, scope)


def can_resolve_comment(user, comment: Comment) -> bool:
    """The author, and those the policy names (editors, coordinators), resolve and reopen."""
    if not user.is_authenticated:
        return False
    return comment.author_id == user.pk or policy().may_resolve(user, comment.scope)


def can_edit_comment(user, comment: Comment) -> bool:
    """Authors correct their own comment for a while after writing it, unless it was hidden."""
    return (
        user.is_authenticated
        and comment.author_id == user.pk
        and not comment.is_hidden
        and timezone.now() - comment.created_at <= COMMENT_EDIT_WINDOW
    )


def can_report_comment(user, comment: Comment) -> bool:
    return user.is_authenticated and not comment.is_hidden
