"""Every filter of every list says when it cannot use a value: 400 naming the parameter, in
the API (``{"errors": {"overdue": […]}}``, as ``?status=`` always did) and on the pages (the
list page with the error and no list). Before, ``?overdue=maybe`` was ignored and every
measure came back."""

import datetime

import pytest
from rest_framework.test import APIClient

from comments.services import comment_create
from measures.filters import GoalFilter, MeasureFilter, MeasurePageFilter, MilestoneFilter

from .conftest import Status, make_measure

pytestmark = pytest.mark.django_db

# Values nobody can filter by, per parameter (several where a filter could be lenient).
BAD_MEASURE_VALUES = {
    "action_field": ["gibt-es-nicht"],
    "status": ["<script>", "fertig"],
    "owner": ["niemand"],
    "working_group": ["ag-unbekannt"],
    "overdue": ["maybe", "ja", "2"],
}
BAD_PAGE_VALUES = BAD_MEASURE_VALUES | {"sortierung": ["zufall"]}
BAD_GOAL_VALUES = {"action_field": ["gibt-es-nicht"]}
BAD_MILESTONE_VALUES = {"measure": ["abc", "1.5", "-1", "0"]}
BAD_COMMENT_VALUES = {"target": ["nonsense", "goal:abc"]}

API_LISTS = {
    "/api/v1/measures/": (MeasureFilter, BAD_MEASURE_VALUES),
    "/api/v1/goals/": (GoalFilter, BAD_GOAL_VALUES),
    "/api/v1/milestones/": (MilestoneFilter, BAD_MILESTONE_VALUES),
}
PAGE_LISTS = ("/massnahmen/", "/handlungsfelder/industriepolitik/")


def api_cases() -> list:
    params = [
        pytest.param(url, name, value, id=f"{url}?{name}={value}")
        for url, (_filter, values) in API_LISTS.items()
        for name, bad in values.items()
        for value in bad
    ]
    params += [
        pytest.param("/api/v1/comments/", "target", value, id=f"comments?target={value}")
        for value in BAD_COMMENT_VALUES["target"]
    ]
    return params


def page_cases() -> list:
    return [
        pytest.param(url, name, value, id=f"{url}?{name}={value}")
        for url in PAGE_LISTS
        for name, bad in BAD_PAGE_VALUES.items()
        for value in bad
    ]


@pytest.fixture
def listed(goal, working_group, coordinator):
    """Two published measures (one overdue) and a comment, so that lists are not empty."""
    make_measure(goal, title="Sprechstunde im Rathaus", working_group=working_group)
    make_measure(
        goal,
        title="Überfälliges Coaching",
        deadline=datetime.date(2020, 1, 31),
        status=Status.IN_PROGRESS,
    )
    comment_create(actor=coordinator, target=goal, body="Gut so.")


def test_the_tables_name_every_filter_of_every_list():
    """A filter added later must be added here too, with a value it cannot parse."""
    for _url, (filterset, values) in API_LISTS.items():
        assert set(values) == set(filterset.base_filters), filterset
    assert set(BAD_PAGE_VALUES) == set(MeasurePageFilter.base_filters)


@pytest.mark.parametrize(("url", "name", "value"), api_cases())
@pytest.mark.parametrize("role", ["anonymous", "coordinator"])
def test_an_api_filter_value_that_cannot_be_used_is_a_400_naming_the_parameter(
    url, name, value, role, person, listed
):
    client = APIClient()
    user = person(role)
    if user.is_authenticated:
        client.force_authenticate(user)

    response = client.get(url, {name: value})

    assert response.status_code == 400, response.content[:300]
    data = response.json()
    assert list(data["errors"]) == [name]
    assert data["errors"][name][0].strip()
    assert name in data["detail"]


@pytest.mark.parametrize(("url", "name", "value"), page_cases())
@pytest.mark.parametrize("role", ["anonymous", "coordinator"])
def test_a_page_filter_value_that_cannot_be_used_is_a_400_naming_the_parameter(
    url, name, value, role, login, listed
):
    response = login(role).get(url, {name: value})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="filter-errors"' in html
    assert f"<code>{name}</code>" in html
    # No list that ignored what was asked.
    assert "Sprechstunde im Rathaus" not in html


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ({"overdue": "true"}, {"Überfälliges Coaching"}),
        ({"overdue": "1"}, {"Überfälliges Coaching"}),
        ({"overdue": "TRUE"}, {"Überfälliges Coaching"}),
        ({"overdue": "false"}, {"Sprechstunde im Rathaus"}),
        ({"overdue": "0"}, {"Sprechstunde im Rathaus"}),
        ({"overdue": ""}, {"Sprechstunde im Rathaus", "Überfälliges Coaching"}),
        ({"status": "in_progress"}, {"Überfälliges Coaching"}),
        ({"working_group": "ag-qualifizierung"}, {"Sprechstunde im Rathaus"}),
    ],
)
def test_good_filter_values_still_filter_the_api(query, titles, listed):
    response = APIClient().get("/api/v1/measures/", query)

    assert response.status_code == 200
    assert {m["title"] for m in response.json()["results"]} == titles


@pytest.mark.parametrize("url", PAGE_LISTS)
@pytest.mark.parametrize(
    "query", [{}, {"overdue": "true"}, {"sortierung": "titel"}, {"status": "", "owner": ""}]
)
def test_good_filter_values_still_work_on_the_pages(url, query, client, listed):
    response = client.get(url, query)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="filter-errors"' not in html
    assert "Überfälliges Coaching" in html


def test_a_milestone_filter_tells_nobody_which_measures_exist(coordinator, listed):
    """An unknown measure number and one the requester may not see both list nothing."""
    response = APIClient().get("/api/v1/milestones/", {"measure": 999_999})

    assert response.status_code == 200
    assert response.json()["count"] == 0
