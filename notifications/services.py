"""Everything that writes notifications: telling people, their settings, the digests.

Recipients are filtered to those who may see the object; the actor is never told of their
own action. Notices are written only after the change that caused them committed. E-mail goes
out through a background task (retried on failure) or, by the person's choice, in the daily
digest (``digests_send``).
"""

from collections.abc import Callable, Iterable

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import AuditEntry, User

from . import kinds
from .models import Follow, Notification, NotificationPreference
from .tasks import absolute_url, send_notification_email

DEFAULT_EMAIL = NotificationPreference.Email.IMMEDIATE


def preferences_for(user_ids: Iterable[int], kind: str) -> dict[int, tuple[bool, str]]:
    """(in_app, email) per user for one kind; users without a row get the defaults."""
    user_ids = list(user_ids)
    found = {
        p.user_id: (p.in_app, p.email)
        for p in NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind)
    }
    return {pk: found.get(pk, (True, DEFAULT_EMAIL)) for pk in user_ids}


def notify(
    *,
    kind: str,
    recipients: Iterable[User | None],
    title: str,
    url: str,
    actor: User | None = None,
    may_see: Callable[[User], bool] | None = None,
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
    """Write the inbox entries now and queue the immediate e-mails, by each person's settings."""
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


def notifications_mark_all_read(*, actor: User) -> int:
    """Mark every unread entry of the actor's inbox as read; returns how many."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    """Mark one of the actor's own entries as read (opening it does this)."""
    if notification.recipient_id != actor.pk:
        raise Notification.DoesNotExist
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def preferences_save(*, actor: User, choices: dict[str, tuple[bool, str]]) -> None:
    """Store the actor's choice per kind: ``{kind: (in_app, email)}``; audited."""
    known = {kind.code for kind in kinds.all_kinds()}
    with transaction.atomic():
        changed = {}
        for kind, (in_app, email) in choices.items():
            if kind not in known or email not in NotificationPreference.Email.values:
                continue
            NotificationPreference.objects.update_or_create(
                user=actor, kind=kind, defaults={"in_app": bool(in_app), "email": email}
            )
            changed[kind] = {"in_app": bool(in_app), "email": email}
        audit.record(
            actor=actor,
            action=AuditEntry.Action.PREFERENCES_SAVED,
            target=actor,
            details=changed,
        )


def digests_send() -> int:
    """E-mail each person the entries they chose to get once a day; returns how many mails.

    Safe to run repeatedly and concurrently: entries are locked and marked as sent together.
    """
    daily = NotificationPreference.objects.filter(
        email=NotificationPreference.Email.DAILY
    ).values_list("user_id", "kind")
    kinds_by_user: dict[int, set[str]] = {}
    for user_id, kind in daily:
        kinds_by_user.setdefault(user_id, set()).add(kind)
    sent = 0
    for user_id, user_kinds in kinds_by_user.items():
        with transaction.atomic():
            pending = list(
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient")
                .filter(recipient_id=user_id, kind__in=user_kinds, emailed_at__isnull=True)
                .order_by("created_at", "id")
            )
            if not pending or not pending[0].recipient.email:
                continue
            recipient = pending[0].recipient
            lines = [f"- {n.title}\n  {absolute_url(n.url)}" for n in pending]
            send_mail(
                subject=_("[ITAS-Charta] %(count)s Neuigkeiten") % {"count": len(pending)},
                message=_("Ihre Neuigkeiten der ITAS-Charta:\n\n") + "\n".join(lines) + "\n",
                from_email=None,
                recipient_list=[recipient.email],
            )
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
                emailed_at=timezone.now()
            )
            audit.record(
                actor=None,
                actor_name="system",
                action=AuditEntry.Action.DIGEST_SENT,
                target=recipient,
                details={"notifications": len(pending)},
            )
            sent += 1
    return sent


def follow_set(*, actor: User, target: str, follow: bool) -> bool:
    """Follow (or stop following) the object ``target`` names, e.g. ``section:12``. The
    caller has checked that the actor may see it. Returns whether the actor now follows."""
    if follow:
        Follow.objects.get_or_create(user=actor, target=target[:60])
    else:
        Follow.objects.filter(user=actor, target=target).delete()
    return follow
