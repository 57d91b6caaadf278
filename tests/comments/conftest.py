"""Fixtures for the comment workflow: sections with text, a second commenter and coordinator."""

import pytest

from accounts.models import User
from accounts.roles import RoleName, role_grant
from charta.models import Revision, Section
from charta.services import section_save_draft, section_transition
from tests.conftest import fresh
from tests.factories import UserFactory

# Three paragraphs, as an editor of Industriepolitik would write them.
FIRST = "Die Region Südwestsachsen gestaltet die Transformation der Automobilindustrie gemeinsam."
SECOND = (
    "Kleine und mittlere Zulieferer erhalten eine Sprechstunde und ein Strategie-Coaching, "
    "damit sie neue Geschäftsfelder erschließen können."
)
THIRD = "Hochschulen und Zulieferer bauen Brücken für den Wissenstransfer in die Produktion."
TEXT = "\n\n".join([FIRST, SECOND, THIRD])


def reload(section: Section) -> Section:
    """The section as a new request would read it (current revision joined)."""
    return Section.objects.select_related("current_revision").get(pk=section.pk)


def anchor_of(revision: Revision, text: str) -> str:
    """The paragraph anchor of the block whose text starts like ``text``."""
    for anchor, paragraph in revision.paragraphs:
        if paragraph.startswith(text[:40]):
            return anchor
    raise AssertionError(f"no paragraph starting with {text[:40]!r} in {revision.paragraphs}")


def _person(username: str, role: RoleName) -> User:
    user = UserFactory(username=username)
    role_grant(actor=None, role=role, grantee=user)
    return fresh(user)


@pytest.fixture
def person(request):
    """``person("commenter")``: any user fixture by name, freshly read (role tables that go
    beyond the root conftest's ROLE_KEYS)."""

    def get(key: str):
        user = request.getfixturevalue(key)
        return fresh(user) if user.is_authenticated else user

    return get


@pytest.fixture
def commenter(db) -> User:
    """A consortium partner who writes the comments that others resolve or moderate."""
    return _person("partnerin-kommentar", RoleName.PARTNER)


@pytest.fixture
def second_coordinator(db) -> User:
    return _person("koordination-zwei", RoleName.COORDINATOR)


@pytest.fixture
def drafted_section(section, editor) -> Section:
    """The Industriepolitik section with one revision (three paragraphs), in draft."""
    section_save_draft(actor=editor, section=section, body=TEXT, base_revision=None)
    return reload(section)


@pytest.fixture
def in_review_section(drafted_section, editor) -> Section:
    """Submitted for review by the editor."""
    section_transition(actor=fresh(editor), section=drafted_section, action="submit")
    return reload(drafted_section)


@pytest.fixture
def published_section(in_review_section, reviewer, coordinator) -> Section:
    """Approved by the reviewer and published by the coordinator."""
    section_transition(actor=fresh(reviewer), section=in_review_section, action="approve")
    section_transition(actor=fresh(coordinator), section=in_review_section, action="publish")
    return reload(in_review_section)
