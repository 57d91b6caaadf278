"""The goal and measure tables of the open data: which columns, read as the public sees them."""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from charta.models import ActionField

from ..selectors import public_goals, public_indicators, public_measures

EXPORT_LANGUAGE = "de"  # column names and labels of the data files do not follow the UI language


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


def goal_columns(request: HttpRequest) -> list[Column]:
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


def measure_columns(request: HttpRequest) -> list[Column]:
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
    return _table(title, goal_columns(request), public_goals(action_field))


def measure_table(request: HttpRequest, action_field: ActionField | None = None) -> Table:
    """The published measures of published goals (of one field or all) as a table."""
    with translation.override(EXPORT_LANGUAGE):
        title = _("Maßnahmen")
    return _table(title, measure_columns(request), public_measures(action_field))


def indicator_columns(request: HttpRequest) -> list[Column]:
    return [
        Column(pgettext_lazy("open data column", "ID"), lambda i: i.pk),
        Column(
            pgettext_lazy("open data column", "Handlungsfeld"), lambda i: i.goal.action_field.title
        ),
        Column(pgettext_lazy("open data column", "Ziel-ID"), lambda i: i.goal_id),
        Column(pgettext_lazy("open data column", "Ziel"), lambda i: i.goal.title),
        Column(pgettext_lazy("open data column", "Titel"), lambda i: i.title),
        Column(pgettext_lazy("open data column", "Einheit"), lambda i: i.unit),
        Column(pgettext_lazy("open data column", "Richtung"), lambda i: i.direction),
        Column(pgettext_lazy("open data column", "Ausgangswert"), lambda i: i.baseline_value),
        Column(pgettext_lazy("open data column", "Ausgangsdatum"), lambda i: i.baseline_date),
        Column(pgettext_lazy("open data column", "Zielwert"), lambda i: i.target_value),
        Column(pgettext_lazy("open data column", "Zieldatum"), lambda i: i.target_date),
        Column(pgettext_lazy("open data column", "letzter Wert"), lambda i: i.reading.latest_value),
        Column(
            pgettext_lazy("open data column", "Stichtag letzter Wert"),
            lambda i: i.reading.latest_date,
        ),
        Column(pgettext_lazy("open data column", "Soll"), lambda i: i.reading.expected_value),
        Column(pgettext_lazy("open data column", "Stand"), lambda i: i.reading.status_label),
        Column(pgettext_lazy("open data column", "Stand-Code"), lambda i: i.reading.status),
        Column(
            pgettext_lazy("open data column", "URL"),
            lambda i: request.build_absolute_uri(i.get_absolute_url()),
        ),
    ]


def indicator_value_columns(request: HttpRequest) -> list[Column]:
    return [
        Column(pgettext_lazy("open data column", "Indikator-ID"), lambda v: v[0].pk),
        Column(pgettext_lazy("open data column", "Indikator"), lambda v: v[0].title),
        Column(pgettext_lazy("open data column", "Einheit"), lambda v: v[0].unit),
        Column(pgettext_lazy("open data column", "Stichtag"), lambda v: v[1].date),
        Column(pgettext_lazy("open data column", "Wert"), lambda v: v[1].value),
        Column(
            pgettext_lazy("open data column", "Soll"), lambda v: v[0].line.expected_on(v[1].date)
        ),
        Column(pgettext_lazy("open data column", "Anmerkung"), lambda v: v[1].note),
        Column(pgettext_lazy("open data column", "erfasst"), lambda v: _local(v[1].created_at)),
    ]


def indicator_table(request: HttpRequest, action_field: ActionField | None = None) -> Table:
    """The indicators of published goals with their latest value, expected value and status."""
    with translation.override(EXPORT_LANGUAGE):
        title = _("Indikatoren")
    return _table(title, indicator_columns(request), public_indicators(action_field))


def indicator_value_table(request: HttpRequest, action_field: ActionField | None = None) -> Table:
    """Every recorded value of the indicators of published goals, oldest first per indicator."""
    with translation.override(EXPORT_LANGUAGE):
        title = _("Indikatorwerte")
    rows = [(i, v) for i in public_indicators(action_field) for v in i.values.all()]
    return _table(title, indicator_value_columns(request), rows)
