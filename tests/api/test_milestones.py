"""Milestones through the API: editors add them, reporters mark them done, others may not."""

import datetime

import pytest
from rest_framework.test import APIClient

from accounts.roles import RoleName, role_grant
from measures.models import Milestone
from measures.services import measure_create
from tests.conftest import fresh
from tests.factories import GoalFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def measure(field, working_group, coordinator):
    goal = GoalFactory(action_field=field, state="published")
    return measure_create(
        actor=fresh(coordinator),
        goal=goal,
        title="Helpdesk",
        owner=OrganisationFactory(),
        working_group=working_group,
        state="published",
    )


def api(user):
    client = APIClient()
    client.force_authenticate(fresh(user))
    return client


def test_editor_adds_a_milestone(editor, measure):
    response = api(editor).post(
        "/api/v1/milestones/",
        {"measure": measure.pk, "title": "Erster Workshop", "due_date": "2027-03-01"},
    )
    assert response.status_code == 201, response.json()
    assert Milestone.objects.get().title == "Erster Workshop"


def test_a_working_group_member_cannot_add_milestones(wg_member, measure):
    response = api(wg_member).post(
        "/api/v1/milestones/",
        {"measure": measure.pk, "title": "Eigenmächtig", "due_date": "2027-03-01"},
    )
    assert response.status_code == 400
    assert "measure" in response.json()["errors"]
    assert not Milestone.objects.exists()


def test_a_reporter_marks_a_milestone_done_and_can_reopen_it(wg_member, measure):
    milestone = Milestone.objects.create(
        measure=measure, title="Workshop", due_date=datetime.date(2027, 3, 1)
    )
    client = api(wg_member)

    done = client.patch(f"/api/v1/milestones/{milestone.pk}/", {"done": True})
    assert done.status_code == 200, done.json()
    assert done.json()["done"] is True
    assert done.json()["done_by"] == wg_member.username

    reopened = client.patch(f"/api/v1/milestones/{milestone.pk}/", {"done": False})
    assert reopened.json()["done"] is False


def test_a_partner_cannot_mark_a_milestone_done(partner, measure):
    milestone = Milestone.objects.create(
        measure=measure, title="Workshop", due_date=datetime.date(2027, 3, 1)
    )
    response = api(partner).patch(f"/api/v1/milestones/{milestone.pk}/", {"done": True})
    assert response.status_code == 403
    milestone.refresh_from_db()
    assert milestone.done_at is None


def test_milestones_of_a_draft_measure_are_hidden_from_the_public(field, coordinator):
    goal = GoalFactory(action_field=field, state="published")
    draft = measure_create(
        actor=fresh(coordinator), goal=goal, title="Entwurf", owner=OrganisationFactory()
    )
    Milestone.objects.create(measure=draft, title="Geheim", due_date=datetime.date(2027, 1, 1))
    response = APIClient().get("/api/v1/milestones/")
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_only_done_can_be_changed_by_patch(editor, measure):
    milestone = Milestone.objects.create(
        measure=measure, title="Workshop", due_date=datetime.date(2027, 3, 1)
    )
    role_grant(actor=None, role=RoleName.REPORTER, grantee=fresh(editor), obj=measure)
    response = api(editor).patch(f"/api/v1/milestones/{milestone.pk}/", {"title": "Anders"})
    assert response.status_code == 400
    milestone.refresh_from_db()
    assert milestone.title == "Workshop"
