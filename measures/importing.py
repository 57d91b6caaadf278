"""Bulk status reports from a CSV file: every row is checked first, then all are written or none."""

import csv
import io
from dataclasses import dataclass, field
from typing import TextIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from . import permissions, services
from .models import Measure, StatusUpdate

COLUMNS = {
    "measure": ("measure", "massnahme", "maßnahme", "id"),
    "status": ("status", "stand", "umsetzungsstand"),
    "progress": ("progress", "fortschritt"),
    "note": ("note", "bericht", "notiz"),
}
REQUIRED = ("measure", "status", "progress")
MAX_ROWS = 5000


@dataclass
class RowError:
    line: int
    messages: list[str]


@dataclass
class ImportReport:
    rows: int = 0
    created: list[StatusUpdate] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _header_map(header: list[str]) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    mapping = {}
    for key, aliases in COLUMNS.items():
        for index, name in enumerate(names):
            if name in aliases:
                mapping[key] = index
                break
    return mapping


def status_import_csv(*, actor: User, stream: TextIO) -> ImportReport:
    """Check every row of the CSV, then write all reports in one transaction, or none."""
    if not permissions.can_bulk_import(actor):
        raise PermissionDenied(_("Nur die Koordination importiert Statusberichte."))
    text = stream.read()
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # Read from the whole text: a quoted note may span several lines.
    reader = csv.reader(io.StringIO(text), dialect)
    report = ImportReport()
    header = next(reader, None)
    if not header:
        report.errors.append(RowError(1, [_("Die Datei ist leer.")]))
        return report
    columns = _header_map(header)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        report.errors.append(
            RowError(1, [_("Es fehlen Spalten: %(names)s.") % {"names": ", ".join(missing)}])
        )
        return report

    parsed = []
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        report.rows += 1
        if report.rows > MAX_ROWS:
            report.errors.append(
                RowError(line, [_("Mehr als %(max)s Zeilen.") % {"max": MAX_ROWS}])
            )
            break

        def cell(key: str, row=row) -> str:
            index = columns.get(key)
            return row[index].strip() if index is not None and index < len(row) else ""

        messages = []
        measure_id = cell("measure")
        measure = None
        if not measure_id.isdigit():
            messages.append(_("Maßnahme: „%(value)s“ ist keine Nummer.") % {"value": measure_id})
        else:
            measure = Measure.objects.filter(pk=int(measure_id)).first()
            if measure is None:
                messages.append(_("Maßnahme %(id)s gibt es nicht.") % {"id": measure_id})
        progress_text = cell("progress").rstrip("%").strip()
        progress = int(progress_text) if progress_text.lstrip("-").isdigit() else progress_text
        errors = services.status_report_errors(
            status=cell("status"), progress=progress, note=cell("note")
        )
        messages += list(errors.values())
        if messages:
            report.errors.append(RowError(line, messages))
        else:
            parsed.append((measure, cell("status"), progress, cell("note")))

    if report.errors or not parsed:
        if not parsed and not report.errors:
            report.errors.append(RowError(2, [_("Die Datei enthält keine Zeilen.")]))
        return report
    try:
        with transaction.atomic():
            for measure, status, progress, note in parsed:
                report.created.append(
                    services.measure_report_status(
                        actor=actor, measure=measure, status=status, progress=progress, note=note
                    )
                )
    except ValidationError as error:  # pragma: no cover - rows were checked above
        report.created = []
        report.errors.append(RowError(0, error.messages))
    return report
