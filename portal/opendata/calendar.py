"""The deadlines of published measures as an iCalendar."""

import datetime
import logging

import icalendar
from django.http import HttpRequest
from django.utils.translation import gettext as _

from charta.models import ActionField
from core.validators import is_sane_date
from measures.models import Measure

from ..selectors import public_measures

logger = logging.getLogger(__name__)

CALENDAR_UID_DOMAIN = "itas-charta"


def measure_uid(measure: Measure) -> str:
    """The UID of a measure's deadline event: stable, so calendars update instead of adding."""
    return f"measure-{measure.pk}@{CALENDAR_UID_DOMAIN}"


def build_calendar(request: HttpRequest, action_field: ActionField | None = None) -> bytes:
    """An iCalendar of the deadlines of published measures: one all-day event per deadline."""
    if action_field is None:
        name = _("ITAS-Charta: Fristen der Maßnahmen")
    else:
        name = _("ITAS-Charta: Fristen – %(field)s") % {"field": action_field.title}
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//ITAS-Charta//Offene Daten//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    calendar.add("x-wr-caldesc", _("Fristen der veröffentlichten Maßnahmen der ITAS-Charta"))
    for measure in public_measures(action_field).filter(deadline__isnull=False):
        if not is_sane_date(measure.deadline):
            # Saved before dates were range-checked: no calendar can hold the day after
            # 9999-12-31, and one such row must not break the calendar of everybody.
            logger.warning(
                "Calendar skips measure %s: its deadline %s is out of range.",
                measure.pk,
                measure.deadline.isoformat(),
                extra={"measure": measure.pk},
            )
            continue
        lines = [
            _("Umsetzungsstand: %(status)s") % {"status": measure.get_status_display()},
            _("Fortschritt: %(progress)s %%") % {"progress": measure.progress},
        ]
        if measure.is_overdue:
            lines.append(_("Die Frist ist überschritten."))
        lines += [
            _("Handlungsfeld: %(field)s") % {"field": measure.goal.action_field.title},
            _("Ziel: %(goal)s") % {"goal": measure.goal.title},
            _("Federführend: %(owner)s") % {"owner": measure.owner.name},
        ]
        url = request.build_absolute_uri(measure.get_absolute_url())
        event = icalendar.Event()
        event.add("uid", measure_uid(measure))
        # Without METHOD, DTSTAMP is when the information last changed (RFC 5545, 3.8.7.2).
        event.add("dtstamp", measure.updated_at.astimezone(datetime.UTC))
        event.add("last-modified", measure.updated_at.astimezone(datetime.UTC))
        event.add("dtstart", measure.deadline)
        event.add("dtend", measure.deadline + datetime.timedelta(days=1))
        event.add("summary", _("Frist: %(title)s") % {"title": measure.title})
        event.add("description", "\n".join([*lines, url]))
        event.add("url", url)
        event.add("categories", [measure.goal.action_field.title])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
