"""Fixtures of the hardening tests: published content made through the services."""

import pytest
from django.core.cache import cache

from accounts.models import Organisation
from charta.models import Section
from charta.services import section_save_draft, section_transition
from measures.models import Goal, Measure
from measures.services import goal_create, measure_create
from tests.conftest import fresh
from tests.factories import OrganisationFactory

PUBLISHED_TEXT = "## Sprechstunde\n\nEine Sprechstunde für kleine Zulieferer."


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rendered pages and DRF throttle counters live in the cache; each test starts empty."""
    cache.clear()
    yield
    cache.clear()


def reload(section: Section) -> Section:
    return Section.objects.select_related("current_revision", "published_revision").get(
        pk=section.pk
    )


@pytest.fixture
def organisation(db) -> Organisation:
    return OrganisationFactory(name="Chemnitzer Wirtschaftsförderung", short_name="CWE", slug="cwe")


@pytest.fixture
def published_section(section, editor, reviewer, coordinator) -> Section:
    """The Industriepolitik section with revision 1 written, reviewed and published."""
    section_save_draft(
        actor=fresh(editor), section=section, body=PUBLISHED_TEXT, base_revision=None
    )
    for actor, action in ((editor, "submit"), (reviewer, "approve"), (coordinator, "publish")):
        section_transition(actor=fresh(actor), section=reload(section), action=action)
    return reload(section)


@pytest.fixture
def published_goal(coordinator, field, organisation) -> Goal:
    return goal_create(
        actor=fresh(coordinator),
        action_field=field,
        title="Sprechstunde für KMU",
        owner=organisation,
        state="published",
    )


@pytest.fixture
def published_measure(coordinator, published_goal, organisation) -> Measure:
    return measure_create(
        actor=fresh(coordinator),
        goal=published_goal,
        title="Transformationspiloten in Unternehmen",
        owner=organisation,
        state="published",
    )
