"""Who is told what: in-app notifications and e-mails, sent only after the change committed.

Recipients are filtered to those who may see the object; the actor is never told of their
own action. E-mail goes out through a background task (retried on failure) or, by the
user's choice, in the daily digest (`manage.py send_digests`).
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .models import Notification, NotificationPreference

Kind = Notification.Kind
DEFAULT_EMAIL = NotificationPreference.Email.IMMEDIATE


def preferences_for(user_ids: Iterable[int], kind: str) -> dict[int, tuple[bool, str]]:
    """(in_app, email) per user for one kind; users without a row get the defaults."""
    found = {
        p.user_id: (p.in_app, p.email)
        for p in NotificationPreference.objects.filter(user_id__in=list(user_ids), kind=kind)
    }
    return {pk: found.get(pk, (True, DEFAULT_EMAIL)) for pk in user_ids}


def notify(
    *,
    kind: str,
    recipients: Iterable[User | None],
    title: str,
    url: str,
    actor: User | None = None,
    may_see=None,
) -> None:
    """Tell ``recipients`` (those ``may_see(user)`` allows) once the transaction commits."""
    ids = {
        user.pk
        for user in recipients
        if user is not None
        and user.is_active
        and (actor is None or user.pk != actor.pk)
        and (may_see is None or may_see(user))
    }
    if ids:
        transaction.on_commit(lambda: deliver(kind=kind, user_ids=ids, title=title, url=url))


def deliver(*, kind: str, user_ids: set[int], title: str, url: str) -> list[Notification]:
    from .tasks import send_notification_email

    created = []
    for user_id, (in_app, email) in preferences_for(user_ids, kind).items():
        if not in_app and email == NotificationPreference.Email.OFF:
            continue
        notification = Notification.objects.create(
            recipient_id=user_id,
            kind=kind,
            title=title[:300],
            url=url[:500],
            show_in_app=in_app,
            # Nothing to send: mark it so that the digest passes it over.
            emailed_at=timezone.now() if email == NotificationPreference.Email.OFF else None,
        )
        created.append(notification)
        if email == NotificationPreference.Email.IMMEDIATE:
            send_notification_email.enqueue(notification.pk)
    return created


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(
        recipient=user, read_at__isnull=True, show_in_app=True
    ).count()
