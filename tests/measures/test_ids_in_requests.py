"""Ids in query strings, bodies and addresses: read one way (core.parsing.parse_id), so that
"²" (a digit to str.isdigit(), not to int()), numbers of thousands of digits and numbers
beyond 64 bits are bad input or unknown rows, never server errors."""

import pytest

from comments.models import Comment
from tests.api.helpers import assert_error, client_for

pytestmark = pytest.mark.django_db

NOT_IDS = ["²", "99999999999999999999", "9" * 5000, "abc", "-1", "0", "1.5"]


@pytest.mark.parametrize("preset", NOT_IDS)
def test_the_new_measure_form_ignores_a_goal_preset_that_is_no_id(preset, login, field, goal):
    response = login("coordinator").get(
        f"/massnahmen/handlungsfeld/{field.slug}/neu/?ziel={preset}"
    )

    assert response.status_code == 200
    assert response.context["form"]["goal"].value() is None


def test_the_new_measure_form_preselects_the_goal_it_names(login, field, goal):
    response = login("coordinator").get(
        f"/massnahmen/handlungsfeld/{field.slug}/neu/?ziel={goal.pk}"
    )

    assert response.context["form"]["goal"].value() == goal.pk


@pytest.mark.parametrize("reference", ["measure:²", "measure:" + "9" * 5000, "measure:-1"])
def test_the_comment_api_refuses_a_target_that_names_no_id(reference, coordinator, measure):
    client = client_for(coordinator)

    listed = client.get("/api/v1/comments/", {"target": reference})
    posted = client.post(
        "/api/v1/comments/", {"target": reference, "body": "Frage zur Frist"}, format="json"
    )

    assert_error(listed, 400, "target")
    assert_error(posted, 400, "target")
    assert not Comment.objects.exists()


def test_the_comment_form_finds_no_target_for_a_reference_without_an_id(login, measure):
    response = login("coordinator").post("/kommentare/", {"target": "measure:²", "body": "Frage"})

    assert response.status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.parametrize("number", ["99999999999999999999", "9" * 5000])
def test_an_id_in_the_address_that_no_row_can_have_is_not_found(number, login, measure):
    client = login("coordinator")

    for url in [
        f"/massnahmen/{number}/",
        f"/massnahmen/ziele/{number}/",
        f"/charta/abschnitt/{number}/",
        f"/api/v1/measures/{number}/",
        f"/api/v1/goals/{number}/",
    ]:
        assert client.get(url).status_code == 404, url
