"""Who may do what with goals and measures."""

from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet
from guardian.core import ObjectPermissionChecker

from accounts.models import Membership, User
from accounts.roles import RoleName
from charta import permissions as charta_permissions
from charta.models import ActionField

from .models import (
    Goal,
    Indicator,
    Measure,
    MeasureGroupObjectPermission,
    MeasureUserObjectPermission,
    StatusUpdate,
)
from .workflow import PUBLICATION_TRANSITIONS, PublicationState

REPORT_STATUS = "measures.report_status"
MANAGE_PERIODS = "measures.manage_periods"


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


def goal_owner_editors(goal: Goal) -> list[User]:
    """The editors who answer for a goal: the editors of its Handlungsfeld who belong to the
    organisation that owns it; all editors of the field when none of them does."""
    editors = list(
        charta_permissions.field_people(goal.action_field_id, [charta_permissions.MANAGE_MEASURES])
    )
    members = set(
        Membership.objects.filter(
            organisation_id=goal.owner_id, user__in=[user.pk for user in editors]
        ).values_list("user_id", flat=True)
    )
    return [user for user in editors if user.pk in members] or editors


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


def indicators_visible_to(user) -> QuerySet[Indicator]:
    """Indicators of the goals the user may see."""
    return Indicator.objects.filter(goal__in=goals_visible_to(user).values("pk"))


def can_record_indicator_value(user, indicator: Indicator) -> bool:
    """Editors of the goal's field, coordinators, and whoever reports on one of the goal's
    measures (in person or through a working group)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if can_manage(user, indicator.goal.action_field_id) or user.has_perm(REPORT_STATUS):
        return True
    return measures_reportable_by(user).filter(goal_id=indicator.goal_id).exists()


def can_acknowledge(user, update: StatusUpdate) -> bool:
    """The editors of the goal's field and coordinators acknowledge a status report; never
    the one who wrote it."""
    if not user.is_authenticated or not user.is_active or update.author_id == user.pk:
        return False
    return can_manage(user, update.measure.goal.action_field_id)


def can_manage_periods(user) -> bool:
    """Coordinators create, close and reopen reporting periods."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm(MANAGE_PERIODS))
    )


def coordinators() -> QuerySet[User]:
    """Active people holding the coordinator role (its global permissions), not superusers
    without it."""
    app_label, codename = MANAGE_PERIODS.split(".")
    perm = {"content_type__app_label": app_label, "codename": codename}
    held = Permission.objects.filter(**perm)
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__permissions__in=held) | Q(user_permissions__in=held))
        .distinct()
        .order_by("id")
    )


def can_bulk_import(user) -> bool:
    """Whoever reports on measures imports status reports, each on a measure they report on:
    coordinators on all, working groups and responsible people on their own."""
    return can_bulk_import_all(user) or measures_reportable_by(user).exists()
