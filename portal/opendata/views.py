"""The open-data downloads and their overview page."""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from charta.models import ActionField
from charta.selectors import FIELDS_TAG, field_tag
from core.caching import depends_on

from .calendar import build_calendar
from .feed import LICENCE_NAME, LICENCE_URL, NewsFeed
from .spreadsheets import build_csv, build_xlsx
from .tables import (
    Table,
    goal_columns,
    goal_table,
    indicator_columns,
    indicator_table,
    indicator_value_table,
    measure_columns,
    measure_table,
)

FIELD_PARAMETER = "handlungsfeld"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ICAL_CONTENT_TYPE = "text/calendar; charset=utf-8"


def _field_from_query(request: HttpRequest) -> ActionField | None:
    """The Handlungsfeld named by ``?handlungsfeld=<slug>``; 404 for an unknown one."""
    slug = request.GET.get(FIELD_PARAMETER, "").strip()
    if not slug:
        return None
    return get_object_or_404(ActionField, slug=slug)


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
    depends_on(FIELDS_TAG)
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
            _("Indikatoren"),
            "CSV",
            _(
                "Die Indikatoren der veröffentlichten Ziele mit Ausgangs- und Zielwert, letztem "
                "Wert, Soll-Wert und Stand, eine Zeile je Indikator."
            ),
            reverse("opendata:indicators_csv"),
        ),
        Download(
            _("Indikatoren"),
            "XLSX",
            _("Dieselben Daten als Excel-Arbeitsmappe."),
            reverse("opendata:indicators_xlsx"),
        ),
        Download(
            _("Indikatorwerte"),
            "CSV",
            _(
                "Jeder erfasste Wert der Indikatoren mit Stichtag und Soll-Wert, eine Zeile je "
                "Wert."
            ),
            reverse("opendata:indicator_values_csv"),
        ),
        Download(
            _("Indikatorwerte"),
            "XLSX",
            _("Dieselben Daten als Excel-Arbeitsmappe."),
            reverse("opendata:indicator_values_xlsx"),
        ),
        Download(
            _("Vergleich der Berichtszeiträume"),
            "CSV",
            _(
                "Stand jeder Maßnahme und jedes Indikators am Ende jedes abgeschlossenen "
                "Berichtszeitraums und die Veränderung; die eingefrorenen Daten jedes Zeitraums "
                "mit Prüfsumme stehen auf der Seite der Berichtszeiträume."
            ),
            reverse("portal:period_comparison_csv"),
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
            _(
                "Neu veröffentlichte Abschnitte der Charta und Statusberichte als Feed: die "
                "Adresse in einen Feedreader kopieren, um Neuigkeiten zu abonnieren."
            ),
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
        "portal/opendata/overview.html",
        {
            "downloads": downloads,
            "fields": fields,
            "measure_columns": [str(c.header) for c in measure_columns(request)],
            "goal_columns": [str(c.header) for c in goal_columns(request)],
            "indicator_columns": [str(c.header) for c in indicator_columns(request)],
            "licence_name": LICENCE_NAME,
            "licence_url": LICENCE_URL,
            "calendar_subscription": _webcal(request, reverse("opendata:deadlines")),
        },
    )


@require_safe
def goals_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Published goals as CSV or XLSX; ``?handlungsfeld=<slug>`` narrows to one field."""
    depends_on(FIELDS_TAG)
    field = _field_from_query(request)
    return _spreadsheet_response(goal_table(request, field), fmt, "ziele", field)


@require_safe
def measures_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Published measures of published goals as CSV or XLSX; ``?handlungsfeld=`` filters."""
    depends_on(FIELDS_TAG)
    field = _field_from_query(request)
    return _spreadsheet_response(measure_table(request, field), fmt, "massnahmen", field)


@require_safe
def indicators_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Indicators of published goals as CSV or XLSX; ``?handlungsfeld=`` filters."""
    depends_on(FIELDS_TAG)
    field = _field_from_query(request)
    return _spreadsheet_response(indicator_table(request, field), fmt, "indikatoren", field)


@require_safe
def indicator_values_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every value of the indicators of published goals as CSV or XLSX."""
    depends_on(FIELDS_TAG)
    field = _field_from_query(request)
    return _spreadsheet_response(
        indicator_value_table(request, field), fmt, "indikatorwerte", field
    )


@require_safe
def deadlines(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """The deadlines of published measures as iCalendar, of all fields or of one (slug)."""
    field = get_object_or_404(ActionField, slug=slug) if slug is not None else None
    depends_on(field_tag(field.pk) if field is not None else FIELDS_TAG)
    filename = _filename("fristen", field, "ics", dated=False)
    response = HttpResponse(build_calendar(request, field), content_type=ICAL_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


_feed = NewsFeed()


@require_safe
def news(request: HttpRequest) -> HttpResponse:
    """The Atom feed. A browser opening it (it asks for HTML) gets it as XML, which it shows
    styled with the feed's stylesheet and a hint what a feed is for; feed readers get Atom."""
    response = _feed(request)
    if "text/html" in request.headers.get("Accept", ""):
        response["Content-Type"] = "application/xml; charset=utf-8"
    patch_vary_headers(response, ["Accept"])
    return response
