"""Reads of goals and measures for a given user, filtered by permission and joined."""

import datetime

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from . import permissions
from .models import Goal, Measure, StatusUpdate
from .workflow import FINISHED_STATUSES


def today() -> datetime.date:
    return timezone.localdate()


def overdue_condition(on: datetime.date | None = None) -> Q:
    """Deadline passed (before ``on``, default today) and neither done nor stopped."""
    return Q(deadline__lt=on or today()) & ~Q(status__in=FINISHED_STATUSES)


def with_flags(measures: QuerySet[Measure], user=None) -> QuerySet[Measure]:
    """Annotate ``is_overdue`` (and ``can_report`` for ``user``) in the database."""
    measures = measures.annotate(
        is_overdue=Case(
            When(overdue_condition(), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )
    if user is not None:
        reportable = permissions.measures_reportable_by(user).filter(pk=OuterRef("pk"))
        measures = measures.annotate(user_reports=Exists(reportable))
    return measures


def measures_for(user) -> QuerySet[Measure]:
    return with_flags(permissions.measures_visible_to(user), user).select_related(
        "goal__action_field", "owner", "working_group"
    )


def goals_for(user, action_field=None) -> QuerySet[Goal]:
    """Goals the user may see, each with the measures the user may see (two queries)."""
    goals = permissions.goals_visible_to(user).select_related("owner", "action_field")
    if action_field is not None:
        goals = goals.filter(action_field=action_field)
    return goals.prefetch_related(
        Prefetch("measures", queryset=measures_for(user).order_by("deadline", "id"))
    ).order_by("id")


def goal_visible(user, pk: int) -> Goal:
    try:
        return goals_for(user).get(pk=pk)
    except Goal.DoesNotExist:
        raise Http404 from None


def measure_visible(user, pk: int) -> Measure:
    try:
        return (
            measures_for(user)
            .select_related("goal__owner", "created_by")
            .prefetch_related("responsible")
            .get(pk=pk)
        )
    except Measure.DoesNotExist:
        raise Http404 from None


def status_history(measure: Measure) -> QuerySet[StatusUpdate]:
    return measure.status_updates.select_related("author").order_by("-created_at", "-id")
