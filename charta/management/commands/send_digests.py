"""E-mail each user the notifications they chose to receive as a daily digest."""

from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from charta.models import Notification, NotificationPreference
from charta.tasks import absolute_url


class Command(BaseCommand):
    help = "Send the daily digest of notifications (safe to run repeatedly)."

    def handle(self, *args, **options):
        daily = NotificationPreference.objects.filter(
            email=NotificationPreference.Email.DAILY
        ).values_list("user_id", "kind")
        kinds_by_user: dict[int, set[str]] = {}
        for user_id, kind in daily:
            kinds_by_user.setdefault(user_id, set()).add(kind)
        sent = 0
        for user_id, kinds in kinds_by_user.items():
            with transaction.atomic():
                pending = list(
                    Notification.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("recipient")
                    .filter(recipient_id=user_id, kind__in=kinds, emailed_at__isnull=True)
                    .order_by("created_at", "id")
                )
                if not pending or not pending[0].recipient.email:
                    continue
                lines = [f"- {n.title}\n  {absolute_url(n.url)}" for n in pending]
                send_mail(
                    subject=_("[ITAS-Charta] %(count)s Neuigkeiten") % {"count": len(pending)},
                    message=_("Ihre Neuigkeiten der ITAS-Charta:\n\n") + "\n".join(lines) + "\n",
                    from_email=None,
                    recipient_list=[pending[0].recipient.email],
                )
                Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
                    emailed_at=timezone.now()
                )
                sent += 1
        self.stdout.write(_("%(count)s Sammel-E-Mails versendet.") % {"count": sent})
