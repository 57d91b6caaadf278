"""Who may do what with comments: the registered policy, applied to comments.

Every check about comments is here, and the services, views and API all call these.
"""

import datetime
import enum

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


def can_moderate_anywhere(user) -> bool:
    """Whether ``user`` moderates comments in some scope: the moderation queue is theirs."""
    return user.is_authenticated and policy().moderates_anywhere(user)


def can_resolve_comment(user, comment: Comment) -> bool:
    """The author, and those the policy names (editors, coordinators), resolve and reopen."""
    if not user.is_authenticated:
        return False
    return comment.author_id == user.pk or policy().may_resolve(user, comment.scope)


class CommentEditRefusal(enum.Enum):
    """Why a comment may not be edited: the service turns each into its error."""

    NOT_THE_AUTHOR = "not_the_author"
    HIDDEN = "hidden"
    WINDOW_CLOSED = "window_closed"


def comment_edit_refusal(user, comment: Comment) -> CommentEditRefusal | None:
    """Authors correct their own comment for a while after writing it, unless a moderator hid
    it. None when ``user`` may edit ``comment`` now, else why not."""
    if not user.is_authenticated or comment.author_id != user.pk:
        return CommentEditRefusal.NOT_THE_AUTHOR
    if comment.is_hidden:
        return CommentEditRefusal.HIDDEN
    if timezone.now() - comment.created_at > COMMENT_EDIT_WINDOW:
        return CommentEditRefusal.WINDOW_CLOSED
    return None


def can_edit_comment(user, comment: Comment) -> bool:
    return comment_edit_refusal(user, comment) is None


def can_report_comment(user, comment: Comment) -> bool:
    return user.is_authenticated and not comment.is_hidden
