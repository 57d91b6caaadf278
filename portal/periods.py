"""Reporting periods as people read them: the progress report of a closed period (from its
snapshot alone) and the comparison across periods as a table for pages and downloads."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from measures import snapshots
from measures.models import PeriodSnapshot, ReportingPeriod
from measures.snapshots import status_label
from measures.workflow import ImplementationStatus

from .opendata.tables import EXPORT_LANGUAGE, Table


@dataclass
class GoalBlock:
    title: str
    measures: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)


@dataclass
class FieldBlock:
    number: int
    title: str
    goals: dict[int, GoalBlock] = field(default_factory=dict)


@dataclass
class PeriodReport:
    period: ReportingPeriod
    snapshot: PeriodSnapshot
    data: dict
    fields: list[FieldBlock]

    @property
    def measures(self) -> int:
        return len(self.data["measures"])

    @property
    def done(self) -> int:
        return sum(1 for m in self.data["measures"] if m["status"] == ImplementationStatus.DONE)


def period_report(period: ReportingPeriod) -> PeriodReport | None:
    """The report of a closed period, read from its snapshot; None while it is open."""
    snapshot = snapshots.current(period)
    if snapshot is None:
        return None
    data = snapshots.content_of(snapshot)
    fields: dict[int, FieldBlock] = {}
    for kind, entries in (("measures", data["measures"]), ("indicators", data["indicators"])):
        for entry in entries:
            block = fields.setdefault(
                entry["action_field_number"],
                FieldBlock(entry["action_field_number"], entry["action_field_title"]),
            )
            goal = block.goals.setdefault(entry["goal"], GoalBlock(entry["goal_title"]))
            item = dict(entry)
            item["status_label"] = status_label(kind[:-1], entry["status"])
            if kind == "indicators":
                # Typed for the templates' number and date formats; the snapshot keeps text.
                for key in ("value", "expected_value", "target_value"):
                    item[key] = None if entry[key] is None else Decimal(entry[key])
                item["date"] = datetime.date.fromisoformat(entry["date"]) if entry["date"] else None
            getattr(goal, kind).append(item)
    return PeriodReport(
        period=period,
        snapshot=snapshot,
        data=data,
        fields=[fields[number] for number in sorted(fields)],
    )


def comparison_table(comparison: snapshots.Comparison) -> Table:
    """The comparison as one sheet: a row per measure and indicator, per period its value
    (progress in percent, or the indicator's value), its status and the change since the
    period before, and the change over all periods."""
    with translation.override(EXPORT_LANGUAGE):
        headers = [_("Art"), _("ID"), _("Handlungsfeld"), _("Ziel"), _("Titel"), _("Einheit")]
        for period in comparison.periods:
            headers += [
                _("%(period)s: Wert") % {"period": period.title},
                _("%(period)s: Stand") % {"period": period.title},
                _("%(period)s: Veränderung") % {"period": period.title},
            ]
        headers.append(_("Veränderung gesamt"))
        rows = []
        for row in [*comparison.measures, *comparison.indicators]:
            line = [
                _("Maßnahme") if row.kind == "measure" else _("Indikator"),
                row.id,
                row.action_field_number,
                row.goal_title,
                row.title,
                "%" if row.kind == "measure" else row.unit,
            ]
            for cell in row.cells:
                line += [cell.value, cell.status_label, cell.change]
            line.append(row.total_change)
            rows.append(line)
        return Table(title=_("Vergleich"), headers=headers, rows=rows)
