"""Tell the coordinators about status reports nobody acknowledged in time, once per report."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from measures.services import acknowledgements_escalate


class Command(BaseCommand):
    help = (
        "Notify the coordinators of status reports not acknowledged within N days (default: "
        "the ACKNOWLEDGEMENT_ESCALATION_DAYS setting). Once per report; safe to run from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Unbestätigt seit N Tagen.")

    def handle(self, *args, days: int | None, **options):
        count = acknowledgements_escalate(days=days)
        self.stdout.write(_("%(count)s unbestätigte Berichte gemeldet.") % {"count": count})
