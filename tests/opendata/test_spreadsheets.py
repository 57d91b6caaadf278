"""CSV and XLSX exports: layout, content, field filter, formula injection, query counts."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .conftest import body_text, bytes_io, in_days

pytestmark = pytest.mark.django_db

MEASURE_HEADERS = [
    "ID",
    "Handlungsfeld",
    "Ziel-ID",
    "Ziel",
    "Titel",
    "Beschreibung",
    "Organisation (federführend)",
    "Arbeitsgruppe",
    "Beginn",
    "Frist",
    "Umsetzungsstand",
    "Status-Code",
    "Fortschritt (%)",
    "überfällig",
    "letzter Bericht",
    "URL",
]
GOAL_HEADERS = [
    "ID",
    "Handlungsfeld",
    "Titel",
    "Beschreibung",
    "Indikator",
    "Organisation (verantwortlich)",
    "Zieldatum",
    "Maßnahmen",
    "Fortschritt (%)",
    "URL",
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_rows(response) -> list[dict[str, str]]:
    text = body_text(response)
    assert text.startswith("\ufeff"), "Excel needs the byte order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def xlsx_rows(response) -> tuple[list, list[dict]]:
    """The header row and the data rows (as dicts) of the first sheet, and the sheet."""
    sheet = openpyxl.load_workbook(bytes_io(response)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    headers = list(rows[0])
    return headers, [dict(zip(headers, row, strict=True)) for row in rows[1:]], sheet


# Layout -------------------------------------------------------------------------------------


def test_measures_csv_is_a_semicolon_separated_utf8_attachment_for_german_excel(content, download):
    response = download(reverse("opendata:measures_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="itas-charta-massnahmen-')
    assert disposition.endswith('.csv"')
    first_line = body_text(response).splitlines()[0]
    assert first_line == "\ufeff" + ";".join(MEASURE_HEADERS)


def test_measures_csv_lists_published_measures_with_german_status_and_absolute_urls(
    content, report, download
):
    report(content["helpdesk"], "in_progress", 40, "läuft")
    rows = {row["Titel"]: row for row in csv_rows(download(reverse("opendata:measures_csv")))}
    assert set(rows) == {
        "Strategie-Coaching für Zulieferer",
        "Helpdesk-Sprechstunde",
        "Transformationspiloten in Unternehmen",
        "Circular-Cars-Schulungen",
    }
    helpdesk = rows["Helpdesk-Sprechstunde"]
    measure = content["helpdesk"]
    assert helpdesk["ID"] == str(measure.pk)
    assert helpdesk["Handlungsfeld"] == "Industriepolitik"
    assert helpdesk["Ziel-ID"] == str(measure.goal_id)
    assert helpdesk["Ziel"] == "Sprechstunde für KMU etablieren"
    assert helpdesk["Organisation (federführend)"] == "Chemnitz Wirtschaftsentwicklung"
    assert helpdesk["Umsetzungsstand"] == "In Umsetzung"
    assert helpdesk["Status-Code"] == "in_progress"
    assert helpdesk["Fortschritt (%)"] == "40"
    assert helpdesk["überfällig"] == "ja"
    assert helpdesk["Frist"] == in_days(-5).isoformat()
    assert helpdesk["letzter Bericht"].startswith(datetime.date.today().isoformat()[:4])
    assert helpdesk["URL"] == f"http://testserver/massnahmen/{measure.pk}/"
    coaching = rows["Strategie-Coaching für Zulieferer"]
    assert coaching["Arbeitsgruppe"] == "AG Qualifizierung"
    assert coaching["Beginn"] == in_days(-30).isoformat()
    assert coaching["Umsetzungsstand"] == "Geplant"
    assert coaching["überfällig"] == "nein"
    assert coaching["letzter Bericht"] == ""
    assert rows["Transformationspiloten in Unternehmen"]["Frist"] == ""


def test_export_labels_stay_german_when_the_visitor_reads_english(content, client):
    client.cookies["django_language"] = "en"
    rows = csv_rows(client.get(reverse("opendata:measures_csv"), HTTP_ACCEPT_LANGUAGE="en"))
    assert "Umsetzungsstand" in rows[0]
    assert {row["Umsetzungsstand"] for row in rows} == {"Geplant"}


def test_goals_csv_counts_and_averages_published_measures_only(content, report, download):
    report(content["helpdesk"], "in_progress", 60)
    report(content["draft"], "in_progress", 100 - 1)  # a draft must not pull the mean
    response = download(reverse("opendata:goals_csv"))
    assert response["Content-Disposition"].startswith('attachment; filename="itas-charta-ziele-')
    assert body_text(response).splitlines()[0] == "\ufeff" + ";".join(GOAL_HEADERS)
    rows = {row["Titel"]: row for row in csv_rows(response)}
    assert set(rows) == {
        "Sprechstunde für KMU etablieren",
        "Qualifizierung für die Fahrzeugproduktion von morgen",
    }
    goal = rows["Sprechstunde für KMU etablieren"]
    assert goal["Maßnahmen"] == "3"
    assert goal["Fortschritt (%)"] == "20"  # (0 + 60 + 0) / 3
    assert goal["URL"] == f"http://testserver/massnahmen/ziele/{content['coaching'].goal_id}/"


def test_measures_xlsx_opens_with_a_header_row_and_typed_cells(content, download):
    response = download(reverse("opendata:measures_xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].endswith('.xlsx"')
    headers, rows, sheet = xlsx_rows(response)
    assert headers == MEASURE_HEADERS
    assert sheet.title == "Maßnahmen"
    assert sheet.freeze_panes == "A2"
    assert len(rows) == 4
    coaching = next(row for row in rows if row["Titel"] == "Strategie-Coaching für Zulieferer")
    assert coaching["ID"] == content["coaching"].pk
    assert coaching["Frist"].date() == in_days(60)
    assert coaching["Fortschritt (%)"] == 0


def test_goals_xlsx_opens_with_a_header_row(content, download):
    headers, rows, sheet = xlsx_rows(download(reverse("opendata:goals_xlsx")))
    assert headers == GOAL_HEADERS
    assert sheet.title == "Ziele"
    assert len(rows) == 2


# Field filter -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["opendata:measures_csv", "opendata:measures_xlsx"])
def test_measures_filtered_by_field_contain_only_that_field(name, content, other_field, download):
    response = download(f"{reverse(name)}?handlungsfeld={other_field.slug}")
    assert other_field.slug in response["Content-Disposition"]
    rows = csv_rows(response) if name.endswith("csv") else xlsx_rows(response)[1]
    assert [row["Titel"] for row in rows] == ["Circular-Cars-Schulungen"]


def test_goals_filtered_by_field_contain_only_that_field(content, field, download):
    rows = csv_rows(download(f"{reverse('opendata:goals_csv')}?handlungsfeld={field.slug}"))
    assert [row["Titel"] for row in rows] == ["Sprechstunde für KMU etablieren"]


@pytest.mark.parametrize(
    "name",
    [
        "opendata:goals_csv",
        "opendata:goals_xlsx",
        "opendata:measures_csv",
        "opendata:measures_xlsx",
    ],
)
def test_an_unknown_field_is_not_found(name, download):
    assert download(f"{reverse(name)}?handlungsfeld=gibt-es-nicht").status_code == 404


# Formula injection --------------------------------------------------------------------------

DANGEROUS = [
    '=HYPERLINK("http://evil")',
    "@SUM(1)",
    "+49 371 123",
    "-2+3",
    "\tTabulator",
    "\rWagenrücklauf",
]


@pytest.fixture
def dangerous(goal, make_measure):
    """Published measures whose titles and descriptions a spreadsheet would run as formulas."""
    return [
        make_measure(goal, title, description=f"={index}+1")
        for index, title in enumerate(DANGEROUS)
    ]


def test_csv_prefixes_formula_text_with_an_apostrophe(dangerous, download):
    rows = csv_rows(download(reverse("opendata:measures_csv")))
    titles = {row["Titel"] for row in rows}
    assert titles == {"'" + title for title in DANGEROUS}
    assert {row["Beschreibung"] for row in rows} == {f"'={i}+1" for i in range(len(DANGEROUS))}


def test_csv_leaves_harmless_text_alone(goal, make_measure, download):
    make_measure(goal, "Kosten 1+1=2 @ Chemnitz")
    rows = csv_rows(download(reverse("opendata:measures_csv")))
    assert rows[0]["Titel"] == "Kosten 1+1=2 @ Chemnitz"


def test_xlsx_stores_formula_text_as_prefixed_strings(dangerous, download):
    headers, rows, sheet = xlsx_rows(download(reverse("opendata:measures_xlsx")))
    # XML turns a carriage return into a line feed when the file is read back.
    assert {row["Titel"] for row in rows} == {
        "'" + title.replace("\r", "\n") for title in DANGEROUS
    }
    title_column = headers.index("Titel") + 1
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            assert cell.data_type != "f"
        assert cells[title_column - 1].data_type == "s"
        assert cells[title_column - 1].value.startswith("'")


def test_the_dangerous_titles_of_the_issue_come_out_prefixed(goal, make_measure, download):
    make_measure(goal, '=HYPERLINK("http://evil")')
    make_measure(goal, "@SUM(1)")
    csv_titles = {row["Titel"] for row in csv_rows(download(reverse("opendata:measures_csv")))}
    xlsx_titles = {
        row["Titel"] for row in xlsx_rows(download(reverse("opendata:measures_xlsx")))[1]
    }
    expected = {'\'=HYPERLINK("http://evil")', "'@SUM(1)"}
    assert csv_titles == expected
    assert xlsx_titles == expected


# Query counts -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["opendata:measures_csv", "opendata:measures_xlsx"])
def test_measure_exports_ask_the_database_as_often_for_20_measures_as_for_3(
    name, goal, other_goal, make_measure, working_group, report, client
):
    def add_measures(count: int) -> None:
        for index in range(count):
            measure = make_measure(
                goal if index % 3 else other_goal,
                f"Maßnahme {index}",
                working_group=working_group if index % 2 else None,
                deadline=in_days(index - 5),
            )
            if index % 4 == 0:
                report(measure, "in_progress", 10)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(name))
        assert response.status_code == 200
        return len(captured)

    add_measures(3)
    few = queries()
    add_measures(17)
    many = queries()
    assert few == many


def test_goal_exports_ask_the_database_as_often_for_20_goals_as_for_3(
    field, make_goal, make_measure, client
):
    def add_goals(count: int) -> None:
        for index in range(count):
            make_measure(make_goal(field, f"Ziel {index}"), f"Maßnahme zu Ziel {index}")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("opendata:goals_csv"))
        return len(captured)

    add_goals(3)
    few = queries()
    add_goals(17)
    assert queries() == few
