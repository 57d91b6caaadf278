"""States of goals and measures, and publication as a table of transitions.

Nothing here touches the database; services consult the table and enforce it.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import RoleName
from charta.workflow import TransitionError


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    PUBLISHED = "published", _("Veröffentlicht")


class PublicationAction(models.TextChoices):
    PUBLISH = "publish", _("Veröffentlichen")
    WITHDRAW = "withdraw", _("Zurückziehen")


# A withdrawal says why; the reason goes into the audit log.
WITHDRAW_REASON_MAX_LENGTH = 500


@dataclass(frozen=True)
class PublicationTransition:
    action: PublicationAction
    sources: frozenset[PublicationState]
    target: PublicationState
    role: RoleName
    # Taking something off the public site is explained: the audit log keeps the reason.
    needs_reason: bool = False


PUBLICATION_TRANSITIONS: dict[PublicationAction, PublicationTransition] = {
    t.action: t
    for t in (
        PublicationTransition(
            PublicationAction.PUBLISH,
            frozenset({PublicationState.DRAFT}),
            PublicationState.PUBLISHED,
            RoleName.COORDINATOR,
        ),
        PublicationTransition(
            PublicationAction.WITHDRAW,
            frozenset({PublicationState.PUBLISHED}),
            PublicationState.DRAFT,
            RoleName.COORDINATOR,
            needs_reason=True,
        ),
    )
}


def check_publication(
    action: str, *, state: str, roles: set[RoleName] | frozenset[RoleName]
) -> PublicationTransition:
    """Return the transition for ``action`` or raise saying why not.

    The role comes first: whoever may not take the action at all is told so (403) whatever
    the state; TransitionError (a 400) is for those who may, but not from this state.
    """
    try:
        transition = PUBLICATION_TRANSITIONS[PublicationAction(action)]
    except ValueError:
        raise TransitionError(_("Unbekannte Aktion: %(action)s") % {"action": action}) from None
    if transition.role not in roles:
        raise PermissionDenied(
            _("Für „%(action)s“ ist die Rolle „%(role)s“ nötig.")
            % {"action": transition.action.label, "role": transition.role.label}
        )
    if state not in transition.sources:
        raise TransitionError(
            _("„%(action)s“ ist im Zustand „%(status)s“ nicht möglich.")
            % {"action": transition.action.label, "status": PublicationState(state).label}
        )
    return transition


def available_publication_actions(
    *, state: str, roles: set[RoleName] | frozenset[RoleName]
) -> list[PublicationTransition]:
    """The publication steps a person with ``roles`` may take from ``state``, in table order."""
    return [t for t in PUBLICATION_TRANSITIONS.values() if state in t.sources and t.role in roles]


class ImplementationStatus(models.TextChoices):
    PLANNED = "planned", _("Geplant")
    IN_PROGRESS = "in_progress", _("In Umsetzung")
    DELAYED = "delayed", _("Verzögert")
    DONE = "done", _("Abgeschlossen")
    STOPPED = "stopped", _("Eingestellt")


# A measure in one of these states is finished: it can no longer be overdue.
FINISHED_STATUSES = frozenset({ImplementationStatus.DONE, ImplementationStatus.STOPPED})


class Priority(models.TextChoices):
    HIGH = "high", _("Hoch")
    MEDIUM = "medium", _("Mittel")
    LOW = "low", _("Niedrig")
