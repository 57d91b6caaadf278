"""CSV and XLSX files of a table, with every text defused against formula injection."""

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .tables import Table

# A spreadsheet reads a cell that starts with one of these as a formula (OWASP, CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_CELL_TEXT = 32767  # longer texts make Excel "repair" the file


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
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        # A number, never a formula, also when negative.
        return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)
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
    elif (isinstance(value, int) and not isinstance(value, bool)) or isinstance(value, Decimal):
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
