"""E-mail each user the notifications they chose to receive as a daily digest."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from notifications.services import digests_send


class Command(BaseCommand):
    help = "Send the daily digest of notifications (safe to run repeatedly)."

    def handle(self, *args, **options):
        sent = digests_send()
        self.stdout.write(_("%(count)s Sammel-E-Mails versendet.") % {"count": sent})
