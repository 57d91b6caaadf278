"""The goals-and-measures part of the API."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Organisation, User, WorkingGroup
from charta import permissions as charta_permissions
from charta.models import ActionField
from charta.selectors import FIELDS_TAG, field_tag
from core.caching import APICacheMixin

from . import permissions, selectors, services
from .filters import GoalFilter, MeasureFilter, MilestoneFilter
from .models import Goal, Measure, Milestone, StatusUpdate
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
    transition_keyword = ""  # e.g. "goal"

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
            actor=request.user, **{self.transition_keyword: obj}, **data.validated_data
        )
        fresh = self.get_queryset().get(pk=obj.pk)
        # The viewset's own serializer (the action's serializer_class is the step's input).
        answer = type(self).serializer_class(fresh, context=self.get_serializer_context())
        return Response(answer.data)


@extend_schema_view(
    transition=extend_schema(
        request=PublicationTransitionSerializer, responses={200: GoalSerializer}
    )
)
class GoalViewSet(PublicationTransitionMixin, APICacheMixin, viewsets.ModelViewSet):
    """Goals (Ziele). Filter with ``?action_field=<slug>``. Publish and withdraw with
    ``POST transition/``; ``state`` is read-only."""

    serializer_class = GoalSerializer
    filterset_class = GoalFilter
    list_cache_tags = (FIELDS_TAG,)
    transition_service = services.goal_transition
    transition_keyword = "goal"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def cache_tags(self, goal):
        return (field_tag(goal.action_field_id),)

    def get_queryset(self):
        goals = selectors.with_progress(
            permissions.goals_visible_to(self.request.user), self.request.user
        ).select_related("action_field", "owner")
        return goals.order_by("action_field__number", "id")

    def perform_create(self, serializer):
        serializer.instance = services.goal_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.goal_update(
            actor=self.request.user, goal=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.goal_delete(actor=self.request.user, goal=instance)

    def _refetched(self, serializer, code):
        goal = self.get_queryset().get(pk=serializer.instance.pk)
        return Response(self.get_serializer(goal).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return self._refetched(serializer, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        goal = self.get_object()
        if not permissions.can_manage(request.user, goal.action_field_id):
            raise PermissionDenied(_("Ziele dieses Handlungsfelds bearbeitet die Redaktion."))
        serializer = self.get_serializer(goal, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return self._refetched(serializer, status.HTTP_200_OK)


class StatusUpdateSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    status = serializers.ChoiceField(choices=ImplementationStatus.choices)
    progress = serializers.IntegerField(min_value=0, max_value=100)

    class Meta:
        model = StatusUpdate
        fields = ["id", "status", "progress", "note", "note_html", "author", "created_at"]
        read_only_fields = ["note_html", "created_at"]


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

    class Meta:
        model = Measure
        fields = [
            "id", "goal", "action_field", "title", "description", "owner", "partners",
            "working_group", "responsible", "start_date", "deadline", "priority", "status",
            "progress", "is_overdue", "is_at_risk", "is_report_due", "last_reported_at", "state",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "status", "progress", "last_reported_at", "state", "created_at", "updated_at",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "request" in self.context:
            self.fields["goal"].queryset = selectors.goals_manageable_by(self.user)

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
        .prefetch_related("responsible", "parties__organisation")
    )


@extend_schema_view(
    transition=extend_schema(
        request=PublicationTransitionSerializer, responses={200: MeasureSerializer}
    )
)
class MeasureViewSet(
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
    transition_service = services.measure_transition
    transition_keyword = "measure"
    filterset_class = MeasureFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def cache_tags(self, measure):
        return (field_tag(measure.goal.action_field_id),)

    def get_queryset(self):
        # In the order of creation: the primary key's index pages through any number of
        # measures without sorting them all first.
        return _measure_queryset(self.request.user).order_by("id")

    def _respond(self, measure, code):
        fresh = self.get_queryset().get(pk=measure.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        measure = services.measure_create(actor=request.user, **serializer.validated_data)
        return self._respond(measure, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        measure = self.get_object()
        if not permissions.can_manage(request.user, measure.goal.action_field_id):
            raise PermissionDenied(_("Maßnahmen dieses Handlungsfelds bearbeitet die Redaktion."))
        serializer = self.get_serializer(measure, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        measure = services.measure_update(
            actor=request.user, measure=measure, **serializer.validated_data
        )
        return self._respond(measure, status.HTTP_200_OK)

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
        if request.method == "POST":
            data = StatusUpdateSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            update = services.measure_report_status(
                actor=request.user, measure=measure, **data.validated_data
            )
            return Response(StatusUpdateSerializer(update).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(selectors.status_history(measure))
        return self.get_paginated_response(StatusUpdateSerializer(page, many=True).data)


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
