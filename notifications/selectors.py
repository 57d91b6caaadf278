"""Reads of a person's notifications."""

from django.db.models import QuerySet

from accounts.models import User

from . import kinds
from .models import Follow, Notification, NotificationPreference

INBOX_SIZE = 100


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(
        recipient=user, read_at__isnull=True, show_in_app=True
    ).count()


def inbox(user) -> QuerySet[Notification]:
    """The newest entries of the user's inbox."""
    return Notification.objects.filter(recipient=user, show_in_app=True).order_by(
        "-created_at", "-id"
    )[:INBOX_SIZE]


def preferences(user) -> list[tuple[kinds.Kind, bool, str]]:
    """Every registered kind with the user's choice (in the inbox?, e-mail)."""
    current = {p.kind: p for p in NotificationPreference.objects.filter(user=user)}
    result = []
    for kind in kinds.all_kinds():
        pref = current.get(kind.code)
        result.append(
            (
                kind,
                pref.in_app if pref else True,
                pref.email if pref else NotificationPreference.Email.IMMEDIATE,
            )
        )
    return result


def followers(target: str):
    """The active people who follow the object ``target`` names."""
    return User.objects.filter(follows__target=target, is_active=True)


def is_following(user, target: str) -> bool:
    return user.is_authenticated and Follow.objects.filter(user=user, target=target).exists()
