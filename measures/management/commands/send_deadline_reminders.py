"""Remind the reporters of measures due soon or overdue, once per measure and week."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from measures.services import deadline_reminders_send


class Command(BaseCommand):
    help = (
        "E-mail the responsible users and working groups of measures due within N days or "
        "overdue. Once per measure per calendar week; safe to run from cron repeatedly."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=14, help="Frist in höchstens N Tagen.")

    def handle(self, *args, days: int, **options):
        sent = deadline_reminders_send(days=days)
        self.stdout.write(_("%(count)s Erinnerungen verschickt.") % {"count": sent})
