"""CSV import of status reports: all rows checked first, then all written or none."""

import codecs
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from measures.importing import status_import_csv, template_csv
from measures.models import StatusUpdate

from .conftest import PEOPLE, Status, make_measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def measures(goal):
    return [make_measure(goal, title=f"Importziel {n}") for n in range(3)]


def run(actor, text: str):
    return status_import_csv(actor=actor, stream=io.StringIO(text))


def good_rows(measures, sep: str) -> str:
    a, b, c = measures
    return "\n".join(
        [
            sep.join(["measure", "status", "progress", "note"]),
            sep.join([str(a.pk), "in_progress", "40", "Zweiter Workshop durchgeführt"]),
            sep.join([str(b.pk), "done", "100", "Abschlussbericht liegt vor"]),
            sep.join([str(c.pk), "stopped", "10", "Partner ausgestiegen"]),
        ]
    )


def assert_nothing_written(measures):
    assert not StatusUpdate.objects.exists()
    for measure in measures:
        measure.refresh_from_db()
        assert (measure.status, measure.progress, measure.last_reported_at) == (
            Status.PLANNED,
            0,
            None,
        )


# Good files --------------------------------------------------------------------------------


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_good_file_creates_one_report_per_row(sep, coordinator, measures):
    result = run(coordinator, good_rows(measures, sep))

    assert result.ok, result.errors
    assert result.rows == 3
    assert len(result.created) == 3
    assert StatusUpdate.objects.count() == 3
    a, b, c = (m.__class__.objects.get(pk=m.pk) for m in measures)
    assert (a.status, a.progress) == (Status.IN_PROGRESS, 40)
    assert (b.status, b.progress) == (Status.DONE, 100)
    assert (c.status, c.progress) == (Status.STOPPED, 10)
    assert {u.author for u in StatusUpdate.objects.all()} == {coordinator}
    assert StatusUpdate.objects.get(measure=a).note == "Zweiter Workshop durchgeführt"


def test_german_headers_percent_signs_quotes_and_blank_lines_are_understood(coordinator, measures):
    a, b, _c = measures
    text = (
        "Maßnahme;Stand;Fortschritt;Bericht\n"
        f'{a.pk};delayed;25 %;"Verzug; Fördermittel kommen später"\n'
        "\n"
        f"{b.pk};planned;0;\n"
    )

    result = run(coordinator, text)

    assert result.ok, result.errors
    assert len(result.created) == 2
    update = StatusUpdate.objects.get(measure=a)
    assert (update.status, update.progress) == (Status.DELAYED, 25)
    assert update.note == "Verzug; Fördermittel kommen später"


def test_rows_for_the_same_measure_leave_the_last_one_as_its_status(coordinator, measures):
    a = measures[0]
    text = f"measure,status,progress\n{a.pk},in_progress,20\n{a.pk},in_progress,35\n"

    run(coordinator, text)

    a.refresh_from_db()
    assert a.status_updates.count() == 2
    assert a.progress == 35


def test_a_note_spanning_several_lines_keeps_its_line_breaks(coordinator, measures):
    """Spreadsheets export a cell with line breaks as one quoted field over several lines."""
    a, b, _c = measures
    text = (
        "measure,status,progress,note\r\n"
        f'{a.pk},in_progress,40,"Workshop durchgeführt.\r\nNächster Schritt: Pilotbetriebe."\r\n'
        f"{b.pk},planned,0,\r\n"
    )

    result = run(coordinator, text)

    assert result.ok, result.errors
    note = StatusUpdate.objects.get(measure=a).note
    assert note.splitlines() == ["Workshop durchgeführt.", "Nächster Schritt: Pilotbetriebe."]


# Bad rows ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("{pk},finished,50,", "Unbekannter Umsetzungsstand"),
        ("{pk},in_progress,150,", "zwischen 0 und 100"),
        ("{pk},in_progress,-3,", "zwischen 0 und 100"),
        ("{pk},in_progress,viel,", "zwischen 0 und 100"),
        ("{pk},in_progress,,", "zwischen 0 und 100"),
        ("999999,in_progress,50,", "Maßnahme 999999 gibt es nicht"),
        ("abc,in_progress,50,", "keine Nummer"),
        ("{pk},stopped,50,", "Bitte begründen Sie"),
        ("{pk},done,90,Fast fertig", "100 %"),
        # Digits to str.isdigit() but not to int(); more digits than int() reads.
        ("{pk},in_progress,²,", "zwischen 0 und 100"),
        ("{pk},in_progress," + "9" * 5000 + ",", "zwischen 0 und 100"),
        ("²,in_progress,50,", "keine Nummer"),
        ("9" * 5000 + ",in_progress,50,", "keine Nummer"),
        ("99999999999999999999,in_progress,50,", "keine Nummer"),
        ("{pk},in_progress,50,Kurs\x00läuft", "Nullzeichen"),
    ],
)
def test_one_bad_row_writes_nothing_and_names_its_line(bad_row, message, coordinator, measures):
    a, b, c = measures
    text = "\n".join(
        [
            "measure,status,progress,note",
            f"{a.pk},in_progress,40,gut",
            bad_row.format(pk=b.pk),
            f"{c.pk},in_progress,60,auch gut",
        ]
    )

    result = run(coordinator, text)

    assert not result.ok
    assert result.created == []
    assert [error.line for error in result.errors] == [3]
    assert any(message in text for text in result.errors[0].messages), result.errors
    assert_nothing_written(measures)


def test_a_number_too_long_to_read_is_named_without_repeating_it(coordinator, measures):
    result = run(coordinator, "measure,status,progress\n" + "9" * 5000 + ",planned,0\n")

    (message,) = result.errors[0].messages
    assert message.startswith("Maßnahme: „999")
    assert len(message) < 100


def test_line_numbers_count_blank_lines_as_in_the_file(coordinator, measures):
    a, b, _c = measures
    text = f"measure,status,progress\n\n{a.pk},in_progress,40\n\n\n{b.pk},in_progress,140\n"

    result = run(coordinator, text)

    assert [error.line for error in result.errors] == [6]
    assert_nothing_written(measures)


def test_every_bad_row_is_reported_with_all_its_problems(coordinator, measures):
    a, b, _c = measures
    text = (
        "measure;status;progress;note\n"
        f"{a.pk};in_progress;40;gut\n"
        "424242;finished;150;\n"
        f"{b.pk};stopped;20;\n"
    )

    result = run(coordinator, text)

    assert [error.line for error in result.errors] == [3, 4]
    first, second = (" ".join(error.messages) for error in result.errors)
    assert "Maßnahme 424242 gibt es nicht" in first
    assert "Unbekannter Umsetzungsstand" in first
    assert "zwischen 0 und 100" in first
    assert "Bitte begründen Sie" in second
    assert_nothing_written(measures)


# Standard CSV (RFC 4180) ------------------------------------------------------------------


@pytest.mark.parametrize("sep", [",", ";"])
def test_doubled_quotes_in_a_quoted_field_are_one_quote(sep, coordinator, measures):
    a = measures[0]
    note = '"Kurs ""Hochvolt"" läuft; 12 Teilnehmende, 2 Gruppen"'
    text = sep.join(["measure", "status", "progress", "note"]) + "\n"
    text += sep.join([str(a.pk), "in_progress", "40", note]) + "\n"

    result = run(coordinator, text)

    assert result.ok, result.errors
    stored = StatusUpdate.objects.get(measure=a).note
    assert stored == 'Kurs "Hochvolt" läuft; 12 Teilnehmende, 2 Gruppen'


def test_the_delimiter_is_decided_by_the_header_outside_quoted_fields(coordinator, measures):
    """Four commas inside a quoted column name, three semicolons between the columns."""
    a = measures[0]
    text = (
        'measure;status;progress;"Kommentar, intern, nicht, importiert, nie"\n'
        f'{a.pk};in_progress;40;"Nur, für, uns"\n'
    )

    result = run(coordinator, text)

    assert result.ok, result.errors
    update = StatusUpdate.objects.get(measure=a)
    assert (update.status, update.progress, update.note) == (Status.IN_PROGRESS, 40, "")


@pytest.mark.parametrize(
    ("bad_line", "line"),
    [
        ('{pk},in_progress,40,"Kurs "Hochvolt" läuft"', 3),  # quotes not doubled
        ('{pk},in_progress,40,"Workshop am 3. Mai', 3),  # a quote never closed
        ('{pk},"in_progress"x,40,', 3),
    ],
)
def test_a_file_that_is_not_csv_is_refused_naming_the_line(bad_line, line, coordinator, measures):
    a, b, c = measures
    text = "\n".join(
        [
            "measure,status,progress,note",
            f"{a.pk},in_progress,40,gut",
            bad_line.format(pk=b.pk),
            f"{c.pk},in_progress,60,auch gut",
        ]
    )

    result = run(coordinator, text)

    assert not result.ok
    assert [error.line for error in result.errors] == [line]
    assert "kein gültiges CSV" in result.errors[0].messages[0]
    assert_nothing_written(measures)


def test_a_quoted_note_over_several_lines_does_not_shift_the_line_numbers(coordinator, measures):
    a, b, _c = measures
    text = (
        "measure,status,progress,note\n"
        f'{a.pk},in_progress,40,"Zeile eins\nZeile zwei\nZeile drei"\n'
        f"{b.pk},in_progress,140,\n"
    )

    result = run(coordinator, text)

    assert [error.line for error in result.errors] == [5]
    assert_nothing_written(measures)


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        ("measure,status,note", "progress"),
        ("status,progress,note", "measure"),
        ("measure,progress", "status"),
    ],
)
def test_missing_column_is_an_error_in_line_1(header, missing, coordinator, measures):
    result = run(coordinator, f"{header}\n{measures[0].pk},in_progress,40\n")

    assert not result.ok
    assert result.errors[0].line == 1
    assert "Es fehlen Spalten" in result.errors[0].messages[0]
    assert missing in result.errors[0].messages[0]
    assert_nothing_written(measures)


@pytest.mark.parametrize(
    "text", ["", "measure,status,progress,note\n", "measure;status;progress\n\n"]
)
def test_empty_file_or_header_only_is_an_error(text, coordinator, measures):
    result = run(coordinator, text)

    assert not result.ok
    assert result.errors
    assert_nothing_written(measures)


# Who imports: the coordinators on every measure, reporters on their own -----------------

# Who reports on ``measure`` (wg_member through the working group, responsible in person).
REPORTERS = {"wg_member", "responsible"}


@pytest.mark.parametrize("role", sorted(set(PEOPLE) - {"coordinator"} - REPORTERS))
def test_people_who_report_on_nothing_cannot_import(role, person, measures, measure):
    with pytest.raises(PermissionDenied):
        run(person(role), good_rows(measures, ","))

    assert_nothing_written(measures)


@pytest.mark.parametrize("role", sorted(REPORTERS))
def test_reporters_import_on_their_measures(role, person, measure):
    result = run(person(role), f"Nr.;Status;Fortschritt\n{measure.pk};In Umsetzung;30\n")

    assert result.ok, result.errors
    measure.refresh_from_db()
    assert (measure.status, measure.progress) == (Status.IN_PROGRESS, 30)


@pytest.mark.parametrize("role", sorted(REPORTERS))
def test_reporters_cannot_import_on_other_measures(role, person, measure, measures):
    other = measures[0]
    text = f"Nr.;Status;Fortschritt\n{measure.pk};In Umsetzung;30\n{other.pk};Verzögert;10\n"

    result = run(person(role), text)

    assert [error.line for error in result.errors] == [3]
    assert f"Sie berichten nicht über Maßnahme {other.pk}." in result.errors[0].messages
    assert_nothing_written(measures)
    assert not StatusUpdate.objects.filter(measure=measure).exists()


def test_coordinators_import_on_every_measure(coordinator, measure, measures):
    text = "Nr.;Status;Fortschritt\n" + "".join(f"{m.pk};Geplant;5\n" for m in [measure, *measures])

    result = run(coordinator, text)

    assert result.ok, result.errors
    assert StatusUpdate.objects.count() == 4


def test_a_draft_the_importer_cannot_see_does_not_exist_for_them(wg_member, measure, draft_goal):
    hidden = make_measure(draft_goal, title="Geheimer Entwurf", state="draft")

    result = run(wg_member, f"Nr.;Status;Fortschritt\n{hidden.pk};Geplant;0\n")

    assert result.errors[0].messages == [f"Maßnahme {hidden.pk} gibt es nicht."]


# German columns, labels and titles --------------------------------------------------------


def test_german_status_labels_as_the_pages_show_them_are_understood(coordinator, measures):
    a, b, c = measures
    text = (
        "Nr.;Status;Fortschritt (%);Bericht\n"
        f"{a.pk};In Umsetzung;40 %;läuft\n"
        f"{b.pk};abgeschlossen;100;fertig\n"
        f"{c.pk};EINGESTELLT;10;Partner ausgestiegen\n"
    )

    result = run(coordinator, text)

    assert result.ok, result.errors
    statuses = [m.__class__.objects.get(pk=m.pk).status for m in measures]
    assert statuses == [Status.IN_PROGRESS, Status.DONE, Status.STOPPED]


def test_an_unknown_status_names_the_german_labels(coordinator, measures):
    result = run(coordinator, f"Nr.;Status;Fortschritt\n{measures[0].pk};Fertig;50\n")

    (message,) = result.errors[0].messages
    assert message.startswith("Unbekannter Umsetzungsstand: „Fertig“. Erlaubt: „Geplant“")
    assert "„In Umsetzung“" in message


@pytest.mark.parametrize("number", ["Nr. {pk}", "#{pk}", " {pk} "])
def test_a_number_as_the_pages_show_it_is_understood(number, coordinator, measures):
    a = measures[0]
    result = run(coordinator, f"Nr.;Status;Fortschritt\n{number.format(pk=a.pk)};Geplant;5\n")

    assert result.ok, result.errors
    assert StatusUpdate.objects.get().measure == a


def test_a_measure_is_found_by_its_exact_title_without_a_number(coordinator, measures):
    text = "Maßnahme (Titel);Status;Fortschritt\n  importziel 1 ;In Umsetzung;20\n"

    result = run(coordinator, text)

    assert result.ok, result.errors
    assert StatusUpdate.objects.get().measure == measures[1]


def test_a_title_column_named_massnahme_finds_the_measure_by_title(coordinator, measures):
    result = run(coordinator, "Maßnahme;Status;Fortschritt\nImportziel 2;Geplant;0\n")

    assert result.ok, result.errors
    assert StatusUpdate.objects.get().measure == measures[2]


def test_an_ambiguous_or_unknown_title_is_an_error(coordinator, goal, measures):
    make_measure(goal, title="Importziel 0")
    text = "Titel;Status;Fortschritt\nImportziel 0;Geplant;0\nGibt es nicht;Geplant;0\n"

    result = run(coordinator, text)

    assert [error.line for error in result.errors] == [2, 3]
    assert "Mehrere Maßnahmen heißen „Importziel 0“" in result.errors[0].messages[0]
    assert "Keine Ihrer Maßnahmen heißt „Gibt es nicht“" in result.errors[1].messages[0]
    assert not StatusUpdate.objects.exists()


def test_a_reporter_finds_only_their_measures_by_title(wg_member, measure, measures):
    text = f"Titel;Status;Fortschritt\n{measure.title};Geplant;5\nImportziel 0;Geplant;5\n"

    result = run(wg_member, text)

    assert [error.line for error in result.errors] == [3]
    assert not StatusUpdate.objects.exists()


# The upload page ---------------------------------------------------------------------------


def upload(client, text: str, name: str = "berichte.csv"):
    file = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
    return client.post("/massnahmen/import/", {"file": file})


@pytest.mark.parametrize("sep", [",", ";"])
def test_upload_page_imports_a_good_file(sep, login, measures):
    client = login("coordinator")

    response = upload(client, good_rows(measures, sep))

    assert response.status_code == 302
    assert StatusUpdate.objects.count() == 3
    page = client.get(response["Location"]).content.decode()
    assert "3 Statusberichte importiert." in page


def test_upload_page_accepts_a_byte_order_mark(login, measures):
    response = upload(login("coordinator"), "\ufeff" + good_rows(measures, ";"))

    assert response.status_code == 302
    assert StatusUpdate.objects.count() == 3


def test_upload_page_lists_the_bad_lines_and_writes_nothing(login, measures):
    a, b, c = measures
    text = (
        "measure;status;progress;note\n"
        f"{a.pk};in_progress;40;gut\n"
        f"{b.pk};in_progress;150;\n"
        f"{c.pk};stopped;20;\n"
    )

    response = upload(login("coordinator"), text)

    assert response.status_code == 400
    html = response.content.decode()
    assert "2 fehlerhafte Zeilen – nichts wurde gespeichert" in html
    assert "<td>3</td><td>Der Fortschritt ist eine ganze Zahl zwischen 0 und 100.</td>" in html
    assert "<td>4</td><td>Bitte begründen Sie, warum die Maßnahme eingestellt wird.</td>" in html
    assert_nothing_written(measures)


def test_upload_page_names_a_number_too_long_to_read_and_writes_nothing(login, measures):
    a, b, _c = measures
    text = f"measure;status;progress\n{a.pk};in_progress;40\n{b.pk};in_progress;{'9' * 5000}\n"

    response = upload(login("coordinator"), text)

    assert response.status_code == 400
    html = response.content.decode()
    assert "<td>3</td><td>Der Fortschritt ist eine ganze Zahl zwischen 0 und 100.</td>" in html
    assert_nothing_written(measures)


def test_upload_page_names_the_line_that_is_not_csv(login, measures):
    a, b, _c = measures
    text = f'measure;status;progress;note\n{a.pk};in_progress;40;"offen\n{b.pk};planned;0;\n'

    response = upload(login("coordinator"), text)

    assert response.status_code == 400
    assert "<td>2</td><td>Die Zeile ist kein gültiges CSV" in response.content.decode()
    assert_nothing_written(measures)


def test_upload_page_takes_a_windows_1252_file_with_german_headers_and_labels(login, measures):
    a, b, c = measures
    text = (
        "Maßnahme;Status;Fortschritt;Bericht\r\n"
        f"{a.pk};In Umsetzung;40;Schulung läuft – 12 Teilnehmende, Kosten 3 €\r\n"
        f"{b.pk};Eingestellt;0;Schließung des Standorts\r\n"
        f"{c.pk};Verzögert;15;Fördermittel kommen später\r\n"
    )
    file = SimpleUploadedFile("excel.csv", text.encode("cp1252"), content_type="text/csv")

    response = login("coordinator").post("/massnahmen/import/", {"file": file})

    assert response.status_code == 302
    assert StatusUpdate.objects.get(measure=a).note == (
        "Schulung läuft – 12 Teilnehmende, Kosten 3 €"
    )
    assert StatusUpdate.objects.get(measure=b).note == "Schließung des Standorts"
    assert StatusUpdate.objects.get(measure=c).status == Status.DELAYED


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252", "iso8859_15"])
@pytest.mark.parametrize("sep", [";", ","])
def test_upload_page_reads_every_encoding_and_separator_spreadsheets_write(
    encoding, sep, login, measures
):
    a = measures[0]
    text = sep.join(["Nr.", "Status", "Fortschritt", "Bericht"]) + "\r\n"
    text += sep.join([str(a.pk), "In Umsetzung", "40", "Prüfung der Maßnahmenübersicht"]) + "\r\n"
    file = SimpleUploadedFile("daten.csv", text.encode(encoding), content_type="text/csv")

    response = login("coordinator").post("/massnahmen/import/", {"file": file})

    assert response.status_code == 302, response.content.decode()
    assert StatusUpdate.objects.get(measure=a).note == "Prüfung der Maßnahmenübersicht"


def xlsx(rows, percent_column=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if percent_column:
        for cell in sheet[percent_column][1:]:
            cell.number_format = "0%"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload_bytes(client, data: bytes, name: str):
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post("/massnahmen/import/", {"file": file})


def test_upload_page_takes_an_excel_workbook(login, measures):
    a, b, _c = measures
    data = xlsx(
        [
            ["Nr.", "Maßnahme (Titel)", "Status", "Fortschritt", "Bericht"],
            [a.pk, a.title, "In Umsetzung", 40, "Workshop durchgeführt"],
            [None, None, None, None, None],
            [b.pk, b.title, "Abgeschlossen", 100.0, None],
        ]
    )

    response = upload_bytes(login("coordinator"), data, "berichte.xlsx")

    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.progress) == (Status.IN_PROGRESS, 40)
    assert (b.status, b.progress) == (Status.DONE, 100)


def test_an_excel_percentage_cell_counts_as_its_percent_figure(login, measures):
    a = measures[0]
    data = xlsx([["Nr.", "Status", "Fortschritt"], [a.pk, "In Umsetzung", 0.4]], "C")

    response = upload_bytes(login("coordinator"), data, "prozent.xlsx")

    assert response.status_code == 302
    a.refresh_from_db()
    assert a.progress == 40


def test_excel_errors_name_the_row_numbers_of_the_sheet(login, measures):
    a, b, _c = measures
    data = xlsx(
        [
            ["Nr.", "Status", "Fortschritt"],
            [a.pk, "In Umsetzung", 40],
            [None, None, None],
            [b.pk, "In Umsetzung", 140],
        ]
    )

    response = upload_bytes(login("coordinator"), data, "fehler.xlsx")

    assert response.status_code == 400
    html = response.content.decode()
    assert "<td>4</td><td>Der Fortschritt ist eine ganze Zahl zwischen 0 und 100.</td>" in html
    assert_nothing_written(measures)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "alt.xls", "(.xls) wird nicht"),
        (b"PK\x03\x04kaputt", "kaputt.xlsx", "lässt sich nicht lesen"),
        (b"\x00\x01\x02\x03\xff\xfe\x00", "bild.csv", "weder eine CSV-Datei"),
        (b"", "leer.csv", ""),
    ],
)
def test_upload_page_refuses_what_it_cannot_read(data, name, message, login, measures):
    response = upload_bytes(login("coordinator"), data, name)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert_nothing_written(measures)


# The template ------------------------------------------------------------------------------


def test_the_csv_template_lists_the_reporters_measures_and_reads_back(login, measure, measures):
    client = login("wg_member")

    response = client.get("/massnahmen/import/vorlage.csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = response.content
    assert body.startswith(codecs.BOM_UTF8)
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0] == "Nr.;Maßnahme (Titel);Handlungsfeld;Status;Fortschritt;Bericht"
    assert lines[1:] == [f"{measure.pk};{measure.title};Industriepolitik;Geplant;0;"]

    filled = body.decode("utf-8-sig").replace(";Geplant;0;", ";In Umsetzung;25;Begonnen")
    again = upload_bytes(client, filled.encode("utf-8"), "vorlage.csv")

    assert again.status_code == 302
    measure.refresh_from_db()
    assert (measure.status, measure.progress) == (Status.IN_PROGRESS, 25)


def test_the_excel_template_offers_the_statuses_and_reads_back(login, measure, measures):
    client = login("coordinator")

    response = client.get("/massnahmen/import/vorlage.xlsx")

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Nr.",
        "Maßnahme (Titel)",
        "Handlungsfeld",
        "Status",
        "Fortschritt",
        "Bericht",
    )
    assert {row[0] for row in rows[1:]} == {m.pk for m in [measure, *measures]}
    (validation,) = sheet.data_validations.dataValidation
    assert "In Umsetzung" in validation.formula1

    for row in sheet.iter_rows(min_row=2):
        row[3].value, row[4].value = "Verzögert", 10
    out = io.BytesIO()
    workbook.save(out)
    again = upload_bytes(client, out.getvalue(), "vorlage.xlsx")

    assert again.status_code == 302
    assert StatusUpdate.objects.filter(status=Status.DELAYED).count() == 4


@pytest.mark.parametrize("role", sorted(set(PEOPLE) - {"coordinator", "anonymous"} - REPORTERS))
def test_the_template_is_forbidden_to_people_who_report_on_nothing(role, login, measure):
    for extension in ("csv", "xlsx"):
        assert login(role).get(f"/massnahmen/import/vorlage.{extension}").status_code == 403


def test_the_upload_page_offers_the_templates_and_explains_the_columns(login, measure):
    page = login("wg_member").get("/massnahmen/import/").content.decode()

    assert 'href="/massnahmen/import/vorlage.xlsx"' in page
    assert 'href="/massnahmen/import/vorlage.csv"' in page
    assert "„In Umsetzung“" in page


def test_measure_numbers_are_shown_on_the_measure_page_and_in_lists(client, measure):
    assert f"Nr. {measure.pk}" in client.get(measure.get_absolute_url()).content.decode()
    assert f"Nr. {measure.pk}" in client.get("/massnahmen/").content.decode()


@pytest.mark.parametrize("role", sorted(set(PEOPLE) - {"coordinator", "anonymous"} - REPORTERS))
def test_upload_page_is_forbidden_to_people_who_report_on_nothing(role, login, measures, measure):
    client = login(role)

    assert client.get("/massnahmen/import/").status_code == 403
    assert upload(client, good_rows(measures, ",")).status_code == 403
    assert_nothing_written(measures)


def test_upload_page_sends_anonymous_users_to_the_login(client, measures):
    response = upload(client, good_rows(measures, ","))

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")
    assert_nothing_written(measures)


# Queries ----------------------------------------------------------------------------------


def _queries_to_check(actor, measures) -> int:
    """The queries of checking a file with a row per measure and one bad row at the end (so
    nothing is written): by number and by title."""
    rows = "".join(f"{m.pk};In Umsetzung;10\n" for m in measures[::2])
    rows += "".join(f"{m.title};In Umsetzung;10\n" for m in measures[1::2])
    text = "Maßnahme;Status;Fortschritt\n" + rows + "424242;Geplant;0\n"
    with CaptureQueriesContext(connection) as queries:
        result = run(actor, text)
    assert [error.line for error in result.errors] == [len(measures) + 2]
    return len(queries)


def test_checking_a_file_costs_the_same_queries_for_few_and_many_rows(coordinator, goal):
    few = [make_measure(goal, title=f"Wenige {n}") for n in range(4)]
    _queries_to_check(coordinator, few)  # the coordinator's permissions are read once
    first = _queries_to_check(coordinator, few)
    many = few + [make_measure(goal, title=f"Viele {n}") for n in range(16)]

    assert _queries_to_check(coordinator, many) == first


def test_the_template_costs_the_same_queries_for_few_and_many_measures(coordinator, goal):
    make_measure(goal, title="Erste")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            template_csv(coordinator)
        return len(queries)

    count()  # the coordinator's permissions are read once
    first = count()
    for n in range(10):
        make_measure(goal, title=f"Weitere {n}")

    assert count() == first
