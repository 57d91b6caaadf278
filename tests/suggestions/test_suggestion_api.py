"""The suggestion API (DESIGN.md's contract): who may do what, over every role and state of
the section; all-or-nothing acceptance with a 409 that names the suggestions; readable 400s;
a constant number of queries however many suggestions there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from charta.models import Revision, Suggestion
from tests.conftest import ROLE_KEYS, fresh

from .conftest import TEXT, new_revision, reload, suggest

pytestmark = pytest.mark.django_db


def client_as(user) -> APIClient:
    client = APIClient()
    if user.is_authenticated:
        client.force_authenticate(fresh(user))
    return client


def table(rows: dict[str, tuple]) -> list:
    """``{"draft": (…one entry per role in ROLE_KEYS…)}`` → parameters (role, state, expected)."""
    params = []
    for state, expected in rows.items():
        assert len(expected) == len(ROLE_KEYS), state
        params += [(role, state, value) for role, value in zip(ROLE_KEYS, expected, strict=True)]
    return params


@pytest.fixture
def section_in(request, editor, reviewer, coordinator):
    """``section_in("draft")`` (never published) or ``section_in("published")``."""

    def get(state: str):
        name = {"draft": "drafted_section", "published": "published_section"}[state]
        return reload(request.getfixturevalue(name))

    return get


# Roles:                coordinator editor other_editor reviewer partner wg_member outsider anon
LIST = table(
    {
        # How many suggestions the role sees (None: the section answers 404).
        "draft": (1, 1, None, 1, 1, None, None, None),
        # Published text: visibility follows comments (the consortium's readers only).
        "published": (1, 1, 0, 1, 1, 0, 0, 0),
    }
)


@pytest.mark.parametrize(("role", "state", "expected"), LIST)
def test_who_sees_the_suggestions_of_a_section(as_role, section_in, partner, role, state, expected):
    section = section_in(state)
    suggest(section, partner, "Brücken", "Wege")

    response = client_as(as_role(role)).get(f"/api/v1/sections/{section.pk}/suggestions/")

    if expected is None:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert response.json()["count"] == expected


CREATE = table(
    {
        "draft": (201, 201, 404, 201, 201, 404, 404, 401),
        "published": (201, 201, 403, 201, 201, 403, 403, 401),
    }
)


@pytest.mark.parametrize(("role", "state", "expected"), CREATE)
def test_whoever_may_comment_may_suggest(as_role, section_in, role, state, expected):
    section = section_in(state)

    response = client_as(as_role(role)).post(
        f"/api/v1/sections/{section.pk}/suggestions/",
        {
            "base_revision": section.current_revision.number,
            "quote": "Brücken",
            "replacement": "Wege",
            "reason": "Bildhafter.",
        },
        format="json",
    )

    assert response.status_code == expected, response.content[:300]
    assert Suggestion.objects.count() == (1 if expected == 201 else 0)
    if expected == 201:
        data = response.json()
        assert {k: data[k] for k in ("quote", "replacement", "state", "base_revision")} == {
            "quote": "Brücken",
            "replacement": "Wege",
            "state": "open",
            "base_revision": section.current_revision.number,
        }
        assert set(data) >= {
            "id", "section", "prefix", "suffix", "reason", "author", "created_at", "revision",
        }  # fmt: skip


DECIDE_ONE = table(
    {
        "draft": (200, 200, 404, 403, 403, 404, 404, 401),
        "published": (200, 200, 404, 403, 403, 404, 404, 401),
    }
)


@pytest.mark.parametrize(("role", "state", "expected"), DECIDE_ONE)
def test_editors_of_the_field_accept_a_suggestion(
    as_role, section_in, partner, role, state, expected
):
    section = section_in(state)
    suggestion = suggest(section, partner, "Brücken", "Wege")
    revisions = Revision.objects.count()

    response = client_as(as_role(role)).post(f"/api/v1/suggestions/{suggestion.pk}/accept/")

    assert response.status_code == expected, response.content[:300]
    suggestion.refresh_from_db()
    if expected == 200:
        assert response.json()["number"] == reload(section).current_revision.number
        assert suggestion.state == "accepted"
        assert Revision.objects.count() == revisions + 1
    else:
        assert suggestion.state == "open"
        assert Revision.objects.count() == revisions


@pytest.mark.parametrize(("role", "state", "expected"), DECIDE_ONE)
def test_editors_of_the_field_reject_a_suggestion(
    as_role, section_in, partner, role, state, expected
):
    section = section_in(state)
    suggestion = suggest(section, partner, "Brücken", "Wege")

    response = client_as(as_role(role)).post(
        f"/api/v1/suggestions/{suggestion.pk}/reject/", {"reason": "Passt nicht."}, format="json"
    )

    assert response.status_code == expected, response.content[:300]
    suggestion.refresh_from_db()
    assert suggestion.state == ("rejected" if expected == 200 else "open")


DECIDE_MANY = table(
    {
        "draft": (200, 200, 404, 403, 403, 404, 404, 401),
        "published": (200, 200, 403, 403, 403, 403, 403, 401),
    }
)


@pytest.mark.parametrize(("role", "state", "expected"), DECIDE_MANY)
def test_editors_of_the_field_accept_several_at_once(
    as_role, section_in, partner, reviewer, role, state, expected
):
    section = section_in(state)
    first = suggest(section, partner, "Brücken", "Wege")
    second = suggest(section, reviewer, "eine Sprechstunde", "eine Beratung")

    response = client_as(as_role(role)).post(
        f"/api/v1/sections/{section.pk}/suggestions/accept/",
        {"ids": [first.pk, second.pk]},
        format="json",
    )

    assert response.status_code == expected, response.content[:300]
    states = set(Suggestion.objects.values_list("state", flat=True))
    assert states == ({"accepted"} if expected == 200 else {"open"})


def test_batch_acceptance_answers_409_naming_outdated_and_overlapping_ones(
    drafted_section, partner, reviewer, editor
):
    outdated = suggest(drafted_section, partner, "gemeinsam", "zusammen")
    wide = suggest(drafted_section, partner, "eine Sprechstunde und ein", "eine Beratung und ein")
    narrow = suggest(drafted_section, reviewer, "Sprechstunde", "Sprechzeit")
    new_revision(drafted_section, editor, TEXT.replace("gemeinsam", "mit allen Partnern"))

    response = client_as(editor).post(
        f"/api/v1/sections/{drafted_section.pk}/suggestions/accept/",
        {"ids": [outdated.pk, wide.pk, narrow.pk]},
        format="json",
    )

    assert response.status_code == 409
    data = response.json()
    assert data["outdated"] == [outdated.pk]
    assert data["overlapping"] == [[wide.pk, narrow.pk]]
    assert f"#{outdated.pk}" in data["detail"]
    assert Revision.objects.count() == 2
    assert set(Suggestion.objects.values_list("state", flat=True)) == {"open", "outdated"}


GOOD = {"base_revision": 1, "quote": "Brücken", "replacement": "Wege", "reason": "Bildhafter."}


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"quote": "Helpdesk"}, "quote"),
        ({"quote": "Zulieferer"}, "quote"),
        ({"base_revision": 9}, "base_revision"),
        ({"base_revision": "eins"}, "base_revision"),
        ({"base_revision": None}, "base_revision"),
        ({"reason": ""}, "reason"),
    ],
)
def test_bad_suggestions_answer_400_naming_the_field(drafted_section, partner, change, named):
    payload = {**GOOD, **change}
    response = client_as(partner).post(
        f"/api/v1/sections/{drafted_section.pk}/suggestions/", payload, format="json"
    )

    assert response.status_code == 400, response.content[:300]
    assert named in response.json()["errors"]
    assert not Suggestion.objects.exists()


def test_rejecting_without_a_reason_answers_400(drafted_section, partner, editor):
    suggestion = suggest(drafted_section, partner, "Brücken", "Wege")

    response = client_as(editor).post(
        f"/api/v1/suggestions/{suggestion.pk}/reject/", {"reason": ""}, format="json"
    )

    assert response.status_code == 400
    assert "reason" in response.json()["errors"]


def test_accepting_no_suggestions_answers_400(drafted_section, editor):
    response = client_as(editor).post(
        f"/api/v1/sections/{drafted_section.pk}/suggestions/accept/", {"ids": []}, format="json"
    )

    assert response.status_code == 400
    assert "ids" in response.json()["errors"]


def test_a_bad_state_filter_answers_400(drafted_section, editor):
    response = client_as(editor).get(
        f"/api/v1/sections/{drafted_section.pk}/suggestions/?state=vielleicht"
    )

    assert response.status_code == 400
    assert "state" in response.json()["errors"]


def test_the_state_filter_lists_only_that_state(drafted_section, partner, editor):
    accepted = suggest(drafted_section, partner, "Brücken", "Wege")
    suggest(drafted_section, partner, "eine Sprechstunde", "eine Beratung")
    client_as(editor).post(f"/api/v1/suggestions/{accepted.pk}/accept/")

    response = client_as(editor).get(
        f"/api/v1/sections/{drafted_section.pk}/suggestions/?state=accepted"
    )

    assert [s["id"] for s in response.json()["results"]] == [accepted.pk]
    assert response.json()["results"][0]["revision"] == 2


def _list_queries(section, user) -> int:
    client = client_as(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/api/v1/sections/{section.pk}/suggestions/")
    assert response.status_code == 200
    return len(captured)


def test_listing_suggestions_takes_the_same_queries_for_few_or_many(
    drafted_section, partner, editor, reviewer
):
    suggest(drafted_section, partner, "Brücken", "Wege")
    few = _list_queries(drafted_section, editor)
    for index, person in enumerate([partner, reviewer] * 4):
        suggest(drafted_section, person, "Brücken", f"Wege {index}")

    assert _list_queries(drafted_section, editor) == few


def test_a_new_suggestion_and_a_decision_show_in_the_cached_list_at_once(
    drafted_section, partner, editor
):
    client = client_as(editor)
    url = f"/api/v1/sections/{drafted_section.pk}/suggestions/"
    assert client.get(url).json()["count"] == 0

    suggestion = suggest(drafted_section, partner, "Brücken", "Wege")
    assert client.get(url).json()["count"] == 1

    client.post(f"/api/v1/suggestions/{suggestion.pk}/accept/")
    assert client.get(url).json()["results"][0]["state"] == "accepted"
