"""Reads of goals and measures for a given user, filtered by permission and joined."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404
from django.utils import timezone

from charta import permissions as charta_permissions
from charta.selectors import field_tag
from core.caching import depends_on

from . import permissions
from .models import Goal, Indicator, IndicatorValue, Measure, ReportingPeriod, StatusUpdate
from .workflow import FINISHED_STATUSES, ImplementationStatus, PublicationState

AT_RISK_MARGIN = 20  # percentage points of progress behind the share of elapsed time
EPOCH = datetime.date(1970, 1, 1)


class DayNumber(Func):
    """Days since 1970-01-01 of a date expression, as an integer, on SQLite and PostgreSQL."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)",
            **extra_context,
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="((%(expressions)s) - DATE '1970-01-01')",
            **extra_context,
        )


def today() -> datetime.date:
    return timezone.localdate()


def day_number(day: datetime.date) -> int:
    return (day - EPOCH).days


def overdue_condition(on: datetime.date | None = None) -> Q:
    """Deadline passed (before ``on``, default today) and neither done nor stopped."""
    return Q(deadline__lt=on or today()) & ~Q(status__in=FINISHED_STATUSES)


def _flag(condition: Q) -> Case:
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def _shortfall(on: datetime.date) -> ExpressionWrapper:
    """How far progress lags the elapsed share of time, scaled by the duration in days.

    Positive when progress + margin < 100 * elapsed / duration; multiplied out so that the
    database compares integers instead of dividing.
    """
    start, end = DayNumber(F("start_date")), DayNumber(F("deadline"))
    return ExpressionWrapper(
        (Value(day_number(on)) - start) * 100 - (F("progress") + AT_RISK_MARGIN) * (end - start),
        output_field=IntegerField(),
    )


def at_risk_condition(on: datetime.date) -> Q:
    """Running (started, deadline not passed), not finished, and progress clearly behind."""
    return Q(
        start_date__lt=on,
        deadline__gte=on,
        deadline__gt=F("start_date"),
        progress_shortfall__gt=0,
    ) & ~Q(status__in=FINISHED_STATUSES)


def _report_age(on: datetime.date) -> ExpressionWrapper:
    """Days since the last report (or since the measure was created)."""
    last = DayNumber(TruncDate(Coalesce("last_reported_at", "created_at")))
    return ExpressionWrapper(Value(day_number(on)) - last, output_field=IntegerField())


def report_due_condition() -> Q:
    """Not finished, and the last report is older than the field's reporting interval."""
    return Q(report_age__gt=F("goal__action_field__reporting_interval_days")) & ~Q(
        status__in=FINISHED_STATUSES
    )


def _late_predecessors(on: datetime.date) -> QuerySet:
    """Predecessors (not finished) that are overdue, or planned to end after this measure
    starts."""
    links = Measure.depends_on.through.objects.filter(from_measure=OuterRef("pk")).exclude(
        to_measure__status__in=FINISHED_STATUSES
    )
    return links.filter(
        Q(to_measure__deadline__lt=on) | Q(to_measure__deadline__gt=OuterRef("start_date"))
    )


def _delayed_predecessors() -> QuerySet:
    return (
        Measure.depends_on.through.objects.filter(from_measure=OuterRef("pk"))
        .exclude(to_measure__status__in=FINISHED_STATUSES)
        .filter(to_measure__status=ImplementationStatus.DELAYED)
    )


def dependency_risk_condition(on: datetime.date) -> Q:
    """A predecessor holds the measure up: it is overdue, or it is delayed past this
    measure's start (planned to end after it, or still delayed when it has started)."""
    return (
        Q(Exists(_late_predecessors(on)))
        | (Q(Exists(_delayed_predecessors())) & Q(start_date__lte=on))
    ) & ~Q(status__in=FINISHED_STATUSES)


def dependency_risks(measure: Measure, predecessors, on: datetime.date | None = None) -> list[str]:
    """Why ``measure``'s predecessors put it at risk, for people (the rule of
    dependency_risk_condition, on predecessors already loaded)."""
    from django.utils.translation import gettext as _

    on = on or today()
    if measure.status in FINISHED_STATUSES:
        return []
    reasons = []
    for before in predecessors:
        if before.status in FINISHED_STATUSES:
            continue
        values = {
            "title": before.title,
            "deadline": before.deadline.strftime("%d.%m.%Y") if before.deadline else "",
            "start": measure.start_date.strftime("%d.%m.%Y") if measure.start_date else "",
        }
        if before.deadline and before.deadline < on:
            reasons.append(_("Vorgänger „%(title)s“ ist seit %(deadline)s überfällig.") % values)
        elif measure.start_date and before.deadline and before.deadline > measure.start_date:
            reasons.append(
                _(
                    "Vorgänger „%(title)s“ endet erst am %(deadline)s, nach dem Beginn dieser "
                    "Maßnahme am %(start)s."
                )
                % values
            )
        elif (
            before.status == ImplementationStatus.DELAYED
            and measure.start_date
            and measure.start_date <= on
        ):
            reasons.append(
                _(
                    "Vorgänger „%(title)s“ ist verzögert, und diese Maßnahme hat am "
                    "%(start)s begonnen."
                )
                % values
            )
    return reasons


def with_flags(
    measures: QuerySet[Measure], user=None, on: datetime.date | None = None
) -> QuerySet[Measure]:
    """Annotate ``is_overdue``, ``is_at_risk``, ``is_report_due`` (and ``user_reports``)."""
    on = on or today()
    measures = measures.annotate(
        progress_shortfall=_shortfall(on), report_age=_report_age(on)
    ).annotate(
        is_overdue=_flag(overdue_condition(on)),
        is_at_risk=_flag(at_risk_condition(on) | dependency_risk_condition(on)),
        is_held_up=_flag(dependency_risk_condition(on)),
        is_report_due=_flag(report_due_condition()),
    )
    if user is not None and user.is_authenticated and user.is_active:
        own, shared = permissions.report_grants(user)
        measures = measures.annotate(
            user_reports=Exists(own.filter(content_object=OuterRef("pk")))
            | Exists(shared.filter(content_object=OuterRef("pk")))
        )
    elif user is not None:
        measures = measures.annotate(user_reports=Value(False))
    return measures


def measures_for(user) -> QuerySet[Measure]:
    return with_flags(permissions.measures_visible_to(user), user).select_related(
        "goal__action_field", "owner", "working_group"
    )


def with_progress(goals: QuerySet[Goal], user) -> QuerySet[Goal]:
    """Annotate ``progress`` (mean of the visible, not stopped measures; None without any)
    and ``measure_count`` (visible measures), in the same query as the goals."""
    counted = Q(measures__in=permissions.measures_visible_to(user).values("pk"))
    return goals.annotate(
        progress=Avg(
            "measures__progress",
            filter=counted & ~Q(measures__status=ImplementationStatus.STOPPED),
        ),
        measure_count=Count("measures", filter=counted),
    )


def goals_for(user, action_field=None, measures: QuerySet[Measure] | None = None) -> QuerySet[Goal]:
    """Goals the user may see with their progress, each with the measures the user may see
    (``measures``: an already filtered and sorted queryset of them); two queries in all."""
    goals = with_progress(permissions.goals_visible_to(user), user).select_related(
        "owner", "action_field"
    )
    if action_field is not None:
        goals = goals.filter(action_field=action_field)
    if measures is None:
        measures = measures_for(user).order_by(F("deadline").asc(nulls_last=True), "id")
    return goals.prefetch_related(Prefetch("measures", queryset=measures)).order_by("id")


@dataclass(frozen=True)
class FieldProgress:
    progress: float | None
    goals: int
    measures: int
    # Draft goals and measures counted in: the public sees other figures.
    drafts: int = 0


def field_progress(user) -> dict[int, FieldProgress]:
    """Per Handlungsfeld id: the mean progress of its goals (those with progress), one query."""
    draft = PublicationState.DRAFT
    rows = (
        with_progress(permissions.goals_visible_to(user), user)
        .annotate(
            draft_measures=Count(
                "measures",
                filter=Q(measures__in=permissions.measures_visible_to(user).values("pk"))
                & Q(measures__state=draft),
            )
        )
        .values_list("action_field_id", "progress", "measure_count", "state", "draft_measures")
    )
    collected: dict[int, list] = {}
    for field_id, progress, count, state, draft_measures in rows:
        drafts = draft_measures + (state == draft)
        collected.setdefault(field_id, []).append((progress, count, drafts))
    result = {}
    for field_id, goals in collected.items():
        values = [p for p, _count, _drafts in goals if p is not None]
        result[field_id] = FieldProgress(
            progress=sum(values) / len(values) if values else None,
            goals=len(goals),
            measures=sum(count for _p, count, _drafts in goals),
            drafts=sum(drafts for _p, _count, drafts in goals),
        )
    return result


def goal_visible(user, pk: int) -> Goal:
    try:
        goal = goals_for(user).get(pk=pk)
    except Goal.DoesNotExist:
        raise Http404 from None
    depends_on(field_tag(goal.action_field_id))
    return goal


def measure_visible(user, pk: int) -> Measure:
    try:
        measure = (
            measures_for(user)
            .select_related("goal__owner", "created_by")
            .prefetch_related("responsible")
            .get(pk=pk)
        )
    except Measure.DoesNotExist:
        raise Http404 from None
    depends_on(field_tag(measure.goal.action_field_id))
    return measure


def status_history(measure: Measure) -> QuerySet[StatusUpdate]:
    return measure.status_updates.select_related("author").order_by("-created_at", "-id")


def my_measures(user) -> list[Measure]:
    """Measures the user reports on (in person or through a working group): overdue first,
    then those whose report is due, then by deadline."""
    measures = with_flags(
        Measure.objects.filter(pk__in=permissions.measures_reportable_by(user).values("pk")),
        user,
    ).select_related("goal__action_field", "owner", "working_group")
    return list(
        measures.order_by("-is_overdue", "-is_report_due", F("deadline").asc(nulls_last=True), "id")
    )


def goals_manageable_by(user) -> QuerySet[Goal]:
    """Goals in the fields where the user manages goals and measures (for a measure's goal)."""
    fields = charta_permissions.fields_with_perm(user, charta_permissions.MANAGE_MEASURES)
    return (
        Goal.objects.filter(action_field__in=fields.values("pk"))
        .select_related("action_field")
        .order_by("action_field__number", "title")
    )


def neighbours(user, measure: Measure) -> tuple[list[Measure], list[Measure]]:
    """The predecessors and successors of ``measure`` that the user may see, with flags."""
    visible = measures_for(user).order_by("deadline", "id")
    before = list(visible.filter(successors=measure))
    after = list(visible.filter(depends_on=measure))
    return before, after


# Indicators ---------------------------------------------------------------------------------


def indicators_for(user, goals=None) -> QuerySet[Indicator]:
    """Indicators the user may see (of ``goals`` if given), each with its values in order:
    two queries for any number."""
    indicators = permissions.indicators_visible_to(user).select_related("goal__action_field")
    if goals is not None:
        indicators = indicators.filter(goal__in=goals)
    return indicators.prefetch_related(
        Prefetch(
            "values",
            queryset=IndicatorValue.objects.select_related("author").order_by("date", "id"),
        )
    ).order_by("goal__action_field__number", "goal_id", "id")


def indicator_visible(user, pk: int) -> Indicator:
    try:
        indicator = indicators_for(user).get(pk=pk)
    except Indicator.DoesNotExist:
        raise Http404 from None
    depends_on(field_tag(indicator.goal.action_field_id))
    return indicator


# Acknowledgement ----------------------------------------------------------------------------


def status_updates_to_acknowledge(user) -> QuerySet[StatusUpdate]:
    """The status reports ``user`` may acknowledge and has not: not yet acknowledged by anyone,
    not written by the user, on measures of the fields whose goals and measures the user
    manages (coordinators: every field). Oldest first, joined for a list.

    This is the source of the ``acknowledge`` tasks of a person's task list.
    """
    if not user.is_authenticated or not user.is_active:
        return StatusUpdate.objects.none()
    fields = charta_permissions.fields_with_perm(user, charta_permissions.MANAGE_MEASURES)
    return (
        StatusUpdate.objects.filter(
            acknowledged_at__isnull=True,
            measure__goal__action_field__in=fields.values("pk"),
        )
        .exclude(author=user)
        .select_related("measure__goal__action_field", "author")
        .order_by("created_at", "id")
    )


# Reporting periods --------------------------------------------------------------------------

PERIODS_TAG = "periods"


def periods() -> QuerySet[ReportingPeriod]:
    """Every reporting period (they are public), each with its snapshots, oldest first."""
    depends_on(PERIODS_TAG)
    return (
        ReportingPeriod.objects.select_related("closed_by")
        .prefetch_related("snapshots")
        .order_by("end", "id")
    )


def period_visible(pk: int) -> ReportingPeriod:
    try:
        return periods().get(pk=pk)
    except ReportingPeriod.DoesNotExist:
        raise Http404 from None
