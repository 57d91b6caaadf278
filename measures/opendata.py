"""Open data: published goals and measures as CSV and XLSX, deadlines as iCal, news as Atom.

Every read here is made as the public sees the platform (an ``AnonymousUser``), whoever sends
the request: a coordinator who downloads a file to pass it on must never pass on drafts.
Spreadsheet cells are defused against formula injection (CSV/DDE injection): a text that a
spreadsheet would read as a formula gets a leading apostrophe.
"""

import csv
import datetime
import io
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import icalendar
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_safe
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from charta import permissions as charta_permissions
from charta.models import ActionField, Section
from core.validators import is_sane_date

from . import permissions, selectors
from .models import Goal, Measure, StatusUpdate

logger = logging.getLogger(__name__)

FIELD_PARAMETER = "handlungsfeld"
NEWS_LIMIT = 50
CALENDAR_UID_DOMAIN = "itas-charta"
EXPORT_LANGUAGE = "de"  # column names and labels of the data files do not follow the UI language

LICENCE_NAME = "Datenlizenz Deutschland – Namensnennung – Version 2.0"
LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ICAL_CONTENT_TYPE = "text/calendar; charset=utf-8"

# A spreadsheet reads a cell that starts with one of these as a formula (OWASP, CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_CELL_TEXT = 32767  # longer texts make Excel "repair" the file


def _public() -> AnonymousUser:
    return AnonymousUser()


# Reads --------------------------------------------------------------------------------------


def public_goals(action_field: ActionField | None = None) -> QuerySet[Goal]:
    """Published goals with their progress and number of published measures, one query."""
    public = _public()
    goals = selectors.with_progress(permissions.goals_visible_to(public), public).select_related(
        "action_field", "owner"
    )
    if action_field is not None:
        goals = goals.filter(action_field=action_field)
    return goals.order_by("action_field__number", "id")


def public_measures(action_field: ActionField | None = None) -> QuerySet[Measure]:
    """Published measures of published goals, flagged (``is_overdue``) and joined, one query."""
    measures = selectors.with_flags(permissions.measures_visible_to(_public())).select_related(
        "goal__action_field", "owner", "working_group"
    )
    if action_field is not None:
        measures = measures.filter(goal__action_field=action_field)
    return measures.order_by("goal__action_field__number", "goal_id", "id")


@dataclass(frozen=True)
class NewsEvent:
    """A publication of a charta section or a status report on a published measure."""

    updated: datetime.datetime
    section: Section | None = None
    report: StatusUpdate | None = None


def public_news(limit: int = NEWS_LIMIT) -> list[NewsEvent]:
    """The latest ``limit`` publications and public status reports, newest first; two queries."""
    public = _public()
    sections = (
        charta_permissions.sections_visible_to(public)
        .filter(published_revision__isnull=False, published_at__isnull=False)
        .select_related("charta", "action_field", "published_revision")
        .order_by("-published_at", "-id")[:limit]
    )
    reports = (
        StatusUpdate.objects.filter(
            measure__in=permissions.measures_visible_to(public).values("pk")
        )
        .select_related("measure__goal__action_field")
        .order_by("-created_at", "-id")[:limit]
    )
    events = [NewsEvent(updated=s.published_at, section=s) for s in sections]
    events += [NewsEvent(updated=r.created_at, report=r) for r in reports]
    events.sort(key=lambda event: event.updated, reverse=True)
    return events[:limit]


def _field_from_query(request: HttpRequest) -> ActionField | None:
    """The Handlungsfeld named by ``?handlungsfeld=<slug>``; 404 for an unknown one."""
    slug = request.GET.get(FIELD_PARAMETER, "").strip()
    if not slug:
        return None
    return get_object_or_404(ActionField, slug=slug)


# Tables -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of an export: its header and how to read its value from a row's object."""

    header: Any  # a (lazy) translated string
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class Table:
    """A sheet of data: headers and rows of plain values (str, int, date, datetime, None)."""

    title: str
    headers: list[str]
    rows: list[list[Any]]


def _yes_no(flag: bool) -> str:
    return _("ja") if flag else _("nein")


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A moment as naive local time to the minute (spreadsheets know no time zones)."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None, second=0, microsecond=0)


# Column headers carry the translation context "open data column" (a literal, for
# makemessages): it keeps Django's own catalogue out of them (its German "URL" is
# "Adresse (URL)"); data users address columns by name.


def _goal_columns(request: HttpRequest) -> list[Column]:
    return [
        Column(pgettext_lazy("open data column", "ID"), lambda g: g.pk),
        Column(pgettext_lazy("open data column", "Handlungsfeld"), lambda g: g.action_field.title),
        Column(pgettext_lazy("open data column", "Titel"), lambda g: g.title),
        Column(pgettext_lazy("open data column", "Beschreibung"), lambda g: g.description),
        Column(pgettext_lazy("open data column", "Indikator"), lambda g: g.indicator),
        Column(
            pgettext_lazy("open data column", "Organisation (verantwortlich)"),
            lambda g: g.owner.name,
        ),
        Column(pgettext_lazy("open data column", "Zieldatum"), lambda g: g.target_date),
        Column(pgettext_lazy("open data column", "Maßnahmen"), lambda g: g.measure_count),
        Column(
            pgettext_lazy("open data column", "Fortschritt (%)"),
            lambda g: None if g.progress is None else round(g.progress),
        ),
        Column(
            pgettext_lazy("open data column", "URL"),
            lambda g: request.build_absolute_uri(g.get_absolute_url()),
        ),
    ]


def _measure_columns(request: HttpRequest) -> list[Column]:
    return [
        Column(pgettext_lazy("open data column", "ID"), lambda m: m.pk),
        Column(
            pgettext_lazy("open data column", "Handlungsfeld"), lambda m: m.goal.action_field.title
        ),
        Column(pgettext_lazy("open data column", "Ziel-ID"), lambda m: m.goal_id),
        Column(pgettext_lazy("open data column", "Ziel"), lambda m: m.goal.title),
        Column(pgettext_lazy("open data column", "Titel"), lambda m: m.title),
        Column(pgettext_lazy("open data column", "Beschreibung"), lambda m: m.description),
        Column(
            pgettext_lazy("open data column", "Organisation (federführend)"), lambda m: m.owner.name
        ),
        Column(
            pgettext_lazy("open data column", "Arbeitsgruppe"),
            lambda m: m.working_group.name if m.working_group else "",
        ),
        Column(pgettext_lazy("open data column", "Beginn"), lambda m: m.start_date),
        Column(pgettext_lazy("open data column", "Frist"), lambda m: m.deadline),
        Column(
            pgettext_lazy("open data column", "Umsetzungsstand"), lambda m: m.get_status_display()
        ),
        Column(pgettext_lazy("open data column", "Status-Code"), lambda m: m.status),
        Column(pgettext_lazy("open data column", "Fortschritt (%)"), lambda m: m.progress),
        Column(pgettext_lazy("open data column", "überfällig"), lambda m: _yes_no(m.is_overdue)),
        Column(
            pgettext_lazy("open data column", "letzter Bericht"),
            lambda m: _local(m.last_reported_at),
        ),
        Column(
            pgettext_lazy("open data column", "URL"),
            lambda m: request.build_absolute_uri(m.get_absolute_url()),
        ),
    ]


def _table(title: str, columns: Sequence[Column], objects: Iterable[Any]) -> Table:
    with translation.override(EXPORT_LANGUAGE):
        return Table(
            title=title,
            headers=[str(column.header) for column in columns],
            rows=[[column.value(obj) for column in columns] for obj in objects],
        )


def goal_table(request: HttpRequest, action_field: ActionField | None = None) -> Table:
    """The published goals (of one field or all) as a table."""
    with translation.override(EXPORT_LANGUAGE):
        title = _("Ziele")
    return _table(title, _goal_columns(request), public_goals(action_field))


def measure_table(request: HttpRequest, action_field: ActionField | None = None) -> Table:
    """The published measures of published goals (of one field or all) as a table."""
    with translation.override(EXPORT_LANGUAGE):
        title = _("Maßnahmen")
    return _table(title, _measure_columns(request), public_measures(action_field))


# Spreadsheet files --------------------------------------------------------------------------


def defuse(text: str) -> str:
    """``text`` with a leading apostrophe if a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return defuse(str(value))


def build_csv(table: Table) -> bytes:
    """UTF-8 with BOM and semicolons, so that a German Excel opens it as it is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([defuse(header) for header in table.headers])
    for row in table.rows:
        writer.writerow([_csv_value(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_text(value: str) -> str:
    text = ILLEGAL_CHARACTERS_RE.sub("", defuse(value))
    if len(text) > XLSX_MAX_CELL_TEXT:
        text = text[: XLSX_MAX_CELL_TEXT - 1] + "…"
    return text


def _put(sheet, row: int, column: int, value: Any) -> None:
    cell = sheet.cell(row=row, column=column)
    if value is None:
        return
    if isinstance(value, datetime.datetime):
        cell.value = value
        cell.number_format = "DD.MM.YYYY HH:MM"
    elif isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = "DD.MM.YYYY"
    elif isinstance(value, int) and not isinstance(value, bool):
        cell.value = value
    else:
        cell.value = _xlsx_text(str(value))
        # Never a formula, whatever openpyxl guessed from the text.
        cell.data_type = "s"


def build_xlsx(table: Table) -> bytes:
    """One sheet with a bold, frozen header row and a filter; texts stored as strings."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.title[:31]
    bold = Font(bold=True)
    for column, header in enumerate(table.headers, start=1):
        _put(sheet, 1, column, header)
        sheet.cell(row=1, column=column).font = bold
        sheet.column_dimensions[get_column_letter(column)].width = min(max(len(header) + 2, 12), 40)
    for row_number, row in enumerate(table.rows, start=2):
        for column, value in enumerate(row, start=1):
            _put(sheet, row_number, column, value)
    sheet.freeze_panes = "A2"
    if table.headers:
        sheet.auto_filter.ref = (
            f"A1:{get_column_letter(len(table.headers))}{max(len(table.rows) + 1, 1)}"
        )
    workbook.properties.title = f"ITAS-Charta: {table.title}"
    workbook.properties.creator = "ITAS-Charta"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _filename(
    stem: str, action_field: ActionField | None, extension: str, *, dated: bool = True
) -> str:
    parts = ["itas-charta", stem]
    if action_field is not None:
        parts.append(action_field.slug)
    if dated:
        parts.append(timezone.localdate().isoformat())
    return f"{'-'.join(parts)}.{extension}"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _spreadsheet_response(table: Table, fmt: str, stem: str, field: ActionField | None):
    if fmt == "xlsx":
        return _download(build_xlsx(table), XLSX_CONTENT_TYPE, _filename(stem, field, "xlsx"))
    return _download(build_csv(table), CSV_CONTENT_TYPE, _filename(stem, field, "csv"))


# Calendar -----------------------------------------------------------------------------------


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


# Atom feed ----------------------------------------------------------------------------------


def _tag_uri(request: HttpRequest, moment: datetime.datetime, specific: str) -> str:
    """A tag URI (RFC 4151) of this site: the same entry keeps the same id for ever."""
    host = urlsplit(request.build_absolute_uri("/")).hostname
    return f"tag:{host},{moment.astimezone(datetime.UTC):%Y-%m-%d}:itas-charta/{specific}"


@dataclass(frozen=True)
class NewsItem:
    """A feed entry with an absolute link and a unique, stable id (a tag URI, RFC 4151)."""

    title: str
    description: str
    link: str
    guid: str
    updated: datetime.datetime
    category: str

    @classmethod
    def from_event(cls, event: NewsEvent, request: HttpRequest) -> "NewsItem":
        if event.section is not None:
            section = event.section
            revision = section.published_revision
            link = request.build_absolute_uri(section.action_field.get_absolute_url())
            description = "<p>{}</p>".format(
                escape(
                    _("%(charta)s: Abschnitt „%(title)s“, Revision %(number)s veröffentlicht.")
                    % {
                        "charta": section.charta.title,
                        "title": section.title,
                        "number": revision.number,
                    }
                )
            )
            if revision.message:
                description += f"<p>{escape(revision.message)}</p>"
            return cls(
                title=_("Veröffentlicht: %(title)s (Revision %(number)s)")
                % {"title": section.title, "number": revision.number},
                description=description,
                link=link,
                guid=_tag_uri(
                    request, event.updated, f"abschnitt/{section.pk}/revision/{revision.number}"
                ),
                updated=event.updated,
                category=section.action_field.title,
            )
        report = event.report
        measure = report.measure
        link = request.build_absolute_uri(measure.get_absolute_url())
        summary = "<p>{}</p>".format(
            escape(
                _("Umsetzungsstand: %(status)s, Fortschritt: %(progress)s %%")
                % {"status": report.get_status_display(), "progress": report.progress}
            )
        )
        return cls(
            title=_("%(measure)s: %(status)s (%(progress)s %%)")
            % {
                "measure": measure.title,
                "status": report.get_status_display(),
                "progress": report.progress,
            },
            # note_html is sanitised when the report is written.
            description=summary + report.note_html,
            link=link,
            guid=_tag_uri(request, event.updated, f"statusbericht/{report.pk}"),
            updated=event.updated,
            category=measure.goal.action_field.title,
        )


class NewsFeed(Feed):
    """Atom feed of the latest publications of charta sections and public status reports."""

    feed_type = Atom1Feed
    author_name = "ITAS-Konsortium"

    def get_object(self, request: HttpRequest, *args, **kwargs) -> HttpRequest:
        # Links and ids are made absolute from the request; the feed instance is shared
        # between requests, so the request travels as the feed's object.
        return request

    def title(self) -> str:
        return _("ITAS-Charta: Neuigkeiten")

    def subtitle(self) -> str:
        return _("Veröffentlichte Abschnitte der Charta und Statusberichte zu den Maßnahmen")

    def link(self, request: HttpRequest) -> str:
        return request.build_absolute_uri(reverse("home"))

    def feed_url(self, request: HttpRequest) -> str:
        return request.build_absolute_uri(reverse("opendata:news"))

    def feed_guid(self, request: HttpRequest) -> str:
        return self.feed_url(request)

    def feed_copyright(self) -> str:
        return LICENCE_NAME

    def items(self, request: HttpRequest) -> list[NewsItem]:
        return [NewsItem.from_event(event, request) for event in public_news()]

    def item_title(self, item: NewsItem) -> str:
        return item.title

    def item_description(self, item: NewsItem) -> str:
        return item.description

    def item_link(self, item: NewsItem) -> str:
        return item.link

    def item_guid(self, item: NewsItem) -> str:
        return item.guid

    def item_pubdate(self, item: NewsItem) -> datetime.datetime:
        return item.updated

    def item_updateddate(self, item: NewsItem) -> datetime.datetime:
        return item.updated

    def item_categories(self, item: NewsItem) -> list[str]:
        return [item.category]


# Views --------------------------------------------------------------------------------------


def _webcal(request: HttpRequest, path: str) -> str:
    """The webcal:// address of a calendar, which calendar apps open as a subscription."""
    url = request.build_absolute_uri(path)
    return "webcal://" + url.split("://", 1)[1]


@dataclass(frozen=True)
class Download:
    label: str
    fmt: str
    description: str
    url: str


@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    """The open data page: every download with format and description, and the licence."""
    downloads = [
        Download(
            _("Ziele"),
            "CSV",
            _("Alle veröffentlichten Ziele mit Fortschritt, eine Zeile je Ziel."),
            reverse("opendata:goals_csv"),
        ),
        Download(
            _("Ziele"),
            "XLSX",
            _("Dieselben Daten als Excel-Arbeitsmappe."),
            reverse("opendata:goals_xlsx"),
        ),
        Download(
            _("Maßnahmen"),
            "CSV",
            _(
                "Alle veröffentlichten Maßnahmen mit Umsetzungsstand, Fortschritt, Frist und "
                "letztem Bericht, eine Zeile je Maßnahme."
            ),
            reverse("opendata:measures_csv"),
        ),
        Download(
            _("Maßnahmen"),
            "XLSX",
            _("Dieselben Daten als Excel-Arbeitsmappe."),
            reverse("opendata:measures_xlsx"),
        ),
        Download(
            _("Fristen"),
            "iCal",
            _("Die Fristen aller veröffentlichten Maßnahmen als Kalender zum Abonnieren."),
            reverse("opendata:deadlines"),
        ),
        Download(
            _("Neuigkeiten"),
            "Atom",
            _("Neu veröffentlichte Abschnitte der Charta und Statusberichte als Feed."),
            reverse("opendata:news"),
        ),
    ]
    fields = [
        {
            "field": field,
            "goals_csv": f"{reverse('opendata:goals_csv')}?{FIELD_PARAMETER}={field.slug}",
            "goals_xlsx": f"{reverse('opendata:goals_xlsx')}?{FIELD_PARAMETER}={field.slug}",
            "measures_csv": f"{reverse('opendata:measures_csv')}?{FIELD_PARAMETER}={field.slug}",
            "measures_xlsx": (
                f"{reverse('opendata:measures_xlsx')}?{FIELD_PARAMETER}={field.slug}"
            ),
            "deadlines": reverse("opendata:field_deadlines", kwargs={"slug": field.slug}),
        }
        for field in ActionField.objects.order_by("number")
    ]
    return render(
        request,
        "measures/opendata/overview.html",
        {
            "downloads": downloads,
            "fields": fields,
            "measure_columns": [str(c.header) for c in _measure_columns(request)],
            "goal_columns": [str(c.header) for c in _goal_columns(request)],
            "licence_name": LICENCE_NAME,
            "licence_url": LICENCE_URL,
            "calendar_subscription": _webcal(request, reverse("opendata:deadlines")),
        },
    )


@require_safe
def goals_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Published goals as CSV or XLSX; ``?handlungsfeld=<slug>`` narrows to one field."""
    field = _field_from_query(request)
    return _spreadsheet_response(goal_table(request, field), fmt, "ziele", field)


@require_safe
def measures_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Published measures of published goals as CSV or XLSX; ``?handlungsfeld=`` filters."""
    field = _field_from_query(request)
    return _spreadsheet_response(measure_table(request, field), fmt, "massnahmen", field)


@require_safe
def deadlines(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """The deadlines of published measures as iCalendar, of all fields or of one (slug)."""
    field = get_object_or_404(ActionField, slug=slug) if slug is not None else None
    filename = _filename("fristen", field, "ics", dated=False)
    response = HttpResponse(build_calendar(request, field), content_type=ICAL_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


news = require_safe(NewsFeed())
