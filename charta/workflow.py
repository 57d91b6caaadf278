"""The section workflow as a table: states, transitions and who may take them.

The roles are those of accounts/roles.py: editors and reviewers of the section's field,
coordinators.

Nothing here touches the database; services consult it and enforce it.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import RoleName


class SectionStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    IN_REVIEW = "in_review", _("In Prüfung")
    CHANGES_REQUESTED = "changes_requested", _("Änderungen erbeten")
    APPROVED = "approved", _("Freigegeben")
    PUBLISHED = "published", _("Veröffentlicht")


class Action(models.TextChoices):
    SUBMIT = "submit", _("Zur Prüfung einreichen")
    REQUEST_CHANGES = "request_changes", _("Änderungen erbitten")
    APPROVE = "approve", _("Freigeben")
    PUBLISH = "publish", _("Veröffentlichen")


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[SectionStatus]
    target: SectionStatus
    role: RoleName
    # Reviewers judge someone else's text: the submitter may not take this action.
    forbids_submitter: bool = False
    # The step needs a note saying why (e.g. what should change); the prompt if it is missing.
    needs_note: bool = False
    note_prompt: str = ""
    # Open comments block the step unless the actor overrides that and says why in a note.
    open_comments_need_override: bool = False


TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in (
        Transition(
            Action.SUBMIT,
            frozenset({SectionStatus.DRAFT, SectionStatus.CHANGES_REQUESTED}),
            SectionStatus.IN_REVIEW,
            RoleName.EDITOR,
        ),
        Transition(
            Action.REQUEST_CHANGES,
            frozenset({SectionStatus.IN_REVIEW}),
            SectionStatus.CHANGES_REQUESTED,
            RoleName.REVIEWER,
            forbids_submitter=True,
            needs_note=True,
            note_prompt=_("Bitte sagen Sie, was geändert werden soll."),
        ),
        Transition(
            Action.APPROVE,
            frozenset({SectionStatus.IN_REVIEW}),
            SectionStatus.APPROVED,
            RoleName.REVIEWER,
            forbids_submitter=True,
            open_comments_need_override=True,
        ),
        Transition(
            Action.PUBLISH,
            frozenset({SectionStatus.APPROVED}),
            SectionStatus.PUBLISHED,
            RoleName.COORDINATOR,
        ),
    )
}

# Saving text always starts a new draft: reviewers approve a revision, not a section.
STATUS_AFTER_SAVE = SectionStatus.DRAFT


class TransitionError(Exception):
    """A transition that the table does not allow; the message is for people."""


def check_transition(
    action: str, *, status: str, roles: set[RoleName] | frozenset[RoleName], is_submitter: bool
) -> Transition:
    """Return the transition for ``action`` or raise TransitionError saying why not."""
    try:
        transition = TRANSITIONS[Action(action)]
    except ValueError:
        raise TransitionError(_("Unbekannte Aktion: %(action)s") % {"action": action}) from None
    if status not in transition.sources:
        raise TransitionError(
            _("„%(action)s“ ist im Zustand „%(status)s“ nicht möglich.")
            % {"action": transition.action.label, "status": SectionStatus(status).label}
        )
    if transition.role not in roles:
        raise PermissionDenied(
            _("Für „%(action)s“ ist die Rolle „%(role)s“ nötig.")
            % {"action": transition.action.label, "role": transition.role.label}
        )
    if transition.forbids_submitter and is_submitter:
        raise PermissionDenied(_("Wer einen Text eingereicht hat, kann ihn nicht selbst prüfen."))
    return transition


def available_actions(
    *, status: str, roles: set[RoleName] | frozenset[RoleName], is_submitter: bool
) -> list[Transition]:
    """The transitions a person with ``roles`` may take from ``status``, in table order."""
    return [
        t
        for t in TRANSITIONS.values()
        if status in t.sources and t.role in roles and not (t.forbids_submitter and is_submitter)
    ]
