"""The public dashboard and partner pages: aggregated reads and server-rendered SVG charts.

Selectors here read figures for a user in a fixed number of queries, however many goals and
measures there are (counting happens in SQL). The chart builders turn figures into plain
geometry (rectangles, lines, text) that ``measures/portal/includes/chart.html`` writes out as
SVG with presentation attributes (the CSP forbids style attributes), together with a title, a
description and a data table holding the same figures.
"""

import datetime
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncQuarter
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Organisation
from charta import selectors as charta_selectors
from charta.models import ActionField

from . import permissions, selectors
from .models import Goal, Measure, MeasureParty
from .workflow import ImplementationStatus, PublicationState

# Colours of site.css; each has at least 4.5:1 contrast against white, so they serve as
# graphics (3:1 needed) and as text, and white text on them stays readable.
INK = "#1b1f24"
MUTED = "#4a5561"
BRAND = "#0b4f6c"
OK = "#1d6b38"
WARN = "#8a5a00"
BAD = "#a4161a"
WHITE = "#ffffff"
TINT = "#f3f6f8"
OUTLINE = "#6b7785"  # outline of bar tracks: 4.7:1 against white
GRID = "#c9d3dc"  # decorative grid lines only; values are always written out

STATUS_COLOURS = {
    ImplementationStatus.PLANNED: MUTED,
    ImplementationStatus.IN_PROGRESS: BRAND,
    ImplementationStatus.DELAYED: WARN,
    ImplementationStatus.DONE: OK,
    ImplementationStatus.STOPPED: BAD,
}

# Gaps between quarters are shown as empty columns unless the deadlines span longer than this.
MAX_FILLED_QUARTERS = 40


def percent(value: float | None) -> str:
    """A share in whole percent, German style with a no-break space ("47 %")."""
    # floatformat rounds half up, as every other page does: 62.5 shows as 63 everywhere.
    return "" if value is None else f"{floatformat(value, 0)}\u00a0%"


# Figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyFigures:
    goals: int
    goal_drafts: int
    measures: int
    measure_drafts: int
    done: int
    overdue: int
    by_status: dict[str, int]

    @property
    def done_share(self) -> float | None:
        return 100 * self.done / self.measures if self.measures else None

    @property
    def done_share_label(self) -> str:
        return percent(self.done_share)

    @property
    def shows_drafts(self) -> bool:
        return bool(self.goal_drafts or self.measure_drafts)


def key_figures(user, on: datetime.date | None = None) -> KeyFigures:
    """Counts of the goals and measures the user may see: two queries."""
    on = on or selectors.today()
    drafts = Q(state=PublicationState.DRAFT)
    goals = permissions.goals_visible_to(user).aggregate(
        total=Count("pk"), drafts=Count("pk", filter=drafts)
    )
    per_status = {
        status.value: Count("pk", filter=Q(status=status)) for status in ImplementationStatus
    }
    measures = permissions.measures_visible_to(user).aggregate(
        total=Count("pk"),
        drafts=Count("pk", filter=drafts),
        overdue=Count("pk", filter=selectors.overdue_condition(on)),
        **per_status,
    )
    return KeyFigures(
        goals=goals["total"],
        goal_drafts=goals["drafts"],
        measures=measures["total"],
        measure_drafts=measures["drafts"],
        done=measures[ImplementationStatus.DONE.value],
        overdue=measures["overdue"],
        by_status={status.value: measures[status.value] for status in ImplementationStatus},
    )


@dataclass(frozen=True)
class FieldFigures:
    field: ActionField
    progress: float | None
    goals: int
    measures: int


def field_figures(user) -> list[FieldFigures]:
    """Every Handlungsfeld in the charta's order with the progress the user sees: two queries."""
    progress = selectors.field_progress(user)
    rows = []
    for action_field in charta_selectors.action_fields():
        figures = progress.get(action_field.pk)
        rows.append(
            FieldFigures(
                field=action_field,
                progress=figures.progress if figures else None,
                goals=figures.goals if figures else 0,
                measures=figures.measures if figures else 0,
            )
        )
    return rows


@dataclass(frozen=True)
class QuarterFigures:
    year: int
    quarter: int
    done: int
    open: int
    overdue: int

    @property
    def label(self) -> str:
        return _("Q%(quarter)d %(year)d") % {"quarter": self.quarter, "year": self.year}

    @property
    def total(self) -> int:
        return self.done + self.open + self.overdue

    @property
    def index(self) -> int:
        return self.year * 4 + self.quarter - 1


def deadline_quarters(user, on: datetime.date | None = None) -> list[QuarterFigures]:
    """Measures with a deadline per quarter, done / open / overdue (on ``on``): one query.

    Stopped measures are left out: they are neither done nor still open. Quarters without
    deadlines between the first and the last are included with zeros (a time axis has no
    holes) unless the span is implausibly long.
    """
    on = on or selectors.today()
    rows = (
        permissions.measures_visible_to(user)
        .filter(deadline__isnull=False)
        .exclude(status=ImplementationStatus.STOPPED)
        .annotate(quarter=TruncQuarter("deadline"))
        .order_by()
        .values("quarter")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=ImplementationStatus.DONE)),
            overdue=Count("pk", filter=selectors.overdue_condition(on)),
        )
        .order_by("quarter")
    )
    found = {}
    for row in rows:
        start = row["quarter"]
        if isinstance(start, datetime.datetime):
            start = start.date()
        quarter = QuarterFigures(
            year=start.year,
            quarter=(start.month - 1) // 3 + 1,
            done=row["done"],
            open=row["total"] - row["done"] - row["overdue"],
            overdue=row["overdue"],
        )
        found[quarter.index] = quarter
    if not found:
        return []
    first, last = min(found), max(found)
    if last - first >= MAX_FILLED_QUARTERS:
        return [found[index] for index in sorted(found)]
    return [
        found.get(index) or QuarterFigures(index // 4, index % 4 + 1, 0, 0, 0)
        for index in range(first, last + 1)
    ]


# Partner organisations ---------------------------------------------------------------------


def _count(queryset: QuerySet, group_by: str) -> Coalesce:
    """The number of rows of ``queryset`` (already filtered by an OuterRef) as a subquery."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def organisations_for(user) -> QuerySet[Organisation]:
    """All partner organisations with the number of goals they own, measures they lead and
    measures they are partners in, counting only what the user may see: one query."""
    goals = permissions.goals_visible_to(user)
    measures = permissions.measures_visible_to(user)
    partnered = MeasureParty.objects.filter(
        organisation=OuterRef("pk"),
        role=MeasureParty.Role.PARTNER,
        measure__in=measures.values("pk"),
    )
    return Organisation.objects.annotate(
        goal_count=_count(goals.filter(owner=OuterRef("pk")), "owner"),
        measure_count=_count(measures.filter(owner=OuterRef("pk")), "owner"),
        partner_count=_count(partnered, "organisation"),
    ).order_by("name")


def organisation_goals(user, organisation: Organisation) -> QuerySet[Goal]:
    """The goals the organisation owns that the user may see, with their progress."""
    return (
        selectors.with_progress(permissions.goals_visible_to(user), user)
        .filter(owner=organisation)
        .select_related("action_field")
        .order_by("action_field__number", "title", "id")
    )


def organisation_measures(user, organisation: Organisation) -> QuerySet[Measure]:
    """The measures the organisation leads or is a partner in that the user may see."""
    partnered = MeasureParty.objects.filter(organisation=organisation).values("measure_id")
    return (
        selectors.measures_for(user)
        .filter(Q(owner=organisation) | Q(pk__in=partnered))
        .order_by(F("deadline").asc(nulls_last=True), "id")
    )


# Chart geometry ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rect:
    kind: ClassVar[str] = "rect"
    x: float
    y: float
    width: float
    height: float
    fill: str
    stroke: str = "none"


@dataclass(frozen=True)
class Line:
    kind: ClassVar[str] = "line"
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = GRID
    dashed: bool = False


@dataclass(frozen=True)
class Text:
    kind: ClassVar[str] = "text"
    x: float
    y: float
    content: str
    anchor: str = "start"
    fill: str = INK
    bold: bool = False
    size: int = 14


@dataclass(frozen=True)
class DataTable:
    """The chart's figures as a table: one row header and its cells per row."""

    caption: str
    columns: Sequence[str]  # the first one heads the row headers
    rows: Sequence[tuple[str, Sequence[str]]]


@dataclass
class Chart:
    key: str  # unique on the page; prefixes the ids of title and description
    title: str
    description: str
    width: int
    height: int
    table: DataTable
    elements: list[Rect | Line | Text] = field(default_factory=list)  # in paint order

    @property
    def title_id(self) -> str:
        return f"{self.key}-title"

    @property
    def desc_id(self) -> str:
        return f"{self.key}-desc"


def nice_scale(maximum: float) -> tuple[int, int]:
    """An upper bound of at least ``maximum`` and a step that divides it into at most five
    parts, both round numbers (1, 2 or 5 times a power of ten), for counting axes."""
    if maximum <= 0:
        return 1, 1
    magnitude = 10 ** max(0, math.floor(math.log10(maximum)) - 1)
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if math.ceil(maximum / step) <= 5:
                return math.ceil(maximum / step) * step, step
        magnitude *= 10


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: no data, drawn as an empty track with ``value_label``
    value_label: str
    fill: str = BRAND


def _r(value: float) -> float:
    """A coordinate to one decimal, without a trailing ".0" (shorter markup)."""
    rounded = round(value, 1)
    return int(rounded) if rounded == int(rounded) else rounded


def horizontal_bar_chart(
    *,
    key: str,
    title: str,
    description: str,
    bars: Sequence[Bar],
    maximum: float,
    ticks: Sequence[float],
    tick_label: Callable[[float], str],
    table: DataTable,
) -> Chart:
    """One row per bar: its label above, the bar in a track of the full scale, the value
    written right of the bar; a scale with grid lines below."""
    width, pad, row, bar_height, value_space = 640, 16, 58, 22, 64
    plot = width - 2 * pad - value_space
    chart = Chart(key, title, description, width, 0, table)
    bar_top = [pad + index * row + 22 for index in range(len(bars))]
    axis_y = pad + len(bars) * row + 2

    for top in bar_top:
        chart.elements.append(Rect(pad, top, plot, bar_height, TINT, OUTLINE))
    for tick in ticks:
        x = _r(pad + plot * tick / maximum)
        chart.elements.append(Line(x, pad + 18, x, axis_y, GRID, dashed=True))
    for bar, top in zip(bars, bar_top, strict=True):
        length = _r(plot * min(bar.value, maximum) / maximum) if bar.value else 0
        if length:
            chart.elements.append(Rect(pad, top, length, bar_height, bar.fill))
        chart.elements.append(Text(pad, top - 7, bar.label, bold=True))
        if bar.value is None:
            chart.elements.append(Text(pad + 8, top + 16, bar.value_label, fill=MUTED))
        else:
            chart.elements.append(Text(_r(pad + length + 6), top + 16, bar.value_label, bold=True))
    chart.elements.append(Line(pad, axis_y, pad + plot, axis_y, OUTLINE))
    for tick in ticks:
        x = _r(pad + plot * tick / maximum)
        anchor = "start" if tick == 0 else "end" if tick == maximum else "middle"
        chart.elements.append(Text(x, axis_y + 18, tick_label(tick), anchor, MUTED, size=13))
    chart.height = axis_y + 28
    return chart


@dataclass(frozen=True)
class Series:
    label: str
    fill: str


@dataclass(frozen=True)
class Column:
    label_lines: tuple[str, ...]  # written under the column, one line each
    values: tuple[int, ...]  # one per series, stacked from the bottom


def stacked_column_chart(
    *,
    key: str,
    title: str,
    description: str,
    series: Sequence[Series],
    columns: Sequence[Column],
    table: DataTable,
) -> Chart:
    """Columns of stacked counts with a legend above, a count axis on the left, each segment
    labelled with its count where it is tall enough and each column with its total."""
    left, right, slot, column_width, legend_height = 48, 16, 64, 38, 36
    width = max(left + len(columns) * slot + right, 460)
    maximum, step = nice_scale(max((sum(c.values) for c in columns), default=0))
    plot_height = min(max(maximum * 20, 160), 360)
    unit = plot_height / maximum
    plot_top = legend_height + 24  # room for the total above the tallest column
    base = plot_top + plot_height
    chart = Chart(key, title, description, width, base + 48, table)

    x = left
    for item in series:
        chart.elements.append(Rect(x, 10, 16, 16, item.fill))
        chart.elements.append(Text(x + 22, 23, item.label))
        x += 22 + 8 * len(item.label) + 24  # about 8 units per character at 14 units
    for tick in range(0, maximum + 1, step):
        y = _r(base - tick * unit)
        if tick:
            chart.elements.append(Line(left, y, width - right, y, GRID, dashed=True))
        chart.elements.append(Text(left - 8, _r(y + 5), str(tick), "end", MUTED, size=13))
    for index, column in enumerate(columns):
        x = left + index * slot + (slot - column_width) / 2
        centre = _r(x + column_width / 2)
        top = base
        for item, value in zip(series, column.values, strict=True):
            if not value:
                continue
            height = value * unit
            top -= height
            chart.elements.append(Rect(_r(x), _r(top), column_width, _r(height), item.fill, WHITE))
            if height >= 17:
                chart.elements.append(
                    Text(centre, _r(top + height / 2 + 5), str(value), "middle", WHITE, True, 13)
                )
        chart.elements.append(
            Text(centre, _r(top - 6), str(sum(column.values)), "middle", INK, True, 13)
        )
        for line, text in enumerate(column.label_lines):
            chart.elements.append(Text(centre, base + 18 + line * 16, text, "middle", size=13))
    chart.elements.append(Line(left, base, width - right, base, INK))
    return chart


# The dashboard's charts --------------------------------------------------------------------


def field_progress_chart(fields: Sequence[FieldFigures]) -> Chart:
    no_progress = _("noch kein Fortschritt")
    labels = [f"{row.field.number}. {row.field.title}" for row in fields]
    values = [percent(row.progress) or no_progress for row in fields]
    summary = "; ".join(f"{label}: {value}" for label, value in zip(labels, values, strict=True))
    return horizontal_bar_chart(
        key="chart-fields",
        title=_("Fortschritt je Handlungsfeld"),
        description=_(
            "Durchschnittlicher Fortschritt der Ziele je Handlungsfeld, von 0 bis 100 Prozent: "
            "%(summary)s."
        )
        % {"summary": summary},
        bars=[
            Bar(label, row.progress, value)
            for label, value, row in zip(labels, values, fields, strict=True)
        ],
        maximum=100,
        ticks=(0, 25, 50, 75, 100),
        tick_label=percent,
        table=DataTable(
            caption=_("Fortschritt je Handlungsfeld"),
            columns=(_("Handlungsfeld"), _("Fortschritt"), _("Ziele"), _("Maßnahmen")),
            rows=[
                (label, (value, str(row.goals), str(row.measures)))
                for label, value, row in zip(labels, values, fields, strict=True)
            ],
        ),
    )


def status_chart(figures: KeyFigures) -> Chart:
    counts = [(status, figures.by_status[status.value]) for status in ImplementationStatus]
    summary = ", ".join(f"{status.label} {count}" for status, count in counts)
    maximum, step = nice_scale(max(count for _status, count in counts))
    return horizontal_bar_chart(
        key="chart-status",
        title=_("Maßnahmen nach Umsetzungsstand"),
        description=ngettext(
            "%(count)d Maßnahme nach Umsetzungsstand: %(summary)s.",
            "%(count)d Maßnahmen nach Umsetzungsstand: %(summary)s.",
            figures.measures,
        )
        % {"count": figures.measures, "summary": summary},
        bars=[
            Bar(str(status.label), count, str(count), STATUS_COLOURS[status])
            for status, count in counts
        ],
        maximum=maximum,
        ticks=range(0, maximum + 1, step),
        tick_label=lambda tick: str(int(tick)),
        table=DataTable(
            caption=_("Maßnahmen nach Umsetzungsstand"),
            columns=(_("Umsetzungsstand"), _("Anzahl der Maßnahmen")),
            rows=[(str(status.label), (str(count),)) for status, count in counts],
        ),
    )


def deadline_chart(quarters: Sequence[QuarterFigures]) -> Chart:
    done, open_, overdue = (
        sum(getattr(q, name) for q in quarters) for name in ("done", "open", "overdue")
    )
    total = done + open_ + overdue
    peak = max(quarters, key=lambda q: q.total)
    description = _(
        "Maßnahmen mit Frist je Quartal, von %(first)s bis %(last)s: %(total)d Fristen, davon "
        "%(done)d abgeschlossen, %(open)d offen und %(overdue)d überfällig. Die meisten Fristen "
        "(%(peak)d) liegen in %(peak_quarter)s. Eingestellte Maßnahmen sind nicht enthalten."
    ) % {
        "first": quarters[0].label,
        "last": quarters[-1].label,
        "total": total,
        "done": done,
        "open": open_,
        "overdue": overdue,
        "peak": peak.total,
        "peak_quarter": peak.label,
    }
    series = (
        Series(_("abgeschlossen"), OK),
        Series(_("offen"), BRAND),
        Series(_("überfällig"), BAD),
    )
    return stacked_column_chart(
        key="chart-deadlines",
        title=_("Fristen im Zeitverlauf"),
        description=description,
        series=series,
        columns=[
            Column(label_lines=(f"Q{q.quarter}", str(q.year)), values=(q.done, q.open, q.overdue))
            for q in quarters
        ],
        table=DataTable(
            caption=_("Maßnahmen mit Frist je Quartal"),
            columns=(_("Quartal"), *(item.label for item in series), _("gesamt")),
            rows=[
                (q.label, (str(q.done), str(q.open), str(q.overdue), str(q.total)))
                for q in quarters
            ],
        ),
    )


@dataclass(frozen=True)
class Dashboard:
    on: datetime.date
    figures: KeyFigures
    fields: Chart
    statuses: Chart
    deadlines: Chart | None  # None when no visible measure has a deadline


def dashboard_for(user, on: datetime.date | None = None) -> Dashboard:
    """Key figures and charts of what the user may see (drafts only for those who may read
    them): six queries, plus the permission look-ups of a logged-in user."""
    on = on or selectors.today()
    figures = key_figures(user, on)
    quarters = deadline_quarters(user, on)
    return Dashboard(
        on=on,
        figures=figures,
        fields=field_progress_chart(field_figures(user)),
        statuses=status_chart(figures),
        deadlines=deadline_chart(quarters) if quarters else None,
    )
