"""Fixtures of the suggestion tests: a drafted section (three paragraphs) and helpers."""

import pytest

from charta.models import Section, Suggestion
from charta.services import section_save_draft, section_transition, suggestion_create
from tests.comments.conftest import FIRST, SECOND, TEXT, THIRD, reload
from tests.conftest import fresh

__all__ = ["FIRST", "SECOND", "TEXT", "THIRD", "new_revision", "reload", "suggest"]


@pytest.fixture
def drafted_section(section, editor) -> Section:
    section_save_draft(actor=editor, section=section, body=TEXT, base_revision=None)
    return reload(section)


@pytest.fixture
def published_section(drafted_section, editor, reviewer, coordinator) -> Section:
    """Revision 1 published (no newer draft)."""
    for actor, action in ((editor, "submit"), (reviewer, "approve"), (coordinator, "publish")):
        section_transition(actor=fresh(actor), section=reload(drafted_section), action=action)
    return reload(drafted_section)


def suggest(section, actor, quote, replacement, *, reason="Genauer.", **more) -> Suggestion:
    section = reload(section)
    return suggestion_create(
        actor=fresh(actor),
        section=section,
        base_revision=more.pop("base_revision", section.current_revision.number),
        quote=quote,
        replacement=replacement,
        reason=reason,
        **more,
    )


def new_revision(section, editor, body: str):
    section = reload(section)
    return section_save_draft(
        actor=fresh(editor),
        section=section,
        body=body,
        base_revision=section.current_revision.number,
    )
