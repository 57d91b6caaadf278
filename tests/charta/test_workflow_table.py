"""The section workflow (DESIGN.md, Workflows), run through the service on real rows.

Every person × every action × every starting status. The rules, as the design states them:

- submit: editors of the field, from draft or changes_requested;
- request_changes and approve: reviewers of the field, from in_review, never the submitter;
- publish: coordinators, from approved;
- coordinators hold every role globally.

Who may not see the section (no draft rights, section unpublished) is refused with
PermissionDenied before anything else. A step the status does not allow is a ValidationError
for everyone who may see the section; a step the status allows but the person's roles do
not is PermissionDenied.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from charta.errors import EditConflict
from charta.models import Section, SectionEvent
from charta.services import section_save_draft, section_transition
from charta.workflow import Action, SectionStatus
from tests.conftest import ROLE_KEYS

pytestmark = pytest.mark.django_db

S = SectionStatus
A = Action

TEXT = "## Industriepolitik\n\nDie Region sichert ihre Zulieferer."
NOTE = "Bitte die Zahlen belegen."

# (action, allowed starting statuses, roles allowed, target)
RULES = {
    A.SUBMIT: ({S.DRAFT, S.CHANGES_REQUESTED}, {"editor", "coordinator"}, S.IN_REVIEW),
    A.REQUEST_CHANGES: ({S.IN_REVIEW}, {"reviewer", "coordinator"}, S.CHANGES_REQUESTED),
    A.APPROVE: ({S.IN_REVIEW}, {"reviewer", "coordinator"}, S.APPROVED),
    A.PUBLISH: ({S.APPROVED}, {"coordinator"}, S.PUBLISHED),
}
# Who may read unpublished sections of Industriepolitik.
DRAFT_READERS = {"editor", "reviewer", "coordinator", "partner"}


def expected(role: str, action: Action, status: SectionStatus):
    sources, roles, target = RULES[action]
    if status != S.PUBLISHED and role not in DRAFT_READERS:
        return PermissionDenied
    if status not in sources:
        return ValidationError
    if role not in roles:
        return PermissionDenied
    return target


def step(actor, section, action, note=""):
    return section_transition(actor=actor, section=section, action=action, note=note)


@pytest.fixture
def section_in(section, editor, reviewer, coordinator):
    """Build the section up to a status through the services, as people would.

    The editor writes and submits, the reviewer asks for changes or approves, the
    coordinator publishes.
    """

    def build(status: SectionStatus) -> Section:
        section_save_draft(actor=editor, section=section, body=TEXT, base_revision=None)
        path = {
            S.DRAFT: [],
            S.IN_REVIEW: [(editor, A.SUBMIT)],
            S.CHANGES_REQUESTED: [(editor, A.SUBMIT), (reviewer, A.REQUEST_CHANGES)],
            S.APPROVED: [(editor, A.SUBMIT), (reviewer, A.APPROVE)],
            S.PUBLISHED: [(editor, A.SUBMIT), (reviewer, A.APPROVE), (coordinator, A.PUBLISH)],
        }[status]
        for actor, action in path:
            step(actor, section, action, NOTE)
        section.refresh_from_db()
        assert section.status == status
        return section

    return build


TABLE = [
    pytest.param(role, action, status, id=f"{role}-{action.value}-from-{status.value}")
    for role in ROLE_KEYS
    for action in Action
    for status in SectionStatus
]


@pytest.mark.parametrize(("role", "action", "status"), TABLE)
def test_workflow_table(role, action, status, section_in, as_role):
    section = section_in(status)
    actor = as_role(role)
    events_before = SectionEvent.objects.filter(section=section).count()
    outcome = expected(role, action, status)

    if isinstance(outcome, type):
        with pytest.raises(outcome):
            step(actor, section, action, NOTE)
        section.refresh_from_db()
        assert section.status == status, "a refused step changes nothing"
        assert SectionEvent.objects.filter(section=section).count() == events_before
    else:
        step(actor, section, action, NOTE)
        section.refresh_from_db()
        assert section.status == outcome
        event = SectionEvent.objects.filter(section=section).first()
        assert (event.action, event.from_status, event.to_status) == (action, status, outcome)
        assert event.actor_id == actor.pk
        assert event.revision_id == section.current_revision_id


def test_expected_table_covers_every_transition_of_the_design():
    # Guards the table above against drifting from the design's list of actions.
    assert set(RULES) == set(Action)


# --- single rules ------------------------------------------------------------------------


def test_nobody_approves_a_text_they_submitted(section, coordinator, reviewer):
    section_save_draft(actor=coordinator, section=section, body=TEXT, base_revision=None)
    step(coordinator, section, A.SUBMIT)

    with pytest.raises(PermissionDenied):
        step(coordinator, section, A.APPROVE)
    with pytest.raises(PermissionDenied):
        step(coordinator, section, A.REQUEST_CHANGES, NOTE)

    section.refresh_from_db()
    assert section.status == S.IN_REVIEW
    step(reviewer, section, A.APPROVE)
    section.refresh_from_db()
    assert section.status == S.APPROVED


def test_submitter_may_submit_again_after_changes_were_requested(section, editor, reviewer):
    section_save_draft(actor=editor, section=section, body=TEXT, base_revision=None)
    step(editor, section, A.SUBMIT)
    step(reviewer, section, A.REQUEST_CHANGES, NOTE)

    step(editor, section, A.SUBMIT)

    section.refresh_from_db()
    assert section.status == S.IN_REVIEW
    assert section.submitted_by_id == editor.pk


def test_a_section_without_text_cannot_be_submitted(section, editor):
    with pytest.raises(ValidationError):
        step(editor, section, A.SUBMIT)

    section.refresh_from_db()
    assert section.status == S.DRAFT


@pytest.mark.parametrize("start", [S.IN_REVIEW, S.APPROVED])
def test_saving_withdraws_review(start, section_in, editor):
    section = section_in(start)
    base = section.current_revision.number

    revision = section_save_draft(
        actor=editor, section=section, body=TEXT + "\n\nNeuer Absatz.", base_revision=base
    )

    section.refresh_from_db()
    assert section.status == S.DRAFT
    assert section.approved_revision is None
    assert section.submitted_by is None
    assert section.current_revision == revision


def test_reviewer_cannot_approve_after_the_text_changed_under_review(section_in, editor, reviewer):
    section = section_in(S.IN_REVIEW)
    section_save_draft(actor=editor, section=section, body=TEXT + " Neu.", base_revision=1)

    with pytest.raises(ValidationError):
        step(reviewer, section, A.APPROVE)


def test_approval_names_the_revision_the_reviewer_saw(section_in, editor, reviewer):
    section = section_in(S.IN_REVIEW)

    with pytest.raises(EditConflict):
        section_transition(actor=reviewer, section=section, action=A.APPROVE, base_revision=99)
    section_transition(actor=reviewer, section=section, action=A.APPROVE, base_revision=1)

    section.refresh_from_db()
    assert section.approved_revision.number == 1


def test_publish_fixes_published_revision_and_later_draft_does_not_change_it(
    section_in, editor, reviewer, coordinator
):
    section = section_in(S.PUBLISHED)
    published = section.published_revision
    assert published is not None
    assert published == section.current_revision
    assert section.published_at is not None

    newer = section_save_draft(
        actor=editor, section=section, body="Ganz neuer Text.", base_revision=published.number
    )

    section.refresh_from_db()
    assert section.status == S.DRAFT
    assert section.current_revision == newer
    assert section.published_revision == published
    assert section.published_revision.body == TEXT


def test_republishing_moves_the_published_revision_to_the_newly_approved_one(
    section_in, editor, reviewer, coordinator
):
    section = section_in(S.PUBLISHED)
    newer = section_save_draft(
        actor=editor, section=section, body="Zweite Fassung.", base_revision=1
    )
    step(editor, section, A.SUBMIT)
    step(reviewer, section, A.APPROVE)
    step(coordinator, section, A.PUBLISH)

    section.refresh_from_db()
    assert section.status == S.PUBLISHED
    assert section.published_revision == newer


@pytest.mark.parametrize("note", ["", "   \n "])
def test_request_changes_needs_a_note(note, section_in, reviewer):
    section = section_in(S.IN_REVIEW)

    with pytest.raises(ValidationError) as refused:
        step(reviewer, section, A.REQUEST_CHANGES, note)

    assert "note" in refused.value.message_dict
    section.refresh_from_db()
    assert section.status == S.IN_REVIEW
    assert not SectionEvent.objects.filter(section=section, action=A.REQUEST_CHANGES).exists()


def test_request_changes_keeps_the_note(section_in, reviewer):
    section = section_in(S.IN_REVIEW)

    step(reviewer, section, A.REQUEST_CHANGES, "  Quellen fehlen.  ")

    event = SectionEvent.objects.get(section=section, action=A.REQUEST_CHANGES)
    assert event.note == "Quellen fehlen."


def test_unknown_action_is_refused(section_in, coordinator):
    section = section_in(S.DRAFT)

    with pytest.raises(ValidationError):
        step(coordinator, section, "delete")


def test_reviewer_cannot_publish(section_in, reviewer):
    section = section_in(S.APPROVED)

    with pytest.raises(PermissionDenied):
        step(reviewer, section, A.PUBLISH)


def test_editor_cannot_approve_their_own_field(section_in, editor):
    section = section_in(S.IN_REVIEW)

    with pytest.raises(PermissionDenied):
        step(editor, section, A.APPROVE)
