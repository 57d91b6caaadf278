"""Background tasks: e-mail for notifications, retried when the mail server fails."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import default_task_backend, task

from .models import Notification

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def absolute_url(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url


@task()
def send_notification_email(notification_id: int, attempt: int = 1) -> None:
    """E-mail one notification; on failure try again later, up to MAX_ATTEMPTS times."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None or not notification.recipient.email:
            return
        try:
            send_mail(
                subject=f"[ITAS-Charta] {notification.title}",
                message=_(
                    "%(title)s\n\n%(url)s\n\nIhre Benachrichtigungen stellen Sie hier ein: "
                    "%(settings)s\n"
                )
                % {
                    "title": notification.title,
                    "url": absolute_url(notification.url),
                    "settings": absolute_url("/benachrichtigungen/einstellungen/"),
                },
                from_email=None,
                recipient_list=[notification.recipient.email],
            )
        except OSError as error:
            logger.warning(
                "notification %s: mail failed (%s), attempt %s", notification_id, error, attempt
            )
            if attempt < MAX_ATTEMPTS and default_task_backend.supports_defer:
                send_notification_email.using(
                    run_after=timezone.now() + datetime.timedelta(minutes=5 * attempt)
                ).enqueue(notification_id, attempt + 1)
            return
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
