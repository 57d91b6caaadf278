"""Background tasks of accounts: e-mail (invitations, password resets), retried when the mail
server fails, so that a slow mail server never slows a request."""

import datetime
import logging

from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import default_task_backend, task

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


@task()
def send_account_mail(subject: str, body: str, to: str, attempt: int = 1) -> None:
    """Send one account e-mail; on failure try again later, up to MAX_ATTEMPTS times."""
    try:
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[to])
    except OSError as error:
        logger.warning("account mail failed (%s), attempt %s", error, attempt)
        if attempt < MAX_ATTEMPTS and default_task_backend.supports_defer:
            send_account_mail.using(
                run_after=timezone.now() + datetime.timedelta(minutes=5 * attempt)
            ).enqueue(subject, body, to, attempt + 1)
