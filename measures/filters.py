"""Filters and sort orders of the goal, measure and milestone lists, shared by the HTML pages
and the API.

A value a filter cannot parse is an error naming the parameter, never silently ignored: the
API answers 400 with ``{"errors": {"overdue": […]}}`` (DjangoFilterBackend raises the
FilterSet's errors), the pages show the list page with the error and status 400.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, WorkingGroup
from charta.models import ActionField

from . import selectors
from .models import Goal, Indicator, Measure, Milestone
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

TRUE_VALUES = frozenset({"true", "1"})
FALSE_VALUES = frozenset({"false", "0"})


class StrictBooleanWidget(django_filters.widgets.BooleanWidget):
    """Passes what was sent on to the field, where django-filter's BooleanWidget turns any
    value it does not know into "no filter"."""

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class StrictBooleanField(forms.NullBooleanField):
    """true/false (or 1/0); empty means "no filter"; anything else is an error."""

    widget = StrictBooleanWidget

    def to_python(self, value):
        if value is None or isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if not text:
            return None
        if text in TRUE_VALUES:
            return True
        if text in FALSE_VALUES:
            return False
        raise ValidationError(
            _("„%(value)s“ ist kein gültiger Wert. Erlaubt sind true und false."),
            code="invalid",
            params={"value": str(value)[:50]},
        )

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class SortFilter(django_filters.ChoiceFilter):
    """``?sortierung=``: orders the list by one of SORT_ORDERS (the default when empty)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [(key, label) for key, (label, _order) in SORT_ORDERS.items()])
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        _label, order = SORT_ORDERS[value or DEFAULT_SORT]
        return qs.order_by(*order)


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
    overdue = StrictBooleanFilter(label=_("Nur überfällige"), field_name="is_overdue")

    class Meta:
        model = Measure
        fields = ["action_field", "status", "owner", "working_group", "overdue"]


class MeasurePageFilter(MeasureFilter):
    """The measure lists of the pages: the API's filters and a sort order."""

    sortierung = SortFilter(label=_("Sortierung"), empty_label=None)

    class Meta(MeasureFilter.Meta):
        fields = [*MeasureFilter.Meta.fields, "sortierung"]

    @property
    def sort(self) -> str:
        """The sort order in effect (valid once the filter is)."""
        return self.form.cleaned_data.get("sortierung") or DEFAULT_SORT


class GoalFilter(django_filters.FilterSet):
    action_field = django_filters.ModelChoiceFilter(
        label=_("Handlungsfeld"),
        to_field_name="slug",
        queryset=ActionField.objects.order_by("number"),
    )

    class Meta:
        model = Goal
        fields = ["action_field"]


class IdFilter(django_filters.NumberFilter):
    """A row's number: a whole number, not the decimal that NumberFilter would accept."""

    field_class = forms.IntegerField


class MilestoneFilter(django_filters.FilterSet):
    """By the measure's number. A number is all that is checked: a measure that does not
    exist and one the requester may not see both give an empty list, so the filter tells
    nobody which measures exist."""

    measure = IdFilter(
        label=_("Maßnahme"), field_name="measure_id", min_value=1, max_value=2**63 - 1
    )

    class Meta:
        model = Milestone
        fields = ["measure"]


class IndicatorFilter(django_filters.FilterSet):
    """By the goal's number (as MilestoneFilter: an unknown and an invisible goal both give an
    empty list)."""

    goal = IdFilter(label=_("Ziel"), field_name="goal_id", min_value=1, max_value=2**63 - 1)

    class Meta:
        model = Indicator
        fields = ["goal"]


# The list pages ---------------------------------------------------------------------------


def filtered_measures(request: HttpRequest, base=None):
    """The measure filter and the filtered, sorted measures from the query string.

    A value that a filter cannot parse gives no measures: the page shows the filter's errors
    (and answers 400, see list_status) instead of a list that ignored what was asked.
    """
    measures = base if base is not None else selectors.measures_for(request.user)
    measure_filter = MeasurePageFilter(request.GET, queryset=measures)
    if not measure_filter.is_valid():
        return measure_filter, measures.none()
    return measure_filter, measure_filter.qs


def list_status(measure_filter) -> int:
    return 400 if measure_filter.errors else 200


def sort_context(measure_filter) -> dict:
    return {
        "sort": measure_filter.sort if not measure_filter.errors else "",
        "sort_orders": [(key, label) for key, (label, _order) in SORT_ORDERS.items()],
    }
