"""Partner pages: what each organisation owns, leads and takes part in, as far as one may see."""

import re

import pytest

from accounts.models import Organisation
from tests.factories import OrganisationFactory

from .conftest import DRAFT, Status, days, today
from .html import parse, table_data

NUMBER = re.compile(r"^Nr\. \d+ ")

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio(field, other_field, organisation, other_organisation, make_goal, make_measure):
    """CWE owns a published and a draft goal, leads published and draft measures and is a
    partner in an IHK measure; IHK owns a goal in another field."""
    goal = make_goal(field, organisation, title="Sprechstunde für KMU etablieren")
    draft_goal = make_goal(field, organisation, state=DRAFT, title="Geheimes Entwurfsziel")
    ihk_goal = make_goal(
        other_field, other_organisation, title="Qualifizierung für die E-Mobilität"
    )
    return {
        "goal": goal,
        "draft_goal": draft_goal,
        "ihk_goal": ihk_goal,
        "led": make_measure(
            goal,
            title="Helpdesk für KMU",
            status=Status.IN_PROGRESS,
            progress=40,
            deadline=today() + days(30),
            partners=[other_organisation],
        ),
        "led_overdue": make_measure(
            goal, title="Transformationspiloten", deadline=today() - days(3)
        ),
        "led_draft": make_measure(goal, title="Entwurf: Wasserstoffbedarf", state=DRAFT),
        "partnered": make_measure(
            ihk_goal,
            title="Circular-Cars-Schulungen",
            status=Status.DONE,
            progress=100,
            partners=[organisation],
        ),
        "partnered_draft": make_measure(
            ihk_goal, title="Entwurf: Textilzulieferer", state=DRAFT, partners=[organisation]
        ),
        "unrelated": make_measure(ihk_goal, title="Mobilitätskonzepte mit automatisiertem Fahren"),
    }


def rows_by_name(html: bytes) -> dict[str, list[str]]:
    table = parse(html).find("table")
    return {row[0]: row[1:] for row in table_data(table)[1:]}


# The list ----------------------------------------------------------------------------------


def test_list_shows_each_organisation_with_what_the_public_may_see(client, portfolio):
    response = client.get("/partner/")

    assert response.status_code == 200
    rows = rows_by_name(response.content)
    # Name, then: kind, website, goals, measures led, measures as partner.
    assert rows["Chemnitz Wirtschaftsentwicklung (CWE) Konsortialführer"][0] == (
        "Wirtschaftsförderung"
    )
    assert rows["Chemnitz Wirtschaftsentwicklung (CWE) Konsortialführer"][2:] == ["1", "2", "1"]
    assert rows["IHK Chemnitz (IHK)"][2:] == ["1", "2", "1"]


def test_list_counts_drafts_for_those_who_may_see_them(client, portfolio, coordinator):
    client.force_login(coordinator)

    rows = rows_by_name(client.get("/partner/").content)

    assert rows["Chemnitz Wirtschaftsentwicklung (CWE) Konsortialführer"][2:] == ["2", "3", "2"]


def test_list_links_websites_with_noopener_and_never_a_script_url(client, portfolio):
    OrganisationFactory(name="Zulieferer mit Skript", website="javascript:alert(1)")

    response = client.get("/partner/")
    links = [a for a in parse(response.content).find_all("a") if a.attrs["href"].startswith("http")]

    assert {a.attrs["href"] for a in links} == {
        "https://www.cwe-chemnitz.de/",
        "https://www.ihk.de/chemnitz/",
    }
    assert all(a.attrs.get("rel") == "noopener" for a in links)
    assert "javascript:" not in response.content.decode()


# One organisation --------------------------------------------------------------------------


def test_page_lists_owned_goals_and_led_and_partnered_measures(client, portfolio):
    response = client.get("/partner/cwe/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "Wirtschaftsförderung der Stadt Chemnitz" in html
    tree = parse(response.content)
    goals, led, partnered = (tree.by_id(key) for key in ("ziele", "federfuehrung", "partnerschaft"))
    assert goals and led and partnered
    tables = tree.find_all("table")
    assert len(tables) == 3
    # Measure rows begin with the measure's number ("Nr. 12"), which the status import uses.
    titles = [[NUMBER.sub("", row[0]) for row in table_data(table)[1:]] for table in tables]
    assert titles[0] == ["Sprechstunde für KMU etablieren"]
    # By deadline: the overdue one first.
    assert titles[1] == [
        "Transformationspiloten Industriepolitik",
        "Helpdesk für KMU Industriepolitik",
    ]
    assert titles[2] == ["Circular-Cars-Schulungen Arbeit und Beschäftigung"]
    # Status, progress bar, deadline and overdue mark come with each measure.
    led_rows = {NUMBER.sub("", row[0]): row[1:] for row in table_data(tables[1])[1:]}
    assert led_rows["Helpdesk für KMU Industriepolitik"][:2] == ["In Umsetzung", "40 %"]
    assert "überfällig" in led_rows["Transformationspiloten Industriepolitik"][3]
    assert "überfällig" not in led_rows["Helpdesk für KMU Industriepolitik"][3]
    assert html.count('<progress max="100" value="40"') == 1


def test_page_shows_no_draft_to_the_public(client, portfolio):
    html = client.get("/partner/cwe/").content.decode()

    assert "Geheimes Entwurfsziel" not in html
    assert "Entwurf: Wasserstoffbedarf" not in html
    assert "Entwurf: Textilzulieferer" not in html
    assert "Mobilitätskonzepte" not in html  # neither led nor partnered by CWE


def test_page_shows_drafts_to_those_who_may_read_them(client, portfolio, editor, other_editor):
    client.force_login(editor)
    html = client.get("/partner/cwe/").content.decode()

    assert "Geheimes Entwurfsziel" in html
    assert "Entwurf: Wasserstoffbedarf" in html
    # The editor of Industriepolitik does not read the drafts of "Arbeit und Beschäftigung".
    assert "Entwurf: Textilzulieferer" not in html

    client.force_login(other_editor)
    html = client.get("/partner/cwe/").content.decode()

    assert "Entwurf: Textilzulieferer" in html
    assert "Geheimes Entwurfsziel" not in html


def test_organisation_without_anything_public_says_so(client, portfolio):
    OrganisationFactory(name="Gherzi Germany", slug="gherzi", kind=Organisation.Kind.COMPANY)

    html = client.get("/partner/gherzi/").content.decode()

    assert "Diese Organisation verantwortet noch keine veröffentlichten Ziele." in html
    assert "Keine veröffentlichten Maßnahmen unter ihrer Federführung." in html


def test_unknown_organisation_is_not_found(client, portfolio):
    assert client.get("/partner/gibt-es-nicht/").status_code == 404
