"""Filters and sort orders of measure lists, shared by the HTML pages and the API."""

import django_filters
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, WorkingGroup
from charta.models import ActionField

from . import selectors
from .models import Goal, Measure
from .workflow import ImplementationStatus

SORT_ORDERS = {
    "frist": (_("Frist"), [F("deadline").asc(nulls_last=True), "id"]),
    "fortschritt": (_("Fortschritt"), ["progress", "id"]),
    "titel": (_("Titel"), ["title", "id"]),
    "stand": (_("Umsetzungsstand"), ["status", "id"]),
    "ueberfaellig": (
        _("Überfällige zuerst"),
        ["-is_overdue", F("deadline").asc(nulls_last=True), "id"],
    ),
}
DEFAULT_SORT = "frist"


class MeasureFilter(django_filters.FilterSet):
    """Expects a queryset from selectors.measures_for (annotated with is_overdue)."""

    action_field = django_filters.ModelChoiceFilter(
        label=_("Handlungsfeld"),
        field_name="goal__action_field",
        to_field_name="slug",
        queryset=ActionField.objects.order_by("number"),
        empty_label=_("alle"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Umsetzungsstand"), choices=ImplementationStatus.choices, empty_label=_("alle")
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        to_field_name="slug",
        queryset=Organisation.objects.order_by("name"),
        empty_label=_("alle"),
    )
    working_group = django_filters.ModelChoiceFilter(
        label=_("Arbeitsgruppe"),
        to_field_name="slug",
        queryset=WorkingGroup.objects.order_by("name"),
        empty_label=_("alle"),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Nur überfällige"),
        field_name="is_overdue",
        widget=django_filters.widgets.BooleanWidget,
    )

    class Meta:
        model = Measure
        fields = ["action_field", "status", "owner", "working_group", "overdue"]


class GoalFilter(django_filters.FilterSet):
    action_field = django_filters.ModelChoiceFilter(
        label=_("Handlungsfeld"),
        to_field_name="slug",
        queryset=ActionField.objects.order_by("number"),
    )

    class Meta:
        model = Goal
        fields = ["action_field"]


def sort_measures(measures: QuerySet[Measure], key: str | None) -> QuerySet[Measure]:
    _label, order = SORT_ORDERS.get(key or DEFAULT_SORT, SORT_ORDERS[DEFAULT_SORT])
    return measures.order_by(*order)


def filtered_measures(request: HttpRequest, base=None):
    """The measure filter form and the filtered, sorted measures from the query string."""
    measures = base if base is not None else selectors.measures_for(request.user)
    measure_filter = MeasureFilter(request.GET or None, queryset=measures)
    sort = request.GET.get("sortierung") or "frist"
    qs = measure_filter.qs if measure_filter.is_bound else measures
    return measure_filter, sort_measures(qs, sort), sort
