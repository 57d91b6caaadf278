"""Who may do what with goals and measures."""

from django.db.models import Q, QuerySet
from guardian.core import ObjectPermissionChecker

from accounts.models import User
from accounts.roles import RoleName
from charta import permissions as charta_permissions
from charta.models import ActionField

from .models import Goal, Measure, MeasureGroupObjectPermission, MeasureUserObjectPermission
from .workflow import PUBLICATION_TRANSITIONS, PublicationState

REPORT_STATUS = "measures.report_status"


def can_manage(user, action_field: ActionField | int) -> bool:
    """Editors of the field and coordinators create and edit its goals and measures."""
    return charta_permissions.has_field_perm(user, charta_permissions.MANAGE_MEASURES, action_field)


def can_publish(user, action_field: ActionField | int) -> bool:
    return charta_permissions.has_field_perm(user, charta_permissions.PUBLISH, action_field)


def publication_roles(user, action_field: ActionField | int) -> frozenset[RoleName]:
    """The roles of measures/workflow.py's publication table that ``user`` holds on the goals
    and measures of a Handlungsfeld."""
    roles = set()
    if can_manage(user, action_field):
        roles.add(RoleName.EDITOR)
    if can_publish(user, action_field):
        roles.add(RoleName.COORDINATOR)
    return frozenset(roles)


def may_take_publication_step(user, action_field: ActionField | int, action: str) -> bool:
    """Whether ``user`` holds the role that the publication table asks for ``action`` (in
    any state; the service checks the state)."""
    transition = PUBLICATION_TRANSITIONS.get(action)
    return transition is not None and transition.role in publication_roles(user, action_field)


def can_report_status(user, measure: Measure) -> bool:
    """Coordinators, and the measure's reporters (its working group, responsible users)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.has_perm(REPORT_STATUS):
        return True
    return ObjectPermissionChecker(user).has_perm("report_status", measure)


def report_grants(user) -> tuple[QuerySet, QuerySet]:
    """The user's own and their working groups' grants to report on single measures.

    Written out rather than through guardian's get_objects_for_user: filtering the group
    grants by the user's (few) groups lets PostgreSQL start from them, where guardian's
    query scans every group grant first."""
    perm = {
        "permission__codename": "report_status",
        "permission__content_type__app_label": "measures",
    }
    own = MeasureUserObjectPermission.objects.filter(user=user, **perm)
    groups = User.groups.through.objects.filter(user=user).values("group_id")
    shared = MeasureGroupObjectPermission.objects.filter(group__in=groups, **perm)
    return own, shared


def measures_reportable_by(user) -> QuerySet[Measure]:
    """The measures the user reports on in person or through a working group (not globally)."""
    if not user.is_authenticated or not user.is_active:
        return Measure.objects.none()
    own, shared = report_grants(user)
    return Measure.objects.filter(
        Q(pk__in=own.values("content_object_id")) | Q(pk__in=shared.values("content_object_id"))
    )


def goals_visible_to(user) -> QuerySet[Goal]:
    return Goal.objects.filter(
        Q(state=PublicationState.PUBLISHED) | charta_permissions.draft_filter(user)
    )


def measures_visible_to(user) -> QuerySet[Measure]:
    """Published measures of published goals, drafts of readable fields, and own measures."""
    public = Q(state=PublicationState.PUBLISHED, goal__state=PublicationState.PUBLISHED)
    visible = public | charta_permissions.draft_filter(user, "goal__action_field")
    if user.is_authenticated:
        visible |= Q(pk__in=measures_reportable_by(user).values("pk"))
    return Measure.objects.filter(visible)


def can_bulk_import_all(user) -> bool:
    """Coordinators import status reports on every measure."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm(REPORT_STATUS))
    )


def can_bulk_import(user) -> bool:
    """Whoever reports on measures imports status reports, each on a measure they report on:
    coordinators on all, working groups and responsible people on their own."""
    return can_bulk_import_all(user) or measures_reportable_by(user).exists()
