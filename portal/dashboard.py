"""The dashboard's figures and charts, for what a user may see.

The figures are read in a fixed number of queries, however many goals and measures there are
(counting happens in SQL); ``charts.py`` draws them.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import TruncQuarter
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from charta import selectors as charta_selectors
from charta.models import ActionField
from measures import permissions, selectors
from measures.indicators import IndicatorStatus
from measures.workflow import ImplementationStatus, PublicationState

from .charts import (
    BAD,
    BRAND,
    MUTED,
    OK,
    WARN,
    Bar,
    Chart,
    Column,
    DataTable,
    Series,
    horizontal_bar_chart,
    nice_scale,
    stacked_column_chart,
)

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
    indicators: list = field(default_factory=list)  # measures.models.Indicator with readings

    @property
    def indicator_counts(self) -> list[tuple[str, str, int]]:
        """Per indicator status: code, label and how many indicators have it."""
        counts = dict.fromkeys(IndicatorStatus, 0)
        for indicator in self.indicators:
            counts[IndicatorStatus(indicator.reading.status)] += 1
        return [(status.value, status.label, count) for status, count in counts.items()]


def dashboard_for(user, on: datetime.date | None = None) -> Dashboard:
    """Key figures and charts of what the user may see (drafts only for those who may read
    them): eight queries, plus the permission look-ups of a logged-in user."""
    on = on or selectors.today()
    figures = key_figures(user, on)
    quarters = deadline_quarters(user, on)
    return Dashboard(
        on=on,
        figures=figures,
        fields=field_progress_chart(field_figures(user)),
        statuses=status_chart(figures),
        deadlines=deadline_chart(quarters) if quarters else None,
        indicators=list(selectors.indicators_for(user)),
    )
