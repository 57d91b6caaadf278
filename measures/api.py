"""The goals-and-measures part of the API."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Organisation, User, WorkingGroup
from charta import permissions as charta_permissions
from charta.models import ActionField
from charta.selectors import FIELDS_TAG, field_tag
from core.caching import APICacheMixin

from . import permissions, selectors, services, snapshots
from .filters import GoalFilter, IndicatorFilter, MeasureFilter, MilestoneFilter
from .models import (
    Goal,
    Indicator,
    IndicatorValue,
    Measure,
    Milestone,
    ReportingPeriod,
    StatusUpdate,
)
from .workflow import (
    WITHDRAW_REASON_MAX_LENGTH,
    ImplementationStatus,
    PublicationAction,
    PublicationState,
)


class UserContextMixin:
    @property
    def user(self):
        return self.context["request"].user


class PublicationStateMixin:
    """``state`` is read-only: publication is a workflow step (``transition/``), not a field.

    DRF drops read-only input silently; a client that asks for a different state is told where
    to go instead of getting a 200 that did not do what it asked.
    """

    def validate(self, data):
        data = super().validate(data)
        if "state" in self.initial_data:
            current = self.instance.state if self.instance is not None else PublicationState.DRAFT
            if self.initial_data.get("state") != current:
                raise serializers.ValidationError(
                    {
                        "state": _(
                            "„state“ lässt sich nicht setzen. Veröffentlichen und Zurückziehen "
                            'sind Arbeitsschritte: POST %(url)s mit {"action": "publish"} '
                            'oder {"action": "withdraw", "reason": "…"}.'
                        )
                        % {"url": self.transition_url()}
                    }
                )
        return data

    def transition_url(self) -> str:
        base = self.context["request"].path if "request" in self.context else ""
        if self.instance is not None:
            return base.rstrip("/") + "/transition/"
        return base.rstrip("/") + "/{id}/transition/"


class PublicationTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=PublicationAction.choices)
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=WITHDRAW_REASON_MAX_LENGTH,
        default="",
        help_text="Why it leaves the public site (required for withdraw; kept in the audit log).",
    )


class GoalSerializer(PublicationStateMixin, UserContextMixin, serializers.ModelSerializer):
    action_field = serializers.SlugRelatedField(slug_field="slug", queryset=ActionField.objects)
    owner = serializers.SlugRelatedField(slug_field="slug", queryset=Organisation.objects)
    progress = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = Goal
        fields = [
            "id", "action_field", "title", "description", "indicator", "owner", "target_date",
            "source_paragraph", "state", "progress", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["state", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "request" in self.context:
            # Writable related fields offer only what the requester may write to.
            self.fields["action_field"].queryset = charta_permissions.fields_with_perm(
                self.user, charta_permissions.MANAGE_MEASURES
            )

    def validate(self, data):
        data = super().validate(data)
        if self.instance is not None and "action_field" in data:
            if data["action_field"] != self.instance.action_field:
                raise serializers.ValidationError(
                    {"action_field": _("Ein Ziel wechselt nicht das Handlungsfeld.")}
                )
            data.pop("action_field")
        return data


class PublicationTransitionMixin:
    """``POST …/{id}/transition/``: publish (``{"action": "publish"}``) or withdraw
    (``{"action": "withdraw", "reason": …}``) a goal or measure; coordinators only. The viewset
    names the service that takes the step and the keyword it takes the object by."""

    transition_service = None  # e.g. services.goal_transition
    service_keyword = ""  # e.g. "goal"

    @action(
        detail=True,
        methods=["post"],
        serializer_class=PublicationTransitionSerializer,
        filterset_class=None,
    )
    def transition(self, request, pk=None):
        obj = self.get_object()
        data = PublicationTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        type(self).transition_service(
            actor=request.user, **{self.service_keyword: obj}, **data.validated_data
        )
        fresh = self.get_queryset().get(pk=obj.pk)
        # The viewset's own serializer (the action's serializer_class is the step's input).
        answer = type(self).serializer_class(fresh, context=self.get_serializer_context())
        return Response(answer.data)


def append_only_history(view, request, serializer_class, *, rows, append) -> Response:
    """An append-only history below an object (status reports, indicator values): GET pages
    through ``rows()``, POST appends one row through ``append(**validated data)`` (201)."""
    if request.method == "POST":
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        row = append(**data.validated_data)
        return Response(serializer_class(row).data, status=status.HTTP_201_CREATED)
    page = view.paginate_queryset(rows())
    return view.get_paginated_response(serializer_class(page, many=True).data)


class ServiceWritesMixin:
    """Create (POST) and change (PATCH) through the domain's services, answered with the object
    read again the way the list reads it (with its computed fields). Only the editors of the
    object's Handlungsfeld change it; the viewset names the services, the keyword they take
    the object by (``service_keyword``, shared with the transition step), where the object's
    field is (``action_field_id``) and what others are told (``edit_refusal``)."""

    create_service = None  # e.g. services.goal_create
    update_service = None  # e.g. services.goal_update
    edit_refusal = ""

    def action_field_id(self, obj) -> int:
        raise NotImplementedError

    def cache_tags(self, obj):
        return (field_tag(self.action_field_id(obj)),)

    def _respond(self, obj, code):
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = type(self).create_service(actor=request.user, **serializer.validated_data)
        return self._respond(obj, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        obj = self.get_object()
        if not permissions.can_manage(request.user, self.action_field_id(obj)):
            raise PermissionDenied(str(self.edit_refusal))
        serializer = self.get_serializer(obj, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        obj = type(self).update_service(
            actor=request.user, **{self.service_keyword: obj}, **serializer.validated_data
        )
        return self._respond(obj, status.HTTP_200_OK)


@extend_schema_view(
    transition=extend_schema(
        request=PublicationTransitionSerializer, responses={200: GoalSerializer}
    )
)
class GoalViewSet(
    ServiceWritesMixin, PublicationTransitionMixin, APICacheMixin, viewsets.ModelViewSet
):
    """Goals (Ziele). Filter with ``?action_field=<slug>``. Publish and withdraw with
    ``POST transition/``; ``state`` is read-only."""

    serializer_class = GoalSerializer
    filterset_class = GoalFilter
    list_cache_tags = (FIELDS_TAG,)
    create_service = services.goal_create
    update_service = services.goal_update
    transition_service = services.goal_transition
    service_keyword = "goal"
    edit_refusal = gettext_lazy("Ziele dieses Handlungsfelds bearbeitet die Redaktion.")
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def action_field_id(self, goal) -> int:
        return goal.action_field_id

    def get_queryset(self):
        goals = selectors.with_progress(
            permissions.goals_visible_to(self.request.user), self.request.user
        ).select_related("action_field", "owner")
        return goals.order_by("action_field__number", "id")

    def perform_destroy(self, instance):
        services.goal_delete(actor=self.request.user, goal=instance)


class StatusUpdateSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    acknowledged_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    status = serializers.ChoiceField(choices=ImplementationStatus.choices)
    progress = serializers.IntegerField(min_value=0, max_value=100)

    class Meta:
        model = StatusUpdate
        fields = [
            "id", "measure", "status", "progress", "note", "note_html", "author", "created_at",
            "acknowledged_by", "acknowledged_at",
        ]  # fmt: skip
        read_only_fields = ["measure", "note_html", "created_at", "acknowledged_at"]


class MeasureSerializer(PublicationStateMixin, UserContextMixin, serializers.ModelSerializer):
    goal = serializers.PrimaryKeyRelatedField(queryset=Goal.objects)
    action_field = serializers.SlugRelatedField(
        source="goal.action_field", slug_field="slug", read_only=True
    )
    owner = serializers.SlugRelatedField(slug_field="slug", queryset=Organisation.objects)
    partners = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects, many=True, required=False
    )
    working_group = serializers.SlugRelatedField(
        slug_field="slug", queryset=WorkingGroup.objects, allow_null=True, required=False
    )
    responsible = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        many=True,
        required=False,
    )
    is_overdue = serializers.BooleanField(read_only=True)
    is_at_risk = serializers.BooleanField(read_only=True)
    is_report_due = serializers.BooleanField(read_only=True)
    depends_on = serializers.PrimaryKeyRelatedField(
        queryset=Measure.objects, many=True, required=False,
        help_text="Ids of the measures this one waits for; a cycle is refused (400).",
    )  # fmt: skip
    is_held_up = serializers.BooleanField(read_only=True)

    class Meta:
        model = Measure
        fields = [
            "id", "goal", "action_field", "title", "description", "owner", "partners",
            "working_group", "responsible", "start_date", "deadline", "priority", "status",
            "progress", "is_overdue", "is_at_risk", "is_held_up", "is_report_due",
            "last_reported_at", "state", "depends_on", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "status", "progress", "last_reported_at", "state", "created_at", "updated_at",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "request" in self.context:
            self.fields["goal"].queryset = selectors.goals_manageable_by(self.user)
            # A measure waits only for measures the requester may see.
            self.fields["depends_on"].child_relation.queryset = permissions.measures_visible_to(
                self.user
            )

    def to_representation(self, measure):
        data = super().to_representation(measure)
        data["partners"] = [
            p.organisation.slug for p in measure.parties.all() if p.role == "partner"
        ]
        return data


def _measure_queryset(user):
    return (
        selectors.measures_for(user)
        .select_related("goal__action_field", "owner", "working_group")
        .prefetch_related(
            "responsible",
            "parties__organisation",
            # Only predecessors the reader may see: a draft's id is nobody else's business.
            Prefetch(
                "depends_on",
                queryset=permissions.measures_visible_to(user).only("id").order_by("id"),
            ),
        )
    )


@extend_schema_view(
    transition=extend_schema(
        request=PublicationTransitionSerializer, responses={200: MeasureSerializer}
    )
)
class MeasureViewSet(
    ServiceWritesMixin,
    PublicationTransitionMixin,
    APICacheMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Measures (Maßnahmen). Status and progress change only through status updates; publish
    and withdraw with ``POST transition/`` (``state`` is read-only)."""

    serializer_class = MeasureSerializer
    list_cache_tags = (FIELDS_TAG,)
    create_service = services.measure_create
    update_service = services.measure_update
    transition_service = services.measure_transition
    service_keyword = "measure"
    edit_refusal = gettext_lazy("Maßnahmen dieses Handlungsfelds bearbeitet die Redaktion.")
    filterset_class = MeasureFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def action_field_id(self, measure) -> int:
        return measure.goal.action_field_id

    def get_queryset(self):
        # In the order of creation: the primary key's index pages through any number of
        # measures without sorting them all first.
        return _measure_queryset(self.request.user).order_by("id")

    @extend_schema(
        methods=["get"], responses={200: StatusUpdateSerializer(many=True)}, filters=False
    )
    @extend_schema(
        methods=["post"], request=StatusUpdateSerializer, responses={201: StatusUpdateSerializer}
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="status-updates",
        serializer_class=StatusUpdateSerializer,
        filterset_class=None,
    )
    def status_updates(self, request, pk=None):
        measure = self.get_object()
        return append_only_history(
            self,
            request,
            StatusUpdateSerializer,
            rows=lambda: selectors.status_history(measure),
            append=lambda **data: services.measure_report_status(
                actor=request.user, measure=measure, **data
            ),
        )


class MilestoneSerializer(serializers.ModelSerializer):
    done_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    done = serializers.BooleanField(required=False, help_text="true marks it done, false reopens")

    class Meta:
        model = Milestone
        fields = ["id", "measure", "title", "due_date", "done", "done_at", "done_by"]
        read_only_fields = ["measure", "done_at", "done_by"]

    def to_representation(self, milestone):
        data = super().to_representation(milestone)
        data["done"] = milestone.is_done
        return data


class MilestoneViewSet(
    APICacheMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Milestones of measures. POST ``{"measure": id, "title", "due_date"}`` (editors of the
    field); PATCH ``{"done": true}`` marks one done (the measure's reporters and editors).
    Filter with ``?measure=<id>``."""

    serializer_class = MilestoneSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = MilestoneFilter
    list_cache_tags = (FIELDS_TAG,)

    def cache_tags(self, milestone):
        return (field_tag(milestone.measure.goal.action_field_id),)

    def get_queryset(self):
        return (
            Milestone.objects.filter(
                measure__in=permissions.measures_visible_to(self.request.user).values("pk")
            )
            .select_related("done_by", "measure__goal")
            .order_by("due_date", "id")
        )

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if self.action == "create":
            # Milestones attach only to measures the requester may manage.
            serializer.fields["measure"] = serializers.PrimaryKeyRelatedField(
                queryset=Measure.objects.filter(
                    goal__in=selectors.goals_manageable_by(self.request.user).values("pk")
                )
            )
        return serializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        milestone = services.milestone_add(
            actor=request.user,
            measure=data["measure"],
            title=data["title"],
            due_date=data["due_date"],
        )
        return Response(MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        milestone = self.get_object()
        serializer = self.get_serializer(milestone, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if set(serializer.validated_data) - {"done"}:
            raise serializers.ValidationError(
                {"done": [_("Nur „done“ lässt sich ändern; Titel und Datum ändert die Redaktion.")]}
            )
        if "done" in serializer.validated_data:
            milestone = services.milestone_set_done(
                actor=request.user, milestone=milestone, done=serializer.validated_data["done"]
            )
        return Response(MilestoneSerializer(milestone).data)


# Indicators ----------------------------------------------------------------------------------


class DecimalNumberField(serializers.DecimalField):
    """A decimal that goes out as a JSON number (an integer when whole), not as a string."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 3)
        super().__init__(**kwargs)

    def to_representation(self, value):
        from .indicators import number

        return number(value)


class IndicatorSerializer(UserContextMixin, serializers.ModelSerializer):
    goal = serializers.PrimaryKeyRelatedField(queryset=Goal.objects)
    baseline_value = DecimalNumberField()
    target_value = DecimalNumberField()
    latest_value = DecimalNumberField(source="reading.latest_value", read_only=True)
    latest_date = serializers.DateField(source="reading.latest_date", read_only=True)
    expected_value = DecimalNumberField(source="reading.expected_value", read_only=True)
    status = serializers.CharField(source="reading.status", read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id", "goal", "title", "unit", "direction", "baseline_value", "baseline_date",
            "target_value", "target_date", "latest_value", "latest_date", "expected_value",
            "status", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "request" in self.context:
            # Indicators attach only to goals the requester manages.
            self.fields["goal"].queryset = selectors.goals_manageable_by(self.user)

    def validate(self, data):
        data = super().validate(data)
        if self.instance is not None and "goal" in data:
            if data["goal"] != self.instance.goal:
                raise serializers.ValidationError(
                    {"goal": _("Ein Indikator wechselt nicht das Ziel.")}
                )
            data.pop("goal")
        return data


class IndicatorValueSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    value = DecimalNumberField()

    class Meta:
        model = IndicatorValue
        fields = ["id", "date", "value", "note", "author", "created_at"]
        read_only_fields = ["created_at"]


@extend_schema_view(
    values=extend_schema(responses={200: IndicatorValueSerializer(many=True)}),
)
class IndicatorViewSet(
    ServiceWritesMixin,
    APICacheMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Indicators of goals, with baseline, target and the computed latest value, expected
    value and status. Filter with ``?goal=<id>``. Editors of the goal's field and
    coordinators create and change them; values are appended with ``POST values/``."""

    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    list_cache_tags = (FIELDS_TAG,)
    http_method_names = ["get", "post", "patch", "head", "options"]
    create_service = services.indicator_create
    update_service = services.indicator_update
    service_keyword = "indicator"
    edit_refusal = gettext_lazy("Indikatoren dieses Handlungsfelds bearbeitet die Redaktion.")

    def action_field_id(self, indicator) -> int:
        return indicator.goal.action_field_id

    def get_queryset(self):
        return selectors.indicators_for(self.request.user).order_by("id")

    @extend_schema(
        methods=["get"], responses={200: IndicatorValueSerializer(many=True)}, filters=False
    )
    @extend_schema(
        methods=["post"],
        request=IndicatorValueSerializer,
        responses={201: IndicatorValueSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=IndicatorValueSerializer,
        filterset_class=None,
    )
    def values(self, request, pk=None):
        indicator = self.get_object()
        return append_only_history(
            self,
            request,
            IndicatorValueSerializer,
            rows=lambda: list(indicator.values.all()),
            append=lambda **data: services.indicator_record_value(
                actor=request.user, indicator=indicator, **data
            ),
        )


# Acknowledgement -----------------------------------------------------------------------------


class StatusUpdateViewSet(APICacheMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One status report; ``POST acknowledge/`` acknowledges it (the editors of the goal's
    field or a coordinator, never its author)."""

    serializer_class = StatusUpdateSerializer
    http_method_names = ["get", "post", "head", "options"]

    def cache_tags(self, update):
        return (field_tag(update.measure.goal.action_field_id),)

    def get_queryset(self):
        return (
            StatusUpdate.objects.filter(
                measure__in=permissions.measures_visible_to(self.request.user).values("pk")
            )
            .select_related("author", "acknowledged_by", "measure__goal")
            .order_by("id")
        )

    @extend_schema(request=None, responses={200: StatusUpdateSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        update = self.get_object()
        services.status_update_acknowledge(actor=request.user, update=update)
        return Response(StatusUpdateSerializer(self.get_queryset().get(pk=update.pk)).data)


# Reporting periods ---------------------------------------------------------------------------


class PeriodSerializer(serializers.ModelSerializer):
    snapshot_sha256 = serializers.SerializerMethodField()
    snapshots = serializers.SerializerMethodField()
    closed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ReportingPeriod
        fields = [
            "id", "title", "start", "end", "state", "closed_at", "closed_by", "snapshot_sha256",
            "snapshots",
        ]  # fmt: skip
        read_only_fields = ["state", "closed_at"]

    def get_snapshot_sha256(self, period) -> str | None:
        current = snapshots.current(period)
        return current.sha256 if current else None

    def get_snapshots(self, period) -> list[dict]:
        """Every snapshot ever frozen for the period (reopening keeps them)."""
        return [
            {"version": s.number, "sha256": s.sha256, "created_at": s.created_at}
            for s in sorted(period.snapshots.all(), key=lambda s: s.number)
        ]

    def validate(self, data):
        data = super().validate(data)
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise serializers.ValidationError({"end": _("Das Ende liegt vor dem Beginn.")})
        return data


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=services.PERIOD_REASON_MAX_LENGTH)


class ReportingPeriodViewSet(
    APICacheMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Reporting periods (public). Coordinators create them, ``POST close/`` freezes the
    snapshot, ``POST reopen/`` with ``{"reason"}`` opens a closed one again;
    ``GET snapshot/`` returns the frozen JSON byte for byte (``?version=N`` an older one)."""

    serializer_class = PeriodSerializer
    list_cache_tags = (selectors.PERIODS_TAG,)
    http_method_names = ["get", "post", "head", "options"]
    filterset_class = None

    def cache_tags(self, period):
        return (selectors.PERIODS_TAG,)

    def get_queryset(self):
        return selectors.periods()

    def create(self, request, *args, **kwargs):
        if not permissions.can_manage_periods(request.user):
            raise PermissionDenied(_("Berichtszeiträume verwaltet die Koordination."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        period = services.period_create(actor=request.user, **serializer.validated_data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=period.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={200: PeriodSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        period = self.get_object()
        services.period_close(actor=request.user, period=period)
        return Response(self.get_serializer(self.get_queryset().get(pk=period.pk)).data)

    @extend_schema(request=ReopenSerializer, responses={200: PeriodSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        period = self.get_object()
        if not permissions.can_manage_periods(request.user):
            raise PermissionDenied(_("Berichtszeiträume verwaltet die Koordination."))
        data = ReopenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.period_reopen(actor=request.user, period=period, **data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=period.pk)).data)

    @extend_schema(
        parameters=[OpenApiParameter("version", int, description="an older snapshot")],
        responses={(200, "application/json"): OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"])
    def snapshot(self, request, pk=None):
        period = self.get_object()
        version = request.query_params.get("version")
        if version is not None:
            if not version.isdigit():
                raise serializers.ValidationError(
                    {"version": [_("„version“ ist die Nummer einer Fassung, z. B. 1.")]}
                )
            found = [s for s in period.snapshots.all() if s.number == int(version)]
            snapshot = found[0] if found else None
        else:
            snapshot = snapshots.current(period)
        if snapshot is None:
            raise Http404(_("Für diesen Zeitraum gibt es (noch) keinen eingefrorenen Stand."))
        response = HttpResponse(bytes(snapshot.content), content_type="application/json")
        response["Digest"] = f"sha-256={snapshot.sha256}"
        response["X-Snapshot-SHA256"] = snapshot.sha256
        return response
