"""The Handlungsfeld page lists its goals ten to a page, filters included."""

import re

from measures.workflow import ImplementationStatus as Status
from tests.measures.conftest import make_goal, make_measure


def goal_titles(response) -> list[str]:
    return re.findall(r'id="ziel-\d+"><a href="[^"]+">(Ziel \d+)</a>', response.content.decode())


def test_the_field_page_shows_ten_goals_per_page_in_order(client, field, organisation):
    goals = [make_goal(field, organisation, title=f"Ziel {n:02}") for n in range(12)]
    url = f"/handlungsfelder/{field.slug}/"

    first, second = client.get(url), client.get(url, {"seite": 2})

    assert goal_titles(first) == [goal.title for goal in goals[:10]]
    assert goal_titles(second) == [goal.title for goal in goals[10:]]
    assert "Seite 1 von 2" in first.content.decode()
    assert 'rel="next"' in first.content.decode()


def test_filters_page_through_the_goals_that_have_matching_measures(client, field, organisation):
    for n in range(14):
        goal = make_goal(field, organisation, title=f"Ziel {n:02}")
        make_measure(goal, status=Status.DELAYED if n % 2 else Status.IN_PROGRESS)
    url = f"/handlungsfelder/{field.slug}/"

    first = client.get(url, {"status": Status.DELAYED})
    second = client.get(url, {"status": Status.DELAYED, "seite": 2})

    odd = [f"Ziel {n:02}" for n in range(1, 14, 2)]
    assert goal_titles(first) == odd
    assert goal_titles(second) == odd  # one page only: an out-of-range page shows the last
    assert "Seite 1 von" not in first.content.decode()


def test_the_page_links_keep_the_filters(client, field, organisation):
    for n in range(11):
        make_measure(make_goal(field, organisation, title=f"Ziel {n:02}"), status=Status.DELAYED)

    html = client.get(f"/handlungsfelder/{field.slug}/", {"status": Status.DELAYED}).content

    assert b"?status=delayed&amp;seite=2" in html
