"""Fixtures for the public portal: partner organisations, goals and measures in given states."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Organisation
from charta.models import ActionField
from measures import services
from measures.models import Goal, Measure
from measures.workflow import ImplementationStatus, PublicationState
from tests.factories import GoalFactory, OrganisationFactory

PUBLISHED, DRAFT = PublicationState.PUBLISHED, PublicationState.DRAFT
Status = ImplementationStatus


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def make_goal(coordinator):
    """``make_goal(field, owner, state=…)``: a goal set up by the coordinator."""

    def make(field: ActionField, owner: Organisation, *, state=PUBLISHED, **fields) -> Goal:
        return GoalFactory(
            action_field=field, owner=owner, state=state, created_by=coordinator, **fields
        )

    return make


@pytest.fixture
def make_measure(coordinator):
    """``make_measure(goal, status=…, progress=…, deadline=…)``: a measure created through the
    service (lead and partners recorded as the application does), with status and progress
    set directly: dashboard figures need states, not a history of reports."""

    def make(
        goal: Goal,
        *,
        state=PUBLISHED,
        owner: Organisation | None = None,
        status: str | None = None,
        progress: int | None = None,
        **fields,
    ) -> Measure:
        fields.setdefault("title", f"Maßnahme {Measure.objects.count() + 1}")
        measure = services.measure_create(
            actor=coordinator, goal=goal, owner=owner or goal.owner, state=state, **fields
        )
        changes = {
            name: value
            for name, value in (("status", status), ("progress", progress))
            if value is not None
        }
        if changes:
            Measure.objects.filter(pk=measure.pk).update(**changes)
            measure.refresh_from_db()
        return measure

    return make


@pytest.fixture
def organisation(db) -> Organisation:
    return OrganisationFactory(
        name="Chemnitz Wirtschaftsentwicklung",
        short_name="CWE",
        slug="cwe",
        kind=Organisation.Kind.DEVELOPMENT,
        website="https://www.cwe-chemnitz.de/",
        description="Wirtschaftsförderung der Stadt Chemnitz und Konsortialführer von ITAS.",
        is_lead=True,
    )


@pytest.fixture
def other_organisation(db) -> Organisation:
    return OrganisationFactory(
        name="IHK Chemnitz",
        short_name="IHK",
        slug="ihk-chemnitz",
        kind=Organisation.Kind.CHAMBER,
        website="https://www.ihk.de/chemnitz/",
    )


@pytest.fixture
def goal(field, organisation, make_goal) -> Goal:
    """A published goal of Industriepolitik, owned by CWE."""
    return make_goal(field, organisation, title="Sprechstunde für KMU etablieren")


@pytest.fixture
def three_measures(goal, make_measure) -> dict[str, Measure]:
    """Published: one done, one in progress at 40 %, one planned whose deadline has passed."""
    return {
        "done": make_measure(
            goal,
            title="Helpdesk-Sprechstunden",
            status=Status.DONE,
            progress=100,
            deadline=today() - days(10),
        ),
        "running": make_measure(
            goal,
            title="Strategie-Coaching für KMU",
            status=Status.IN_PROGRESS,
            progress=40,
            deadline=today() + days(100),
        ),
        "overdue": make_measure(
            goal, title="Transformationspiloten", status=Status.PLANNED, deadline=today() - days(5)
        ),
    }
