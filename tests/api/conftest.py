"""Fixtures of the API tests: a client per role, and sections, goals and measures in a draft or
a published state, all made through the services as the application makes them."""

from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.test import override_settings

from accounts.models import Organisation, User, WorkingGroup
from charta.models import ActionField, Section
from charta.services import section_save_draft, section_transition
from measures.models import Goal, Measure
from measures.services import goal_create, measure_create
from tests.conftest import fresh
from tests.factories import OrganisationFactory, SectionFactory, UserFactory

PUBLISHED_TEXT = "Veröffentlichte Fassung: eine Sprechstunde für kleine Zulieferer."
# The second word is a marker that must never reach anyone who may not read drafts.
DRAFT_TEXT = "Entwurf GEHEIMER-ENTWURFSTEXT: Transformationspiloten in Unternehmen."


@pytest.fixture(scope="package", autouse=True)
def _quick_settings():
    """Speed only, for the tests of this package.

    WhiteNoise with WHITENOISE_USE_FINDERS (on in tests) scans every file of every static
    finder each time a test client loads the middleware, about 50 ms per client; in
    autorefresh mode it looks files up per request instead and serves the same files.
    Fast password hashing also for module-scoped fixtures (the root conftest's is per test).
    """
    with override_settings(
        WHITENOISE_AUTOREFRESH=True,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ):
        yield


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle counters live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


def reload(section: Section) -> Section:
    """The section as a new request reads it."""
    return Section.objects.select_related("current_revision", "published_revision").get(
        pk=section.pk
    )


def build_section(
    section: Section, *, editor: User, reviewer: User, coordinator: User, state: str, status: str
) -> Section:
    """Give ``section`` text and take it through the workflow, as people would.

    state "draft": one revision, never published. "published": revision 1 published, then
    revision 2 saved as a new draft (the public keeps reading revision 1). ``status`` then
    moves it on: "draft", "in_review" (submitted by the editor) or "approved" (by the reviewer).
    """
    if state == "published":
        section_save_draft(actor=editor, section=section, body=PUBLISHED_TEXT, base_revision=None)
        for actor, action in ((editor, "submit"), (reviewer, "approve"), (coordinator, "publish")):
            section_transition(actor=fresh(actor), section=reload(section), action=action)
        section_save_draft(actor=editor, section=reload(section), body=DRAFT_TEXT, base_revision=1)
    else:
        assert state == "draft", state
        section_save_draft(actor=editor, section=section, body=DRAFT_TEXT, base_revision=None)
    if status in ("in_review", "approved"):
        section_transition(actor=fresh(editor), section=reload(section), action="submit")
    if status == "approved":
        section_transition(actor=fresh(reviewer), section=reload(section), action="approve")
    return reload(section)


@pytest.fixture
def responsible(db) -> User:
    """A person listed among the responsible users of a measure, without any other role."""
    return fresh(UserFactory(username="verantwortlich"))


@pytest.fixture
def organisation(db) -> Organisation:
    return OrganisationFactory(name="Chemnitzer Wirtschaftsförderung", short_name="CWE", slug="cwe")


@pytest.fixture
def make_section(charta, field, editor, reviewer, coordinator) -> Callable[..., Section]:
    """``make_section("draft" | "published", status="draft")``: a section of Industriepolitik
    in the current edition (see build_section)."""

    def make(state: str, status: str = "draft") -> Section:
        return build_section(
            SectionFactory(charta=charta, action_field=field),
            editor=editor,
            reviewer=reviewer,
            coordinator=coordinator,
            state=state,
            status=status,
        )

    return make


@pytest.fixture
def make_goal(coordinator, field, organisation) -> Callable[..., Goal]:
    """``make_goal(state, action_field=None)``; made by a coordinator, who may publish."""

    def make(state: str, action_field: ActionField | None = None, title: str = "Ziel") -> Goal:
        return goal_create(
            actor=coordinator,
            action_field=action_field or field,
            title=title,
            owner=organisation,
            state=state,
        )

    return make


@pytest.fixture
def make_measure(coordinator, make_goal, organisation) -> Callable[..., Measure]:
    """``make_measure(state, goal=None, working_group=None, responsible=())``."""

    def make(
        state: str,
        goal: Goal | None = None,
        working_group: WorkingGroup | None = None,
        responsible=(),
        **fields,
    ) -> Measure:
        return measure_create(
            actor=coordinator,
            goal=goal or make_goal(state),
            title=fields.pop("title", "Sprechstunde und Strategie-Coaching für KMU"),
            owner=fields.pop("owner", organisation),
            working_group=working_group,
            responsible=list(responsible),
            state=state,
            **fields,
        )

    return make
