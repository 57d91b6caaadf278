"""Fixtures for goals and measures: an owner, goals in both states, measures with reporters."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.models import Organisation, User, WorkingGroup
from accounts.roles import RoleName, role_grant
from charta.models import ActionField
from measures import services
from measures.models import Goal, Measure
from measures.workflow import ImplementationStatus, PublicationState
from tests.conftest import ROLE_KEYS, fresh
from tests.factories import GoalFactory, OrganisationFactory, UserFactory, WorkingGroupFactory

PUBLISHED, DRAFT = PublicationState.PUBLISHED, PublicationState.DRAFT
Status = ImplementationStatus

# Every person the permission tables of this folder run over: the shared roles plus a user
# named responsible for the measure (a reporter in person, not through a working group).
PEOPLE = (*ROLE_KEYS, "responsible")

DAY = datetime.date(2025, 6, 16)  # a fixed "today" for flag computations with ``on=``


def noon(day: datetime.date) -> datetime.datetime:
    """Midday of ``day`` in the site's time zone: far from midnight, so dates never shift."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def make_goal(field: ActionField, owner: Organisation, *, state=PUBLISHED, **fields) -> Goal:
    fields.setdefault("created_by", author())
    return GoalFactory(action_field=field, owner=owner, state=state, **fields)


def author() -> User:
    """The coordinator who sets goals and measures up in these tests (not one of the PEOPLE),
    so that the rows have a creator as they do in the application."""
    user = User.objects.filter(username="anlage-koordination").first()
    if user is None:
        user = UserFactory(username="anlage-koordination")
        role_grant(actor=None, role=RoleName.COORDINATOR, grantee=user)
    return fresh(user)


def make_measure(
    goal: Goal,
    *,
    state=PUBLISHED,
    working_group: WorkingGroup | None = None,
    responsible=(),
    status: str | None = None,
    progress: int | None = None,
    **fields,
) -> Measure:
    """A measure created as the application does (reporters granted), with its status and
    progress optionally set directly: tests of flags and roll-up need states without a
    history of reports."""
    fields.setdefault("title", f"Maßnahme {Measure.objects.count() + 1}")
    measure = services.measure_create(
        actor=author(),
        goal=goal,
        owner=goal.owner,
        working_group=working_group,
        responsible=list(responsible),
        state=state,
        **fields,
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


@pytest.fixture
def organisation(db) -> Organisation:
    return OrganisationFactory(
        name="Chemnitz Wirtschaftsentwicklung", short_name="CWE", slug="cwe", is_lead=True
    )


@pytest.fixture
def other_organisation(db) -> Organisation:
    return OrganisationFactory(name="IHK Chemnitz", short_name="IHK", slug="ihk-chemnitz")


@pytest.fixture
def other_group(db) -> WorkingGroup:
    """A working group that wg_member does not belong to."""
    return WorkingGroupFactory(name="AG Industrie", slug="ag-industrie")


@pytest.fixture
def responsible(db) -> User:
    """The person named responsible for ``measure`` (and for nothing else)."""
    return fresh(UserFactory(username="verantwortlich"))


@pytest.fixture
def goal(field, organisation) -> Goal:
    """A published goal of Industriepolitik."""
    return make_goal(field, organisation, title="Sprechstunde für KMU etablieren")


@pytest.fixture
def draft_goal(field, organisation) -> Goal:
    return make_goal(
        field, organisation, state=DRAFT, title="Geheimer Entwurf: Wasserstoffbedarf ermitteln"
    )


@pytest.fixture
def measure(goal, working_group, responsible) -> Measure:
    """Published; reported on by the working group of wg_member and by ``responsible``."""
    return make_measure(
        goal,
        title="Strategie-Coaching für Zulieferer",
        working_group=working_group,
        responsible=[responsible],
    )


@pytest.fixture
def person(request):
    """``person("editor")``: the user behind a key of PEOPLE, freshly read (no cached perms)."""

    def get(key: str) -> User | AnonymousUser:
        if key not in PEOPLE:
            raise ValueError(f"unknown person {key!r}; known: {', '.join(PEOPLE)}")
        user = request.getfixturevalue(key)
        return user if not user.is_authenticated else fresh(user)

    return get


@pytest.fixture
def login(client, person):
    """``login("editor")``: the test client, logged in as that person (or anonymous)."""

    def as_person(key: str):
        user = person(key)
        if user.is_authenticated:
            client.force_login(user)
        return client

    return as_person
