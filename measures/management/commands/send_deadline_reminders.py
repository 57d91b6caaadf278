"""Remind the reporters of measures due soon or overdue, once per measure and week."""

import datetime

from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from charta import notifications
from measures import selectors
from measures.models import Measure, ReminderLog
from measures.workflow import FINISHED_STATUSES


class Command(BaseCommand):
    help = (
        "E-mail the responsible users and working groups of measures due within N days or "
        "overdue. Once per measure per calendar week; safe to run from cron repeatedly."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=14, help="Frist in höchstens N Tagen.")

    def handle(self, *args, days: int, **options):
        today = selectors.today()
        year, week, _weekday = today.isocalendar()
        period = f"{year}-W{week:02d}"
        due = (
            Measure.objects.filter(deadline__lte=today + datetime.timedelta(days=days))
            .exclude(status__in=FINISHED_STATUSES)
            .select_related("working_group__group")
            .prefetch_related("responsible")
            .order_by("deadline", "id")
        )
        sent = 0
        for measure in due:
            try:
                with transaction.atomic():
                    ReminderLog.objects.create(measure=measure, period=period)
                    members = (
                        list(User.objects.filter(groups=measure.working_group.group))
                        if measure.working_group
                        else []
                    )
                    overdue = measure.deadline < today
                    notifications.notify(
                        kind=notifications.Kind.DEADLINE,
                        recipients=[*measure.responsible.all(), *members],
                        title=(
                            _("Überfällig seit %(date)s: „%(title)s“")
                            if overdue
                            else _("Frist am %(date)s: „%(title)s“")
                        )
                        % {"date": measure.deadline.strftime("%d.%m.%Y"), "title": measure.title},
                        url=measure.get_absolute_url(),
                    )
                sent += 1
            except IntegrityError:
                continue  # reminded in this period already (or by a concurrent run)
        self.stdout.write(_("%(count)s Erinnerungen verschickt.") % {"count": sent})
