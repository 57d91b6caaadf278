"""The dashboard: key figures and charts that match the data the person may see."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import charts, dashboard
from tests.conftest import fresh

from .conftest import DRAFT, Status, days, today
from .html import parse, table_data

pytestmark = pytest.mark.django_db

URL = "/fortschritt/"


def page(client, user=None):
    if user is not None:
        client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response


def chart_tables(response) -> dict[str, list[list[str]]]:
    """Each data table of the page by its caption."""
    tree = parse(response.content)
    return {table.find("caption").text: table_data(table) for table in tree.find_all("table")}


# Figures -----------------------------------------------------------------------------------


def test_key_figures_count_statuses_done_and_overdue(three_measures, anonymous):
    figures = dashboard.key_figures(anonymous)

    assert (figures.goals, figures.measures) == (1, 3)
    assert figures.done == 1
    assert figures.overdue == 1
    assert figures.done_share == pytest.approx(100 / 3)
    assert figures.by_status == {
        Status.PLANNED: 1,
        Status.IN_PROGRESS: 1,
        Status.DELAYED: 0,
        Status.DONE: 1,
        Status.STOPPED: 0,
    }


def test_field_progress_is_the_mean_of_the_goals(three_measures, field, anonymous):
    figures = {row.field.slug: row for row in dashboard.field_figures(anonymous)}

    assert len(figures) == 5  # every Handlungsfeld, with or without goals
    assert figures[field.slug].progress == pytest.approx((100 + 40 + 0) / 3)
    assert (figures[field.slug].goals, figures[field.slug].measures) == (1, 3)
    assert figures["arbeit-und-beschaeftigung"].progress is None


def test_dashboard_page_shows_the_figures_in_charts_and_tables(client, three_measures, field):
    response = page(client)
    tables = chart_tables(response)

    fields = tables["Fortschritt je Handlungsfeld"]
    assert fields[0] == ["Handlungsfeld", "Fortschritt", "Ziele", "Maßnahmen"]
    assert [f"{field.number}. {field.title}", "47 %", "1", "3"] in fields
    assert ["2. Innovation und Technologietransformation", "noch kein Fortschritt", "0", "0"] in (
        fields
    )
    statuses = dict(row for row in tables["Maßnahmen nach Umsetzungsstand"][1:])
    assert statuses == {
        "Geplant": "1",
        "In Umsetzung": "1",
        "Verzögert": "0",
        "Abgeschlossen": "1",
        "Eingestellt": "0",
    }
    tree = parse(response.content)
    figures = tree.by_id("kennzahlen").parent.text
    assert "1 veröffentlichtes Ziel" in figures
    assert "3 veröffentlichte Maßnahmen" in figures
    assert "33 % der Maßnahmen abgeschlossen" in figures
    assert "1 Maßnahme überfällig" in figures
    # The SVG carries the values as text, not only as bar lengths and colours.
    svg_texts = [t.text for svg in tree.find_all("svg") for t in svg.find_all("text")]
    assert "47 %" in svg_texts
    assert "Abgeschlossen" in svg_texts


def test_deadlines_are_counted_per_quarter_as_done_open_or_overdue(goal, make_measure, anonymous):
    on = datetime.date(2025, 6, 16)
    make_measure(goal, deadline=datetime.date(2025, 1, 10), status=Status.DONE, progress=100)
    make_measure(goal, deadline=datetime.date(2025, 2, 1), status=Status.PLANNED)
    make_measure(goal, deadline=datetime.date(2025, 5, 1), status=Status.IN_PROGRESS)
    make_measure(goal, deadline=datetime.date(2025, 6, 16), status=Status.DELAYED)  # due today
    make_measure(goal, deadline=datetime.date(2025, 11, 30), status=Status.IN_PROGRESS)
    make_measure(goal, deadline=datetime.date(2026, 1, 5), status=Status.STOPPED)
    make_measure(goal)  # no deadline

    quarters = dashboard.deadline_quarters(anonymous, on=on)

    assert [(q.label, q.done, q.open, q.overdue) for q in quarters] == [
        ("Q1 2025", 1, 0, 1),
        ("Q2 2025", 0, 1, 1),
        ("Q3 2025", 0, 0, 0),  # a quarter without deadlines keeps its place on the time axis
        ("Q4 2025", 0, 1, 0),
    ]


def test_deadline_table_on_the_page_matches_the_measures(client, three_measures):
    quarter = {
        m.deadline: f"Q{(m.deadline.month - 1) // 3 + 1} {m.deadline.year}"
        for m in (three_measures.values())
    }
    expected: dict[str, list[int]] = {}
    for name, measure in three_measures.items():
        counts = expected.setdefault(quarter[measure.deadline], [0, 0, 0])
        counts[{"done": 0, "running": 1, "overdue": 2}[name]] += 1

    rows = chart_tables(page(client))["Maßnahmen mit Frist je Quartal"]

    assert rows[0] == ["Quartal", "abgeschlossen", "offen", "überfällig", "gesamt"]
    found = {row[0]: [int(cell) for cell in row[1:4]] for row in rows[1:]}
    assert {label: counts for label, counts in found.items() if any(counts)} == expected
    assert all(int(row[4]) == sum(int(cell) for cell in row[1:4]) for row in rows[1:])


def test_dashboard_without_deadlines_says_so(client, goal, make_measure):
    make_measure(goal)

    response = page(client)

    assert "Noch keine Maßnahme hat eine Frist." in response.content.decode()
    assert len(parse(response.content).find_all("svg")) == 2


def test_nice_scale_gives_round_bounds_with_at_most_five_steps():
    assert charts.nice_scale(0) == (1, 1)
    assert charts.nice_scale(3) == (3, 1)
    assert charts.nice_scale(7) == (8, 2)
    assert charts.nice_scale(23) == (25, 5)
    assert charts.nice_scale(180) == (200, 50)


# Visibility --------------------------------------------------------------------------------


@pytest.fixture
def drafts(goal, field, other_field, organisation, make_goal, make_measure):
    """Next to one published measure: drafts in Industriepolitik and in another field."""
    make_measure(goal, title="Öffentlich", status=Status.IN_PROGRESS, progress=20)
    make_measure(goal, title="Entwurf im Feld", state=DRAFT, status=Status.DONE, progress=100)
    draft_goal = make_goal(field, organisation, state=DRAFT, title="Entwurf eines Ziels")
    make_measure(draft_goal, title="Entwurf unter Entwurfsziel", state=DRAFT, progress=60)
    other_goal = make_goal(other_field, organisation, state=DRAFT, title="Fremdes Entwurfsziel")
    make_measure(other_goal, title="Entwurf im anderen Feld", state=DRAFT, progress=80)


def test_anonymous_dashboard_ignores_drafts(client, drafts):
    response = page(client)
    figures = response.context["dashboard"].figures

    assert (figures.goals, figures.measures, figures.done) == (1, 1, 0)
    assert (figures.goal_drafts, figures.measure_drafts) == (0, 0)
    assert "Entwürfe" not in response.content.decode()
    fields = chart_tables(response)["Fortschritt je Handlungsfeld"]
    assert ["1. Industriepolitik", "20 %", "1", "1"] in fields
    assert ["3. Arbeit und Beschäftigung", "noch kein Fortschritt", "0", "0"] in fields


def test_editor_dashboard_includes_the_drafts_of_their_field_only(client, drafts, editor):
    response = page(client, editor)
    figures = response.context["dashboard"].figures

    assert (figures.goals, figures.goal_drafts) == (2, 1)
    assert (figures.measures, figures.measure_drafts, figures.done) == (3, 2, 1)
    assert "nur für das Konsortium sichtbar" in response.content.decode()
    fields = chart_tables(response)["Fortschritt je Handlungsfeld"]
    # Goals: published (mean of 20 and 100 = 60) and draft (60).
    assert ["1. Industriepolitik", "60 %", "2", "3"] in fields
    assert ["3. Arbeit und Beschäftigung", "noch kein Fortschritt", "0", "0"] in fields


def test_coordinator_dashboard_includes_every_draft(client, drafts, coordinator):
    figures = page(client, coordinator).context["dashboard"].figures

    assert (figures.goals, figures.measures) == (3, 4)


# Accessibility and CSP ---------------------------------------------------------------------


def test_every_chart_is_an_image_with_title_description_and_a_data_table(client, three_measures):
    tree = parse(page(client).content)
    svgs = tree.find_all("svg")

    assert len(svgs) == 3
    for svg in svgs:
        assert svg.attrs["role"] == "img"
        title_id, desc_id = svg.attrs["aria-labelledby"].split()
        title, desc = svg.by_id(title_id), svg.by_id(desc_id)
        assert title is not None and title.tag == "title" and title.text
        assert desc is not None and desc.tag == "desc"
        assert len(desc.text.split()) > 5 and desc.text.endswith(".")
        assert svg.find_all("text"), "values and labels are written inside the chart"
        section = svg.parent
        while section.tag != "section":
            section = section.parent
        table = section.find("table")
        assert table is not None, f"no data table below {title.text}"
        assert table.find("caption").text
        headers = table.find_all("th")
        assert headers and all(th.attrs.get("scope") in ("col", "row") for th in headers)
        assert any(th.attrs["scope"] == "row" for th in headers)


def test_chart_descriptions_summarise_the_data(client, three_measures):
    tree = parse(page(client).content)
    descriptions = [desc.text for desc in tree.find_all("desc")]

    assert "1. Industriepolitik: 47 %" in descriptions[0]
    assert descriptions[1].startswith("3 Maßnahmen nach Umsetzungsstand: Geplant 1")
    assert "1 abgeschlossen, 1 offen und 1 überfällig" in descriptions[2]


def test_chart_colours_are_dark_enough_against_white(client, three_measures):
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    tree = parse(page(client).content)
    fills = {
        rect.attrs["fill"]
        for svg in tree.find_all("svg")
        for rect in svg.find_all("rect")
        if rect.attrs["fill"] not in (charts.TINT,)  # the empty track, outlined instead
    }
    assert fills
    for fill in fills:
        assert 1.05 / (luminance(fill) + 0.05) >= 3, fill


def test_svg_numbers_are_not_localised(client, three_measures):
    """German number formatting ("12,5") would break SVG coordinates."""
    tree = parse(page(client).content)
    numeric = ("x", "y", "width", "height", "x1", "x2", "y1", "y2", "font-size")
    for svg in tree.find_all("svg"):
        for node in [svg, *svg.find_all("rect"), *svg.find_all("line"), *svg.find_all("text")]:
            for name in numeric:
                if name in node.attrs:
                    float(node.attrs[name])
        assert re.fullmatch(r"0 0 \d+ \d+", svg.attrs["viewBox".lower()])


@pytest.mark.parametrize("url", ["/fortschritt/", "/partner/", "/partner/cwe/"])
def test_portal_pages_have_no_style_attributes_or_scripts(client, three_measures, url):
    response = client.get(url)
    html = response.content.decode()

    assert response.status_code == 200
    assert not re.search(r"\sstyle\s*=", html)
    for node in parse(html).iter():
        assert node.tag not in ("style", "script")
        assert not any(name.startswith("on") for name in node.attrs)


# Queries -----------------------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    # What rendering costs, not what the page cache saves.
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/fortschritt/", "/partner/", "/partner/cwe/"])
@pytest.mark.parametrize("role", ["anonymous", "editor"])
def test_queries_do_not_grow_with_the_number_of_measures(
    client, request, goal, other_organisation, make_measure, url, role
):
    if role != "anonymous":
        client.force_login(fresh(request.getfixturevalue(role)))

    def add(count: int) -> None:
        for n in range(count):
            make_measure(
                goal,
                state=DRAFT if n % 4 == 0 else "published",
                status=[Status.PLANNED, Status.IN_PROGRESS, Status.DONE][n % 3],
                progress=[0, 50, 100][n % 3],
                deadline=today() + days(40 * n - 200),
                partners=[other_organisation] if n % 2 else [],
            )

    add(3)
    client.get(url)  # warm up caches that are filled once per process (content types …)
    few = count_queries(client, url)
    add(22)
    many = count_queries(client, url)

    assert many == few
