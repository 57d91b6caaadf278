"""Fixtures of the open data tests: public and unpublished content, made through the services."""

import datetime
import io

import pytest
from django.utils import timezone

from accounts.models import Organisation, User
from charta.models import Section
from charta.services import section_save_draft, section_transition
from measures import services
from measures.models import Goal, Measure
from measures.workflow import PublicationState
from tests.conftest import fresh
from tests.factories import OrganisationFactory, SectionFactory

PUBLISHED, DRAFT = PublicationState.PUBLISHED, PublicationState.DRAFT

# Titles that must never leave the platform through an export.
SECRET_GOAL = "Geheimes Ziel im Entwurf"
SECRET_MEASURE = "Geheime Maßnahme im Entwurf"
HIDDEN_BY_GOAL = "Veröffentlichte Maßnahme eines Ziel-Entwurfs"
SECRETS = (SECRET_GOAL, SECRET_MEASURE, HIDDEN_BY_GOAL)


def in_days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def reload(section: Section) -> Section:
    return Section.objects.select_related("current_revision", "published_revision").get(
        pk=section.pk
    )


@pytest.fixture
def organisation(db) -> Organisation:
    return OrganisationFactory(
        name="Chemnitz Wirtschaftsentwicklung", short_name="CWE", slug="cwe", is_lead=True
    )


@pytest.fixture
def make_goal(coordinator, organisation):
    """``make_goal(field, title, state=PUBLISHED)``: a goal created by the coordinator."""

    def make(field, title: str, *, state: str = PUBLISHED, **fields) -> Goal:
        return services.goal_create(
            actor=fresh(coordinator),
            action_field=field,
            title=title,
            owner=organisation,
            state=state,
            **fields,
        )

    return make


@pytest.fixture
def make_measure(coordinator, organisation):
    """``make_measure(goal, title, state=PUBLISHED, deadline=…)``: created by the coordinator."""

    def make(goal: Goal, title: str, *, state: str = PUBLISHED, **fields) -> Measure:
        return services.measure_create(
            actor=fresh(coordinator),
            goal=goal,
            title=title,
            owner=organisation,
            state=state,
            **fields,
        )

    return make


@pytest.fixture
def report(coordinator):
    """``report(measure, status, progress, note)``: a status report by the coordinator."""

    def make(measure: Measure, status: str, progress: int, note: str = ""):
        return services.measure_report_status(
            actor=fresh(coordinator), measure=measure, status=status, progress=progress, note=note
        )

    return make


@pytest.fixture
def goal(field, make_goal) -> Goal:
    return make_goal(field, "Sprechstunde für KMU etablieren")


@pytest.fixture
def other_goal(other_field, make_goal) -> Goal:
    return make_goal(other_field, "Qualifizierung für die Fahrzeugproduktion von morgen")


@pytest.fixture
def content(goal, other_goal, field, make_goal, make_measure, working_group) -> dict:
    """Published measures in two fields (one without deadline) and the three kinds of draft:
    a draft goal, a draft measure of a published goal, a published measure of a draft goal."""
    draft_goal = make_goal(field, SECRET_GOAL, state=DRAFT)
    return {
        "coaching": make_measure(
            goal,
            "Strategie-Coaching für Zulieferer",
            working_group=working_group,
            start_date=in_days(-30),
            deadline=in_days(60),
        ),
        "helpdesk": make_measure(goal, "Helpdesk-Sprechstunde", deadline=in_days(-5)),
        "undated": make_measure(goal, "Transformationspiloten in Unternehmen"),
        "training": make_measure(other_goal, "Circular-Cars-Schulungen", deadline=in_days(120)),
        "draft": make_measure(goal, SECRET_MEASURE, state=DRAFT, deadline=in_days(10)),
        "hidden": make_measure(draft_goal, HIDDEN_BY_GOAL, deadline=in_days(20)),
        "draft_goal": draft_goal,
    }


@pytest.fixture
def published_section(section, editor, reviewer, coordinator) -> Section:
    """The Industriepolitik section, revision 1 written, reviewed and published."""
    section_save_draft(
        actor=fresh(editor),
        section=section,
        body="## Sprechstunde\n\nEine Sprechstunde für kleine Zulieferer.",
        base_revision=None,
        message="Erste Fassung",
    )
    for actor, action in ((editor, "submit"), (reviewer, "approve"), (coordinator, "publish")):
        section_transition(actor=fresh(actor), section=reload(section), action=action)
    return reload(section)


@pytest.fixture
def draft_section(charta, other_field, other_editor) -> Section:
    """The Arbeit-und-Beschäftigung section with a draft text, never published."""
    section = SectionFactory(charta=charta, action_field=other_field)
    section_save_draft(
        actor=fresh(other_editor),
        section=section,
        body="Ein noch geheimer Entwurf.",
        base_revision=None,
    )
    return reload(section)


@pytest.fixture
def download(client):
    """``download(url, user=None)``: the response to a GET, as ``user`` (anonymous: None)."""

    def get(url: str, user: User | None = None):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client.get(url)

    return get


def body_text(response) -> str:
    return response.content.decode("utf-8")


def bytes_io(response) -> io.BytesIO:
    return io.BytesIO(response.content)
