"""Acknowledged status reports: who may acknowledge (never the author), escalation to the
coordinators, the selector behind the task list."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import RoleName, role_grant
from measures import selectors, services
from measures.models import StatusUpdate
from notifications.models import Notification
from tests.notices import Kind

from .conftest import PEOPLE

pytestmark = pytest.mark.django_db

# The editors of the goal's field and coordinators; never the author (the responsible user
# wrote the report in these tables).
ACKNOWLEDGE = {"coordinator", "editor"}


@pytest.fixture
def report(measure, responsible) -> StatusUpdate:
    return services.measure_report_status(
        actor=responsible, measure=measure, status="in_progress", progress=30, note="Stand"
    )


def _client(user):
    client = APIClient()
    if user.is_authenticated:
        client.force_authenticate(user)
    return client


@pytest.mark.parametrize(("role", "allowed"), [(k, k in ACKNOWLEDGE) for k in PEOPLE])
def test_acknowledgement_permission_matrix(role, allowed, person, report):
    answer = _client(person(role)).post(f"/api/v1/status-updates/{report.pk}/acknowledge/")

    if allowed:
        assert answer.status_code == 200, answer.content
        assert answer.json()["acknowledged_by"] == person(role).username
    elif role == "responsible":
        assert answer.status_code == 403  # the author
    else:
        assert answer.status_code in (401, 403)
    report.refresh_from_db()
    assert (report.acknowledged_at is not None) is allowed


@pytest.mark.parametrize("role", ["coordinator", "editor"])
def test_author_never_acknowledges_own_report(role, person, measure):
    # An editor who also reports on the measure (named responsible for it).
    role_grant(actor=None, role=RoleName.REPORTER, grantee=person(role), obj=measure)
    author = person(role)
    own = services.measure_report_status(
        actor=author, measure=measure, status="in_progress", progress=10
    )
    answer = _client(author).post(f"/api/v1/status-updates/{own.pk}/acknowledge/")
    assert answer.status_code == 403
    assert "eigenen" in answer.json()["detail"]


def test_report_is_acknowledged_once_and_the_author_is_told(
    report, editor, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.status_update_acknowledge(actor=editor, update=report)
    again = _client(coordinator).post(f"/api/v1/status-updates/{report.pk}/acknowledge/")
    assert again.status_code == 400
    report.refresh_from_db()
    assert report.acknowledged_by == editor
    assert Notification.objects.filter(recipient=report.author, kind=Kind.ACKNOWLEDGED).exists()


def test_report_on_a_draft_measure_is_a_404_for_the_public(measure, responsible, coordinator):
    services.measure_withdraw(actor=coordinator, measure=measure, reason="intern")
    hidden = services.measure_report_status(
        actor=responsible, measure=measure, status="in_progress", progress=5
    )
    assert APIClient().post(f"/api/v1/status-updates/{hidden.pk}/acknowledge/").status_code in (
        401,
        403,
        404,
    )
    assert APIClient().get(f"/api/v1/status-updates/{hidden.pk}/").status_code == 404


def test_selector_lists_reports_the_person_may_acknowledge_and_has_not(
    report, editor, other_editor, responsible, coordinator
):
    assert list(selectors.status_updates_to_acknowledge(editor)) == [report]
    assert list(selectors.status_updates_to_acknowledge(coordinator)) == [report]
    assert list(selectors.status_updates_to_acknowledge(other_editor)) == []
    assert list(selectors.status_updates_to_acknowledge(responsible)) == []
    services.status_update_acknowledge(actor=editor, update=report)
    assert list(selectors.status_updates_to_acknowledge(coordinator)) == []


def test_unacknowledged_reports_are_escalated_to_coordinators_once(
    report, coordinator, settings, editor, django_capture_on_commit_callbacks
):
    settings.ACKNOWLEDGEMENT_ESCALATION_DAYS = 7
    assert services.acknowledgements_escalate() == 0  # fresh
    StatusUpdate.objects.filter(pk=report.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert services.acknowledgements_escalate() == 1
    assert services.acknowledgements_escalate() == 0
    told = Notification.objects.filter(kind=Kind.ACKNOWLEDGEMENT_OVERDUE)
    assert {n.recipient for n in told} >= {coordinator}
    assert editor not in {n.recipient for n in told}


def test_acknowledged_reports_are_not_escalated(report, editor, settings):
    settings.ACKNOWLEDGEMENT_ESCALATION_DAYS = 1
    services.status_update_acknowledge(actor=editor, update=report)
    StatusUpdate.objects.filter(pk=report.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )
    assert services.acknowledgements_escalate() == 0


def test_timeline_shows_who_acknowledged(report, editor, client):
    services.status_update_acknowledge(actor=editor, update=report)
    client.force_login(editor)
    page = client.get(report.measure.get_absolute_url()).content.decode()
    assert f"Bestätigt von {editor}" in page
