"""Who may do what with goals and measures."""

from django.db.models import Q, QuerySet
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import get_objects_for_user

from charta import permissions as charta_permissions
from charta.models import ActionField

from .models import Goal, Measure
from .workflow import PublicationState

REPORT_STATUS = "measures.report_status"


def can_manage(user, action_field: ActionField | int) -> bool:
    """Editors of the field and coordinators create and edit its goals and measures."""
    return charta_permissions.has_field_perm(user, charta_permissions.MANAGE_MEASURES, action_field)


def can_publish(user, action_field: ActionField | int) -> bool:
    return charta_permissions.has_field_perm(user, charta_permissions.PUBLISH, action_field)


def can_report(user, measure: Measure) -> bool:
    """Coordinators, and the measure's reporters (its working group, responsible users)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.has_perm(REPORT_STATUS):
        return True
    return ObjectPermissionChecker(user).has_perm("report_status", measure)


def measures_reportable_by(user) -> QuerySet[Measure]:
    """The measures the user reports on in person or through a working group (not globally)."""
    if not user.is_authenticated or not user.is_active:
        return Measure.objects.none()
    return get_objects_for_user(
        user, REPORT_STATUS, klass=Measure, accept_global_perms=False, with_superuser=False
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


def can_bulk_import(user) -> bool:
    """Bulk status imports are for coordinators: they report on every measure."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm(REPORT_STATUS))
    )
