"""The frozen figures of a reporting period, and their comparison across periods.

A snapshot is canonical JSON (sorted keys, no insignificant white space, UTF-8): the same
figures always give the same bytes, so that the SHA-256 of the bytes proves them unchanged.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from .indicators import IndicatorStatus, read
from .models import (
    Indicator,
    IndicatorValue,
    Measure,
    PeriodSnapshot,
    ReportingPeriod,
    StatusUpdate,
)
from .workflow import ImplementationStatus, PublicationState

FORMAT = 1


def canonical(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _number(value: Decimal | None) -> str | None:
    """Decimals as exact strings without trailing zeros ("12.5", "120")."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return text


def period_cutoff(period: ReportingPeriod) -> datetime.datetime:
    """The first moment after the period's last day, in the site's time zone."""
    return timezone.make_aware(
        datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time.min)
    )


def _measures(cutoff: datetime.datetime) -> list[dict]:
    latest = StatusUpdate.objects.filter(measure=OuterRef("pk"), created_at__lt=cutoff).order_by(
        "-created_at", "-id"
    )
    measures = (
        Measure.objects.filter(
            state=PublicationState.PUBLISHED, goal__state=PublicationState.PUBLISHED
        )
        .filter(
            Q(created_at__lt=cutoff)
            | Q(Exists(StatusUpdate.objects.filter(measure=OuterRef("pk"), created_at__lt=cutoff)))
        )
        .annotate(
            as_of_status=Subquery(latest.values("status")[:1]),
            as_of_progress=Subquery(latest.values("progress")[:1]),
            as_of_note=Subquery(latest.values("note")[:1]),
            as_of_reported=Subquery(latest.values("created_at")[:1]),
        )
        .select_related("goal__action_field")
        .order_by("id")
    )
    return [
        {
            "id": m.pk,
            "title": m.title,
            "goal": m.goal_id,
            "goal_title": m.goal.title,
            "action_field": m.goal.action_field.slug,
            "action_field_number": m.goal.action_field.number,
            "action_field_title": m.goal.action_field.title,
            "status": m.as_of_status or ImplementationStatus.PLANNED.value,
            "progress": m.as_of_progress if m.as_of_progress is not None else 0,
            "note": m.as_of_note or "",
            "reported_at": (
                timezone.localtime(m.as_of_reported).isoformat(timespec="seconds")
                if m.as_of_reported
                else None
            ),
        }
        for m in measures
    ]


def _indicators(end: datetime.date) -> list[dict]:
    indicators = (
        Indicator.objects.filter(goal__state=PublicationState.PUBLISHED)
        .select_related("goal__action_field")
        .order_by("id")
    )
    values: dict[int, list] = {}
    for row in (
        IndicatorValue.objects.filter(indicator__in=indicators.values("pk"), date__lte=end)
        .order_by("date", "id")
        .values_list("indicator_id", "date", "value")
    ):
        values.setdefault(row[0], []).append(row[1:])
    result = []
    for indicator in indicators:
        reading = read(indicator.line, values.get(indicator.pk, []))
        result.append(
            {
                "id": indicator.pk,
                "title": indicator.title,
                "unit": indicator.unit,
                "direction": indicator.direction,
                "goal": indicator.goal_id,
                "goal_title": indicator.goal.title,
                "action_field": indicator.goal.action_field.slug,
                "action_field_number": indicator.goal.action_field.number,
                "action_field_title": indicator.goal.action_field.title,
                "baseline_value": _number(indicator.baseline_value),
                "baseline_date": indicator.baseline_date.isoformat(),
                "target_value": _number(indicator.target_value),
                "target_date": indicator.target_date.isoformat(),
                "value": _number(reading.latest_value),
                "date": reading.latest_date.isoformat() if reading.latest_date else None,
                "expected_value": _number(reading.expected_value),
                "status": str(reading.status),
            }
        )
    return result


def build(period: ReportingPeriod, *, number: int, closed_at: datetime.datetime) -> bytes:
    """The snapshot bytes of ``period``: every published measure's status, progress and latest
    report note, every indicator's latest value, as of the period's last day."""
    data = {
        "format": FORMAT,
        "period": {
            "id": period.pk,
            "title": period.title,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "version": number,
        "closed_at": timezone.localtime(closed_at).isoformat(timespec="seconds"),
        "measures": _measures(period_cutoff(period)),
        "indicators": _indicators(period.end),
    }
    return canonical(data)


def current(period: ReportingPeriod) -> PeriodSnapshot | None:
    """The snapshot of a closed period (the latest; None while the period is open). Uses the
    prefetched snapshots when there are."""
    if period.state != ReportingPeriod.State.CLOSED:
        return None
    snapshots = list(period.snapshots.all())
    return max(snapshots, key=lambda s: s.number) if snapshots else None


def content_of(snapshot: PeriodSnapshot) -> dict:
    return json.loads(bytes(snapshot.content))


# Comparison ------------------------------------------------------------------------------


@dataclass
class Cell:
    value: Decimal | int | None
    status: str | None = None
    change: Decimal | int | None = None
    status_label: str = ""
    better: bool | None = None  # whether the change is an improvement


def status_label(kind: str, code: str | None) -> str:
    """The name of a measure's (kind "measure") or an indicator's status code."""
    if code is None:
        return ""
    choices = ImplementationStatus if kind == "measure" else IndicatorStatus
    try:
        return str(choices(code).label)
    except ValueError:  # a code of a later format
        return code


@dataclass
class Row:
    kind: str  # "measure" | "indicator"
    id: int
    title: str
    goal_title: str
    action_field_number: int
    unit: str = ""
    direction: str = "increase"  # a measure's progress always increases
    cells: list[Cell] = field(default_factory=list)

    def is_better(self, change) -> bool | None:
        """Whether ``change`` is an improvement (None: no change)."""
        if not change:
            return None
        return (change < 0) if self.direction == "decrease" else (change > 0)

    @property
    def total_change(self) -> Decimal | int | None:
        known = [c.value for c in self.cells if c.value is not None]
        return known[-1] - known[0] if len(known) > 1 else None

    @property
    def total_better(self) -> bool | None:
        return self.is_better(self.total_change)


@dataclass
class Comparison:
    periods: list[ReportingPeriod]
    measures: list[Row]
    indicators: list[Row]


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def compare(periods: list[ReportingPeriod]) -> Comparison:
    """Where every measure and indicator stood in each closed period (in the order given) and
    how it moved from one to the next; read from the snapshots alone."""
    contents = [content_of(current(p)) for p in periods]
    rows: dict[tuple[str, int], Row] = {}
    for index, content in enumerate(contents):
        for kind, key, entries in (
            ("measure", "progress", content["measures"]),
            ("indicator", "value", content["indicators"]),
        ):
            for entry in entries:
                row = rows.get((kind, entry["id"]))
                if row is None:
                    row = rows[(kind, entry["id"])] = Row(
                        kind=kind,
                        id=entry["id"],
                        title=entry["title"],
                        goal_title=entry["goal_title"],
                        action_field_number=entry["action_field_number"],
                        unit=entry.get("unit", ""),
                        direction=entry.get("direction", "increase"),
                        cells=[Cell(None) for _p in periods],
                    )
                row.title, row.goal_title = entry["title"], entry["goal_title"]
                value = entry[key] if kind == "measure" else _decimal(entry[key])
                row.cells[index] = Cell(
                    value=value,
                    status=entry["status"],
                    status_label=status_label(kind, entry["status"]),
                )
    for row in rows.values():
        previous = None
        for cell in row.cells:
            if cell.value is not None and previous is not None:
                cell.change = cell.value - previous
                cell.better = row.is_better(cell.change)
            if cell.value is not None:
                previous = cell.value

    def order(row: Row):
        return (row.action_field_number, row.goal_title, row.id)

    return Comparison(
        periods=periods,
        measures=sorted((r for r in rows.values() if r.kind == "measure"), key=order),
        indicators=sorted((r for r in rows.values() if r.kind == "indicator"), key=order),
    )
