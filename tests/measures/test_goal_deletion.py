"""A goal is deleted only while nothing anybody wrote hangs on it: no comments, no measures
(with their status history). The refusal reads the same in the API and on the page."""

import pytest
from rest_framework.test import APIClient

from comments.models import Comment
from comments.services import comment_create, comment_hide
from measures import services
from measures.models import Goal, StatusUpdate
from tests.factories import UserFactory

from .conftest import PEOPLE, Status, make_goal, make_measure

pytestmark = pytest.mark.django_db

MANAGE = {"coordinator", "editor"}


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def empty_goal(field, organisation) -> Goal:
    return make_goal(field, organisation, title="Regionale Resilienzstudie")


@pytest.fixture
def discussed_goal(empty_goal, partner) -> Goal:
    """No measures, but a partner's comment on it."""
    comment_create(
        actor=partner, target=empty_goal, body="Bitte die Hochschulen in Zwickau einbeziehen."
    )
    return empty_goal


@pytest.fixture
def goal_with_history(empty_goal, coordinator) -> Goal:
    """A measure with a status report."""
    measure = make_measure(empty_goal, title="Befragung der Zulieferer")
    services.measure_report_status(
        actor=coordinator, measure=measure, status=Status.IN_PROGRESS, progress=20
    )
    return empty_goal


# API ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(MANAGE))
def test_a_goal_with_a_comment_is_not_deleted_through_the_api(
    role, person, partner, discussed_goal
):
    comment = Comment.objects.get()

    response = api(person(role)).delete(f"/api/v1/goals/{discussed_goal.pk}/")

    assert response.status_code == 400
    assert "1 Kommentar" in response.json()["detail"]
    assert Goal.objects.filter(pk=discussed_goal.pk).exists()
    # The partner still finds what they wrote.
    assert api(partner).get(f"/api/v1/comments/{comment.pk}/").status_code == 200


def test_a_goal_with_only_a_hidden_comment_is_not_deleted_either(
    coordinator, discussed_goal, editor
):
    comment_hide(actor=coordinator, comment=Comment.objects.get(), reason="Werbung")

    response = api(editor).delete(f"/api/v1/goals/{discussed_goal.pk}/")

    assert response.status_code == 400
    assert Comment.objects.count() == 1


def test_a_goal_whose_measure_has_a_status_history_is_not_deleted_through_the_api(
    editor, goal_with_history
):
    response = api(editor).delete(f"/api/v1/goals/{goal_with_history.pk}/")

    assert response.status_code == 400
    assert "Maßnahmen" in response.json()["detail"]
    assert Goal.objects.filter(pk=goal_with_history.pk).exists()
    assert StatusUpdate.objects.count() == 1


def test_a_goal_without_comments_and_measures_is_deleted_through_the_api(editor, empty_goal):
    response = api(editor).delete(f"/api/v1/goals/{empty_goal.pk}/")

    assert response.status_code == 204
    assert not Goal.objects.filter(pk=empty_goal.pk).exists()


# Pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(MANAGE))
def test_a_goal_with_a_comment_is_not_deleted_on_the_page(role, login, discussed_goal):
    client = login(role)
    url = f"/massnahmen/ziele/{discussed_goal.pk}/loeschen/"

    asked = client.get(url)
    response = client.post(url)

    assert asked.status_code == 200
    assert "1 Kommentar" in asked.content.decode()
    assert "Endgültig löschen" not in asked.content.decode()
    assert response.status_code == 400
    assert "1 Kommentar" in response.content.decode()
    assert Goal.objects.filter(pk=discussed_goal.pk).exists()
    assert Comment.objects.count() == 1


def test_a_goal_whose_measure_has_a_status_history_is_not_deleted_on_the_page(
    login, goal_with_history
):
    response = login("editor").post(f"/massnahmen/ziele/{goal_with_history.pk}/loeschen/")

    assert response.status_code == 400
    assert "Das Ziel hat Maßnahmen." in response.content.decode()
    assert Goal.objects.filter(pk=goal_with_history.pk).exists()


@pytest.mark.parametrize("role", PEOPLE)
def test_only_field_editors_and_coordinators_delete_goals_on_the_page(
    role, login, empty_goal, field
):
    response = login(role).post(f"/massnahmen/ziele/{empty_goal.pk}/loeschen/")

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/")
    elif role in MANAGE:
        assert response.status_code == 302
        assert response["Location"] == field.get_absolute_url()
    else:
        assert response.status_code == 403
    assert Goal.objects.filter(pk=empty_goal.pk).exists() is (role not in MANAGE)


def test_the_goal_page_links_to_deletion_for_its_editors(login, empty_goal):
    link = f"/massnahmen/ziele/{empty_goal.pk}/loeschen/"

    assert link in login("editor").get(empty_goal.get_absolute_url()).content.decode()


def test_the_goal_page_hides_deletion_from_others(login, empty_goal):
    link = f"/massnahmen/ziele/{empty_goal.pk}/loeschen/"

    assert link not in login("partner").get(empty_goal.get_absolute_url()).content.decode()


@pytest.mark.parametrize("model", ["goal", "measure"])
def test_the_admin_deletes_neither_goals_nor_measures(model, client, discussed_goal):
    """The admin's delete would cascade to comments and status reports, past the rule."""
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    obj = discussed_goal if model == "goal" else make_measure(discussed_goal)
    client.force_login(admin)

    response = client.post(f"/admin/measures/{model}/{obj.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()
    assert Comment.objects.count() == 1
