"""Resolving and reopening comments, and open comments holding up approval."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from charta.models import SectionEvent
from charta.services import section_transition
from charta.workflow import SectionStatus
from comments.models import Comment
from comments.services import comment_create, comment_hide, comment_set_state
from tests.conftest import fresh
from tests.factories import SectionFactory

from .conftest import reload

pytestmark = pytest.mark.django_db

RESOLVED, OPEN = Comment.State.RESOLVED, Comment.State.OPEN

# Who may resolve and reopen a comment that ``commenter`` (a partner) wrote on a section.
RESOLVE_TABLE = [
    ("commenter", True),  # the author
    ("editor", True),  # an editor of the section's field
    ("coordinator", True),
    ("reviewer", False),  # reviews the field, but did not write the comment
    ("partner", False),  # another partner
    ("other_editor", False),  # editor of another field
    ("outsider", False),
    ("anonymous", False),
]


@pytest.fixture
def comment(drafted_section, commenter) -> Comment:
    return comment_create(actor=commenter, target=drafted_section, body="Bitte Quelle nennen.")


@pytest.mark.parametrize(("role", "allowed"), RESOLVE_TABLE)
def test_who_may_resolve_a_comment(role, allowed, person, comment):
    actor = person(role)

    if allowed:
        resolved = comment_set_state(actor=actor, comment=comment, state=RESOLVED)
        assert resolved.state == RESOLVED
    else:
        with pytest.raises(PermissionDenied):
            comment_set_state(actor=actor, comment=comment, state=RESOLVED)
    comment.refresh_from_db()
    assert comment.state == (RESOLVED if allowed else OPEN)


@pytest.mark.parametrize(("role", "allowed"), RESOLVE_TABLE)
def test_who_may_reopen_a_comment(role, allowed, person, comment, coordinator):
    comment_set_state(actor=coordinator, comment=comment, state=RESOLVED)
    actor = person(role)

    if allowed:
        comment_set_state(actor=actor, comment=comment, state=OPEN)
    else:
        with pytest.raises(PermissionDenied):
            comment_set_state(actor=actor, comment=comment, state=OPEN)
    comment.refresh_from_db()
    assert comment.state == (OPEN if allowed else RESOLVED)


def test_resolving_records_who_and_when(comment, editor):
    comment_set_state(actor=editor, comment=comment, state=RESOLVED)

    comment.refresh_from_db()
    assert comment.state == RESOLVED
    assert comment.resolved_by == editor
    assert comment.resolved_at is not None


def test_reopening_clears_who_and_when(comment, editor, commenter):
    comment_set_state(actor=editor, comment=comment, state=RESOLVED)

    comment_set_state(actor=commenter, comment=comment, state=OPEN)

    comment.refresh_from_db()
    assert comment.state == OPEN
    assert comment.resolved_by is None
    assert comment.resolved_at is None


def test_unknown_state_is_refused(comment, editor):
    with pytest.raises(ValidationError) as refused:
        comment_set_state(actor=editor, comment=comment, state="deleted")

    assert "state" in refused.value.message_dict


def test_resolve_through_the_page_as_editor(client, comment, editor):
    client.force_login(editor)

    response = client.post(f"/kommentare/{comment.pk}/status/", {"state": "resolved"})

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.state == RESOLVED


def test_reviewer_may_not_resolve_through_the_api(client, comment, reviewer):
    client.force_login(reviewer)

    response = client.post(f"/api/v1/comments/{comment.pk}/resolve/")

    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.state == OPEN


# Open comments hold up approval ----------------------------------------------------------


def approve(reviewer, section, **kwargs):
    return section_transition(
        actor=fresh(reviewer), section=reload(section), action="approve", **kwargs
    )


@pytest.fixture
def open_review_comment(in_review_section, reviewer) -> Comment:
    return comment_create(actor=reviewer, target=in_review_section, body="Absatz 2 ist unklar.")


def test_approval_with_an_open_comment_is_refused(open_review_comment, in_review_section, reviewer):
    with pytest.raises(ValidationError) as refused:
        approve(reviewer, in_review_section)

    assert "action" in refused.value.message_dict
    assert reload(in_review_section).status == SectionStatus.IN_REVIEW
    assert not SectionEvent.objects.filter(action="approve").exists()


@pytest.mark.parametrize("note", ["", "   "])
def test_override_without_a_note_is_refused(note, open_review_comment, in_review_section, reviewer):
    with pytest.raises(ValidationError) as refused:
        approve(reviewer, in_review_section, override=True, note=note)

    assert "note" in refused.value.message_dict
    assert reload(in_review_section).status == SectionStatus.IN_REVIEW


def test_override_with_a_note_approves_and_records_the_note(
    open_review_comment, in_review_section, reviewer
):
    approve(reviewer, in_review_section, override=True, note="Wird in der nächsten Runde geklärt.")

    section = reload(in_review_section)
    assert section.status == SectionStatus.APPROVED
    assert section.approved_revision == section.current_revision
    event = SectionEvent.objects.get(section=section, action="approve")
    assert event.note == "Wird in der nächsten Runde geklärt."
    open_review_comment.refresh_from_db()
    assert open_review_comment.state == OPEN  # overriding does not resolve the comment


def test_resolved_comment_does_not_block_approval(
    open_review_comment, in_review_section, reviewer, editor
):
    comment_set_state(actor=editor, comment=open_review_comment, state=RESOLVED)

    approve(reviewer, in_review_section)

    assert reload(in_review_section).status == SectionStatus.APPROVED


def test_hidden_comment_does_not_block_approval(
    open_review_comment, in_review_section, reviewer, coordinator
):
    comment_hide(actor=coordinator, comment=open_review_comment, reason="Beleidigend")

    approve(reviewer, in_review_section)

    assert reload(in_review_section).status == SectionStatus.APPROVED


def test_open_reply_blocks_approval_too(in_review_section, reviewer, editor, partner):
    parent = comment_create(actor=reviewer, target=in_review_section, body="Frage")
    comment_create(actor=partner, target=in_review_section, body="Nachfrage", parent=parent)
    comment_set_state(actor=editor, comment=parent, state=RESOLVED)

    with pytest.raises(ValidationError):
        approve(reviewer, in_review_section)


def test_open_comment_on_another_section_does_not_block_approval(
    in_review_section, reviewer, charta, other_field, coordinator
):
    elsewhere = SectionFactory(charta=charta, action_field=other_field)
    comment_create(actor=coordinator, target=elsewhere, body="Anderes Feld")

    approve(reviewer, in_review_section)

    assert reload(in_review_section).status == SectionStatus.APPROVED
