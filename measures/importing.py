"""Bulk status reports from the files people have: CSV as Excel or LibreOffice save it
(UTF-8 with or without byte order mark, Windows-1252 and other Western encodings, UTF-16;
semicolon, comma or tab) and Excel workbooks (.xlsx). Column names and statuses may be German
(as the pages show them) or English. Every row is checked first, then all are written or none.

A template pre-filled with the measures a person reports on is offered as CSV and as .xlsx;
it reads back unchanged.
"""

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TextIO

import charset_normalizer
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from core.parsing import parse_id, parse_int

from . import permissions, services
from .models import Measure, StatusUpdate
from .workflow import ImplementationStatus

# Column names (lower case, spaces and punctuation as written) and the column each means.
COLUMNS = {
    "measure": (
        "measure", "measure id", "measure_id", "id", "number", "no", "no.", "nr", "nr.",
        "nummer", "maßnahme", "massnahme", "maßnahmen-nr.", "maßnahmennummer", "maßnahme nr.",
        "massnahmen-nr.",
    ),
    "title": (
        "title", "titel", "bezeichnung", "maßnahmentitel", "name", "maßnahme (titel)",
        "massnahme (titel)", "measure (title)",
    ),
    "status": ("status", "stand", "umsetzungsstand", "state"),
    "progress": (
        "progress", "fortschritt", "fortschritt (%)", "fortschritt in %", "progress (%)",
        "progress in %", "%",
    ),
    "note": ("note", "bericht", "notiz", "anmerkung", "kommentar", "comment", "report"),
}  # fmt: skip
REQUIRED = ("status", "progress")
MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024
# Semicolon first: a tie goes to what a German spreadsheet writes.
DELIMITERS = (";", ",", "\t")
QUOTE = '"'
SHOWN_LENGTH = 40  # of a bad value repeated in an error message
# What Excel and LibreOffice on Windows and Linux write when they do not write UTF-8. Older
# Mac and DOS encodings are left out: for German text they look as plausible to
# charset-normalizer as Windows-1252 and would win ties they should lose.
LEGACY_ENCODINGS = ["cp1252", "iso8859_15"]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # the binary Excel 97-2003 format
# "Nr. 12", "#12", "M-12": the number the pages show, however it was copied.
_NUMBER_PREFIX = re.compile(r"^(?:nr\.?|no\.?|#|m-?)\s*", re.IGNORECASE)
TEMPLATE_HEADER = (
    gettext_noop("Nr."),
    gettext_noop("Maßnahme (Titel)"),
    gettext_noop("Handlungsfeld"),
    gettext_noop("Status"),
    gettext_noop("Fortschritt"),
    gettext_noop("Bericht"),
)


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


Records = list[tuple[int, list[str]]]


# Reading files --------------------------------------------------------------------------


def _unreadable() -> ValidationError:
    return ValidationError(
        _(
            "Die Datei ist weder eine CSV-Datei noch eine Excel-Arbeitsmappe (.xlsx). Bitte "
            "speichern Sie sie in Excel als „CSV UTF-8“ oder „Excel-Arbeitsmappe“."
        )
    )


def decode(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without byte order mark), UTF-16 with byte
    order mark (Excel's "Unicode text"), else the Western encoding charset-normalizer finds
    most plausible (Excel on Windows writes Windows-1252)."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise _unreadable() from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise _unreadable()
    guess = charset_normalizer.from_bytes(data, cp_isolation=LEGACY_ENCODINGS).best()
    encoding = guess.encoding if guess is not None else "cp1252"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:  # pragma: no cover - the guess decoded the file already
        raise _unreadable() from None


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


def csv_records(text: str) -> tuple[Records, RowError | None]:
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


def _cell_text(cell) -> str:
    """A spreadsheet cell as the text a person sees: 40 rather than 40.0, and a percentage
    (0.4 formatted as 40 %) as its percent figure."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        if "%" in (cell.number_format or ""):
            value = value * 100
        if float(value).is_integer():
            return str(int(value))
        return str(value)
    return str(value)


def xlsx_records(data: bytes) -> Records:
    """The rows of the first worksheet of an Excel workbook, each with its row number."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise ValidationError(
            _("Die Excel-Datei lässt sich nicht lesen. Ist sie beschädigt oder verschlüsselt?")
        ) from None
    try:
        sheet = workbook.worksheets[0]
        records = []
        for number, row in enumerate(sheet.iter_rows(), start=1):
            cells = [_cell_text(cell) for cell in row]
            records.append((number, cells))
            if number > MAX_ROWS + 1 and any(cells):
                break
        return records
    finally:
        workbook.close()


def read_records(*, name: str, data: bytes) -> tuple[Records, RowError | None]:
    """The records of an uploaded CSV or .xlsx file (told apart by their content, not by
    their name); a ValidationError says why a file cannot be read at all."""
    if len(data) > MAX_BYTES:
        raise ValidationError(_("Die Datei ist größer als 2 MB."))
    if data.startswith(XLSX_MAGIC):
        return xlsx_records(data), None
    if data.startswith(XLS_MAGIC) or name.lower().endswith(".xls"):
        raise ValidationError(
            _(
                "Das alte Excel-Format (.xls) wird nicht gelesen. Bitte speichern Sie die Datei "
                "als „Excel-Arbeitsmappe (.xlsx)“ oder als „CSV UTF-8“."
            )
        )
    return csv_records(decode(data))


# Understanding the columns --------------------------------------------------------------


def _normalised(text: str) -> str:
    return " ".join(text.replace("\ufeff", "").split()).lower()


def _header_map(header: list[str]) -> dict[str, int]:
    names = [_normalised(h) for h in header]
    mapping = {}
    for key, aliases in COLUMNS.items():
        for index, name in enumerate(names):
            if name in aliases and index not in mapping.values():
                mapping[key] = index
                break
    return mapping


def _status_labels() -> dict[str, str]:
    """Every way a status may be written (code, German and English label, any case) and the
    status it means."""
    labels = {}
    for status in ImplementationStatus:
        labels[status.value] = status.value
        labels[status.value.replace("_", " ")] = status.value
        for language in ("de", "en"):
            with translation.override(language):
                labels[_normalised(str(status.label))] = status.value
    return labels


def _status_names() -> str:
    return ", ".join(f"„{status.label}“" for status in ImplementationStatus)


def _shown(value: str) -> str:
    return value if len(value) <= SHOWN_LENGTH else value[: SHOWN_LENGTH - 1] + "…"


class _Measures:
    """The measures an importer names, read in two queries whatever the number of rows:
    those they may see (others do not exist for them) and those they report on."""

    def __init__(self, actor: User, numbers: set[int], titles: set[str]):
        visible = permissions.measures_visible_to(actor)
        everything = permissions.can_bulk_import_all(actor)
        reportable = visible if everything else permissions.measures_reportable_by(actor)
        self.by_pk = {m.pk: m for m in visible.filter(pk__in=numbers)} if numbers else {}
        self.reportable = (
            set(reportable.filter(pk__in=list(self.by_pk)).values_list("pk", flat=True))
            if self.by_pk
            else set()
        )
        self.by_title: dict[str, list[Measure]] = {}
        if titles:
            # The titles a person may report on; a coordinator's are all visible ones.
            for measure in reportable:
                key = _normalised(measure.title)
                if key in titles:
                    self.by_title.setdefault(key, []).append(measure)
                    self.reportable.add(measure.pk)


def _identify(number_text: str, title_text: str, measures: _Measures, messages: list[str]):
    """The measure a row names by its number or, without one, by its exact title."""
    number = parse_id(_NUMBER_PREFIX.sub("", number_text)) if number_text else None
    if number is not None:
        measure = measures.by_pk.get(number)
        if measure is None:
            messages.append(_("Maßnahme %(id)s gibt es nicht.") % {"id": number})
        elif measure.pk not in measures.reportable:
            messages.append(_("Sie berichten nicht über Maßnahme %(id)s.") % {"id": number})
            measure = None
        return measure
    title = title_text or number_text
    if not title:
        messages.append(_("Maßnahme: Bitte Nummer (Nr.) oder Titel der Maßnahme angeben."))
        return None
    found = measures.by_title.get(_normalised(title), [])
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        messages.append(
            _("Maßnahme: Mehrere Maßnahmen heißen „%(title)s“; bitte die Nummer angeben.")
            % {"title": _shown(title)}
        )
    elif title_text:
        messages.append(
            _("Maßnahme: Keine Ihrer Maßnahmen heißt „%(title)s“.") % {"title": _shown(title)}
        )
    else:
        messages.append(
            _("Maßnahme: „%(value)s“ ist keine Nummer und kein Titel.") % {"value": _shown(title)}
        )
    return None


# Importing -------------------------------------------------------------------------------


def _check_actor(actor: User) -> None:
    if not permissions.can_bulk_import(actor):
        raise PermissionDenied(
            _("Statusberichte importieren die Koordination und wer über Maßnahmen berichtet.")
        )


def status_import_csv(*, actor: User, stream: TextIO) -> ImportReport:
    """Check every row of the CSV text, then write all reports in one transaction, or none."""
    _check_actor(actor)
    records, unreadable = csv_records(stream.read())
    return status_import_records(actor=actor, records=records, unreadable=unreadable)


def status_import_file(*, actor: User, name: str, data: bytes) -> ImportReport:
    """Check every row of an uploaded CSV or .xlsx file, then write all reports or none.
    A file that cannot be read at all raises ValidationError."""
    _check_actor(actor)
    records, unreadable = read_records(name=name, data=data)
    return status_import_records(actor=actor, records=records, unreadable=unreadable)


def status_import_records(
    *, actor: User, records: Records, unreadable: RowError | None = None
) -> ImportReport:
    """Check every record (the first names the columns), then write all reports in one
    transaction, or none."""
    _check_actor(actor)
    report = ImportReport()
    if unreadable is not None:
        report.errors.append(unreadable)
        return report
    records = [(line, row) for line, row in records if any(cell.strip() for cell in row)]
    if not records:
        report.errors.append(RowError(1, [_("Die Datei ist leer.")]))
        return report
    header_line, header = records[0]
    columns = _header_map(header)
    missing = [name for name in REQUIRED if name not in columns]
    if "measure" not in columns and "title" not in columns:
        missing.insert(0, "measure")
    if missing:
        report.errors.append(
            RowError(
                header_line,
                [
                    _(
                        "Es fehlen Spalten: %(names)s. Die erste Zeile nennt die Spalten, etwa "
                        "„Nr.; Status; Fortschritt; Bericht“ (oder measure, status, progress, "
                        "note)."
                    )
                    % {"names": ", ".join(missing)}
                ],
            )
        )
        return report

    rows = records[1:]
    if len(rows) > MAX_ROWS:
        report.rows = len(rows)
        report.errors.append(
            RowError(rows[MAX_ROWS][0], [_("Mehr als %(max)s Zeilen.") % {"max": MAX_ROWS}])
        )
        return report

    def cell(row: list[str], key: str) -> str:
        index = columns.get(key)
        return row[index].strip() if index is not None and index < len(row) else ""

    numbers, titles = set(), set()
    for _line, row in rows:
        number = parse_id(_NUMBER_PREFIX.sub("", cell(row, "measure")))
        if number is not None:
            numbers.add(number)
        else:
            titles.add(_normalised(cell(row, "title") or cell(row, "measure")))
    measures = _Measures(actor, numbers, titles - {""})
    labels = _status_labels()

    parsed = []
    for line, row in rows:
        report.rows += 1
        if any("\x00" in value for value in row):
            # PostgreSQL stores no NUL character; a file with one is damaged.
            report.errors.append(RowError(line, [_("Die Zeile enthält ein Nullzeichen.")]))
            continue
        messages = []
        measure = _identify(cell(row, "measure"), cell(row, "title"), measures, messages)
        progress_text = cell(row, "progress").rstrip("%").strip()
        progress = parse_int(progress_text)
        if progress is None:
            progress = progress_text  # not a number: status_report_errors names the problem
        written = cell(row, "status")
        status = labels.get(_normalised(written), written)
        errors = services.status_report_errors(
            status=_shown(status), progress=progress, note=cell(row, "note")
        )
        if "status" in errors:
            errors["status"] = _(
                "Unbekannter Umsetzungsstand: „%(status)s“. Erlaubt: %(allowed)s."
            ) % {"status": _shown(written), "allowed": _status_names()}
        messages += list(errors.values())
        if messages:
            report.errors.append(RowError(line, messages))
        else:
            parsed.append((measure, status, progress, cell(row, "note")))

    if report.errors or not parsed:
        if not parsed and not report.errors:
            report.errors.append(RowError(header_line + 1, [_("Die Datei enthält keine Zeilen.")]))
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


# The template ----------------------------------------------------------------------------


def template_measures(actor: User) -> QuerySet[Measure]:
    """The measures a person reports on (a coordinator: every measure they see), in the
    order of the pages."""
    _check_actor(actor)
    if permissions.can_bulk_import_all(actor):
        measures = permissions.measures_visible_to(actor)
    else:
        measures = permissions.measures_reportable_by(actor)
    return measures.select_related("goal__action_field").order_by(
        "goal__action_field__number", "goal_id", "id"
    )


def template_rows(actor: User) -> Iterable[tuple]:
    """The header and a row per measure: number, title, field, current status (as the
    pages name it), progress and an empty report."""
    yield tuple(_(name) for name in TEMPLATE_HEADER)
    for measure in template_measures(actor):
        yield (
            measure.pk,
            measure.title,
            measure.goal.action_field.title,
            str(ImplementationStatus(measure.status).label),
            measure.progress,
            "",
        )


def template_csv(actor: User) -> bytes:
    """The template as Excel opens it by double click: UTF-8 with byte order mark,
    semicolons."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in template_rows(actor):
        writer.writerow(_safe_cell(value) for value in row)
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def _safe_cell(value):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def template_xlsx(actor: User) -> bytes:
    """The template as an Excel workbook; the status column offers the statuses to pick."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Statusberichte")[:31]
    rows = list(template_rows(actor))
    for row in rows:
        sheet.append([_safe_cell(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEF", (8, 60, 30, 16, 12, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    if len(rows) > 1:
        choices = ",".join(str(status.label) for status in ImplementationStatus)
        validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=False)
        validation.error = _("Bitte einen der angebotenen Umsetzungsstände wählen.")
        sheet.add_data_validation(validation)
        validation.add(f"D2:D{len(rows)}")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
