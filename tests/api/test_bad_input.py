"""Input that once made the API answer 500: NUL characters in values it looks up (PostgreSQL
stores no NUL in text), JSON nested deeper than Python parses, NUL in the address. Each is a
400 with readable JSON naming what is wrong, and nothing is written."""

import json

import pytest

from .helpers import assert_error, client_for, snapshot

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "Nullzeichen sind nicht erlaubt."


@pytest.fixture
def goal(make_goal):
    return make_goal("published")


@pytest.fixture
def measure(make_measure, goal, working_group):
    return make_measure("published", goal=goal, working_group=working_group)


def measure_body(goal, organisation) -> dict:
    return {"goal": goal.pk, "title": "Helpdesk", "owner": organisation.slug}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("owner", "cwe\x00"),
        ("working_group", "\x00"),
        ("responsible", ["\x00"]),
        ("partners", ["cwe", "ihk\x00"]),
        ("priority", "\x00"),
    ],
)
def test_a_nul_in_a_value_the_api_looks_up_is_refused_naming_the_field(
    name, value, coordinator, goal, organisation
):
    before = snapshot()

    response = client_for(coordinator).post(
        "/api/v1/measures/", {**measure_body(goal, organisation), name: value}, format="json"
    )

    data = assert_error(response, 400, name)
    assert data["errors"][name] == [NUL_MESSAGE]
    assert snapshot() == before


@pytest.mark.parametrize("name", ["action_field", "owner"])
def test_a_nul_in_a_slug_of_a_new_goal_is_refused_naming_the_field(
    name, coordinator, field, organisation
):
    body = {"action_field": field.slug, "title": "Ziel", "owner": organisation.slug}
    before = snapshot()

    response = client_for(coordinator).post("/api/v1/goals/", {**body, name: "\x00"}, format="json")

    assert assert_error(response, 400, name)["errors"][name] == [NUL_MESSAGE]
    assert snapshot() == before


def test_a_nul_in_a_form_encoded_body_is_refused_too(coordinator, goal, organisation):
    before = snapshot()

    response = client_for(coordinator).post(
        "/api/v1/measures/", {**measure_body(goal, organisation), "owner": "\x00"}
    )

    assert assert_error(response, 400, "owner")["errors"]["owner"] == [NUL_MESSAGE]
    assert snapshot() == before


def test_every_text_written_through_the_api_refuses_a_nul_character(
    coordinator, field, goal, measure, organisation, make_section
):
    section = make_section("draft")
    text = "Text mit \x00 Nullzeichen"
    goal_body = {"action_field": field.slug, "title": "Ziel", "owner": organisation.slug}
    report = {"status": "in_progress", "progress": 20}
    writes = [
        ("post", "/api/v1/goals/", {**goal_body, "title": text}, "title"),
        ("post", "/api/v1/goals/", {**goal_body, "description": text}, "description"),
        ("post", "/api/v1/goals/", {**goal_body, "indicator": text}, "indicator"),
        ("patch", f"/api/v1/goals/{goal.pk}/", {"source_paragraph": text}, "source_paragraph"),
        ("post", "/api/v1/measures/", {**measure_body(goal, organisation), "title": text}, "title"),
        ("patch", f"/api/v1/measures/{measure.pk}/", {"description": text}, "description"),
        (
            "post",
            f"/api/v1/measures/{measure.pk}/status-updates/",
            {**report, "note": text},
            "note",
        ),
        (
            "post",
            "/api/v1/milestones/",
            {"measure": measure.pk, "title": text, "due_date": "2027-03-01"},
            "title",
        ),
        ("post", "/api/v1/comments/", {"target": f"measure:{measure.pk}", "body": text}, "body"),
        (
            "patch",
            f"/api/v1/sections/{section.pk}/",
            {"body": text, "base_revision": 1, "message": ""},
            "body",
        ),
    ]
    client = client_for(coordinator)
    before = snapshot()

    for method, url, body, name in writes:
        response = getattr(client, method)(url, body, format="json")
        assert assert_error(response, 400, name)["errors"][name] == [NUL_MESSAGE], url

    assert snapshot() == before


@pytest.mark.parametrize("depth", [5_000, 100_000])
def test_json_nested_deeper_than_python_reads_is_a_400(depth, coordinator, measure):
    before = snapshot()
    body = '{"status": "in_progress", "progress": 20, "note": ' + "[" * depth + "]" * depth + "}"

    response = client_for(coordinator).generic(
        "POST",
        f"/api/v1/measures/{measure.pk}/status-updates/",
        body,
        content_type="application/json",
    )

    assert "zu tief verschachtelt" in assert_error(response, 400)["detail"]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/measures/?owner=%00"),
        ("get", "/api/v1/comments/?target=measure:%00"),
        ("delete", "/api/v1/auth/tokens/partner%00/"),
    ],
)
def test_a_nul_in_the_address_is_a_json_400(method, url, coordinator, partner):
    before = snapshot()

    response = getattr(client_for(coordinator), method)(url)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "Nullzeichen" in json.loads(response.content)["detail"]
    assert snapshot() == before
