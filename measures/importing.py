"""Bulk status reports from a CSV file: every row is checked first, then all are written or none."""

import csv
import io
from dataclasses import dataclass, field
from typing import TextIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.parsing import parse_id, parse_int

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
# Semicolon first: a tie goes to what a German spreadsheet writes.
DELIMITERS = (";", ",", "\t")
QUOTE = '"'
SHOWN_LENGTH = 40  # of a bad value repeated in an error message


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


def _delimiter(text: str) -> str:
    """The delimiter of the file: the one of DELIMITERS that its header line uses most,
    counted outside quoted fields (a quoted column name may contain any of them)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in text:
        if char == QUOTE:
            quoted = not quoted
        elif not quoted and char in "\r\n":
            break
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=counts.__getitem__)
    return best if counts[best] else ","


def _records(text: str) -> tuple[list[tuple[int, list[str]]], RowError | None]:
    """The records of the CSV text (RFC 4180: fields in double quotes may hold delimiters,
    line breaks and doubled quotes), each with the line it starts on; or the line where the
    text stops being CSV."""
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=_delimiter(text),
        quotechar=QUOTE,
        doublequote=True,
        strict=True,
    )
    records = []
    start = 1
    try:
        for row in reader:
            records.append((start, row))
            start = reader.line_num + 1
    except csv.Error:
        return records, RowError(
            start,
            [
                _(
                    "Die Zeile ist kein gültiges CSV: Ein Feld in Anführungszeichen ist nicht "
                    "geschlossen, oder nach dem schließenden Anführungszeichen folgt kein "
                    'Trennzeichen. Ein Anführungszeichen im Text wird verdoppelt ("").'
                )
            ],
        )
    return records, None


def _shown(value: str) -> str:
    return value if len(value) <= SHOWN_LENGTH else value[: SHOWN_LENGTH - 1] + "…"


def status_import_csv(*, actor: User, stream: TextIO) -> ImportReport:
    """Check every row of the CSV, then write all reports in one transaction, or none."""
    if not permissions.can_bulk_import(actor):
        raise PermissionDenied(_("Nur die Koordination importiert Statusberichte."))
    text = stream.read()
    records, unreadable = _records(text)
    report = ImportReport()
    if unreadable is not None:
        report.errors.append(unreadable)
        return report
    if not records or not any(cell.strip() for cell in records[0][1]):
        report.errors.append(RowError(1, [_("Die Datei ist leer.")]))
        return report
    columns = _header_map(records[0][1])
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        report.errors.append(
            RowError(1, [_("Es fehlen Spalten: %(names)s.") % {"names": ", ".join(missing)}])
        )
        return report

    parsed = []
    for line, row in records[1:]:
        if not any(cell.strip() for cell in row):
            continue
        report.rows += 1
        if report.rows > MAX_ROWS:
            report.errors.append(
                RowError(line, [_("Mehr als %(max)s Zeilen.") % {"max": MAX_ROWS}])
            )
            break
        if any("\x00" in cell for cell in row):
            # PostgreSQL stores no NUL character; a file with one is damaged.
            report.errors.append(RowError(line, [_("Die Zeile enthält ein Nullzeichen.")]))
            continue

        def cell(key: str, row=row) -> str:
            index = columns.get(key)
            return row[index].strip() if index is not None and index < len(row) else ""

        messages = []
        measure_text = cell("measure")
        measure_id = parse_id(measure_text)
        measure = None
        if measure_id is None:
            messages.append(
                _("Maßnahme: „%(value)s“ ist keine Nummer.") % {"value": _shown(measure_text)}
            )
        else:
            measure = Measure.objects.filter(pk=measure_id).first()
            if measure is None:
                messages.append(_("Maßnahme %(id)s gibt es nicht.") % {"id": measure_id})
        progress_text = cell("progress").rstrip("%").strip()
        progress = parse_int(progress_text)
        if progress is None:
            progress = progress_text  # not a number: status_report_errors names the problem
        status = cell("status")
        errors = services.status_report_errors(
            status=_shown(status), progress=progress, note=cell("note")
        )
        messages += list(errors.values())
        if messages:
            report.errors.append(RowError(line, messages))
        else:
            parsed.append((measure, status, progress, cell("note")))

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
