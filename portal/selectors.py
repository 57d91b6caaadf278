"""Reads across the domains for a person or the public: partner organisations and what they
own, the published goals and measures of the open data, the news of the feed."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import Organisation
from charta import permissions as charta_permissions
from charta.models import ActionField, Section
from measures import permissions, selectors
from measures.models import Goal, Measure, MeasureParty, StatusUpdate

NEWS_LIMIT = 50


def _public() -> AnonymousUser:
    return AnonymousUser()


def _count(queryset: QuerySet, group_by: str) -> Coalesce:
    """The number of rows of ``queryset`` (already filtered by an OuterRef) as a subquery."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def organisations_for(user) -> QuerySet[Organisation]:
    """All partner organisations with the number of goals they own, measures they lead and
    measures they are partners in, counting only what the user may see: one query."""
    goals = permissions.goals_visible_to(user)
    measures = permissions.measures_visible_to(user)
    partnered = MeasureParty.objects.filter(
        organisation=OuterRef("pk"),
        role=MeasureParty.Role.PARTNER,
        measure__in=measures.values("pk"),
    )
    return Organisation.objects.annotate(
        goal_count=_count(goals.filter(owner=OuterRef("pk")), "owner"),
        measure_count=_count(measures.filter(owner=OuterRef("pk")), "owner"),
        partner_count=_count(partnered, "organisation"),
    ).order_by("name")


def organisation_goals(user, organisation: Organisation) -> QuerySet[Goal]:
    """The goals the organisation owns that the user may see, with their progress."""
    return (
        selectors.with_progress(permissions.goals_visible_to(user), user)
        .filter(owner=organisation)
        .select_related("action_field")
        .order_by("action_field__number", "title", "id")
    )


def organisation_measures(user, organisation: Organisation) -> QuerySet[Measure]:
    """The measures the organisation leads or is a partner in that the user may see."""
    partnered = MeasureParty.objects.filter(organisation=organisation).values("measure_id")
    return (
        selectors.measures_for(user)
        .filter(Q(owner=organisation) | Q(pk__in=partnered))
        .order_by(F("deadline").asc(nulls_last=True), "id")
    )


# Open data: as the public sees it ---------------------------------------------------------


def public_goals(action_field: ActionField | None = None) -> QuerySet[Goal]:
    """Published goals with their progress and number of published measures, one query."""
    public = _public()
    goals = selectors.with_progress(permissions.goals_visible_to(public), public).select_related(
        "action_field", "owner"
    )
    if action_field is not None:
        goals = goals.filter(action_field=action_field)
    return goals.order_by("action_field__number", "id")


def public_measures(action_field: ActionField | None = None) -> QuerySet[Measure]:
    """Published measures of published goals, flagged (``is_overdue``) and joined, one query."""
    measures = selectors.with_flags(permissions.measures_visible_to(_public())).select_related(
        "goal__action_field", "owner", "working_group"
    )
    if action_field is not None:
        measures = measures.filter(goal__action_field=action_field)
    return measures.order_by("goal__action_field__number", "goal_id", "id")


def public_indicators(action_field: ActionField | None = None) -> QuerySet:
    """Indicators of published goals, each with its values: two queries."""
    indicators = selectors.indicators_for(_public())
    if action_field is not None:
        indicators = indicators.filter(goal__action_field=action_field)
    return indicators


@dataclass(frozen=True)
class NewsEvent:
    """A publication of a charta section or a status report on a published measure."""

    updated: datetime.datetime
    section: Section | None = None
    report: StatusUpdate | None = None


def public_news(limit: int = NEWS_LIMIT) -> list[NewsEvent]:
    """The latest ``limit`` publications and public status reports, newest first; two queries."""
    public = _public()
    sections = (
        charta_permissions.sections_visible_to(public)
        .filter(published_revision__isnull=False, published_at__isnull=False)
        .select_related("charta", "action_field", "published_revision")
        .order_by("-published_at", "-id")[:limit]
    )
    reports = (
        StatusUpdate.objects.filter(
            measure__in=permissions.measures_visible_to(public).values("pk")
        )
        .select_related("measure__goal__action_field")
        .order_by("-created_at", "-id")[:limit]
    )
    events = [NewsEvent(updated=s.published_at, section=s) for s in sections]
    events += [NewsEvent(updated=r.created_at, report=r) for r in reports]
    events.sort(key=lambda event: event.updated, reverse=True)
    return events[:limit]
