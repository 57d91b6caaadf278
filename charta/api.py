"""The charta part of the API: Handlungsfelder, sections, revisions and the review workflow."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.caching import GLOBAL, APICacheMixin

from . import diffing, permissions, selectors, services
from .forms import CompareForm
from .models import (
    REVISION_NUMBER_MAX,
    SECTION_BODY_MAX_LENGTH,
    SUGGESTION_QUOTE_MAX_LENGTH,
    SUGGESTION_REASON_MAX_LENGTH,
    SUGGESTION_REPLACEMENT_MAX_LENGTH,
    TRANSITION_NOTE_MAX_LENGTH,
    ActionField,
    Revision,
    Section,
    Suggestion,
)
from .workflow import Action, SectionStatus


class ActionFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionField
        fields = ["id", "slug", "number", "title", "summary", "reporting_interval_days"]


class ActionFieldViewSet(APICacheMixin, viewsets.ReadOnlyModelViewSet):
    """The five Handlungsfelder of the charta, in order. Public."""

    list_cache_tags = (GLOBAL,)

    def cache_tags(self, obj):
        return (GLOBAL,)

    serializer_class = ActionFieldSerializer
    queryset = ActionField.objects.order_by("number")
    lookup_field = "slug"


class SectionSerializer(serializers.ModelSerializer):
    """A section as the requester may see it: drafts only for those who may read them."""

    charta = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    action_field = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    status = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    body_html = serializers.SerializerMethodField()
    current_revision = serializers.SerializerMethodField()
    published_revision = serializers.SerializerMethodField()

    class Meta:
        model = Section
        fields = [
            "id", "charta", "action_field", "title", "status", "body", "body_html",
            "current_revision", "published_revision", "published_at", "updated_at",
        ]  # fmt: skip

    def _drafts(self, section: Section) -> bool:
        return permissions.can_read_drafts(self.context["request"].user, section.action_field_id)

    def _revision(self, section: Section) -> Revision | None:
        return section.current_revision if self._drafts(section) else section.published_revision

    @extend_schema_field(serializers.ChoiceField(choices=SectionStatus.choices))
    def get_status(self, section: Section) -> str:
        # Outsiders learn nothing of drafts, not even that one exists.
        return section.status if self._drafts(section) else SectionStatus.PUBLISHED

    def get_body(self, section: Section) -> str:
        revision = self._revision(section)
        return revision.body if revision else ""

    def get_body_html(self, section: Section) -> str:
        revision = self._revision(section)
        return revision.body_html if revision else ""

    @extend_schema_field(OpenApiTypes.INT)
    def get_current_revision(self, section: Section) -> int | None:
        revision = self._revision(section)
        return revision.number if revision else None

    @extend_schema_field(OpenApiTypes.INT)
    def get_published_revision(self, section: Section) -> int | None:
        return section.published_revision.number if section.published_revision else None


class SectionWriteSerializer(serializers.Serializer):
    body = serializers.CharField(trim_whitespace=False, max_length=SECTION_BODY_MAX_LENGTH)
    base_revision = serializers.IntegerField(
        allow_null=True, min_value=1, max_value=REVISION_NUMBER_MAX
    )
    message = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    origin_revision = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=0,
        max_value=REVISION_NUMBER_MAX,
        help_text=(
            "When `body` settles a conflict and is based on the latest revision: the revision "
            "you first started from (0: the section had no text), so that colleagues' "
            "additions the text removes are found."
        ),
    )
    confirm_removals = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Save although the text removes passages colleagues added since your base.",
    )


class SectionSavedSerializer(SectionSerializer):
    """The section after a save, and whether the text was merged with newer revisions."""

    merged = serializers.SerializerMethodField()
    merged_with = serializers.SerializerMethodField()

    class Meta(SectionSerializer.Meta):
        fields = [*SectionSerializer.Meta.fields, "merged", "merged_with"]

    def get_merged(self, section: Section) -> bool:
        return self.context["revision"].merged

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_merged_with(self, section: Section) -> list[int]:
        return self.context["revision"].merged_with


class RevisionSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    merged_with = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = Revision
        fields = [
            "number", "body", "author", "message", "created_at",
            "base_revision", "merged", "merged_with",
        ]  # fmt: skip


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=Action.choices)
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=TRANSITION_NOTE_MAX_LENGTH, default=""
    )
    base_revision = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=REVISION_NUMBER_MAX
    )
    override = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Approve although comments are open (needs a note).",
    )


class ChunkSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["equal", "insert", "delete"])
    text = serializers.CharField()


class DiffSerializer(serializers.Serializer):
    from_revision = serializers.IntegerField(source="old")
    to_revision = serializers.IntegerField(source="new")
    added_words = serializers.IntegerField()
    removed_words = serializers.IntegerField()
    changes = ChunkSerializer(many=True)
    unified = serializers.CharField()


class SuggestionSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    revision = serializers.SerializerMethodField(
        help_text="The number of the revision an accepted suggestion produced."
    )

    class Meta:
        model = Suggestion
        fields = [
            "id", "section", "base_revision", "checked_revision", "paragraph", "quote", "prefix",
            "suffix", "replacement", "reason", "author", "created_at", "state", "revision",
            "decided_by", "decided_at", "decision_reason",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.INT)
    def get_revision(self, suggestion: Suggestion) -> int | None:
        return suggestion.revision.number if suggestion.revision_id else None


class SuggestionWriteSerializer(serializers.Serializer):
    base_revision = serializers.IntegerField(min_value=1, max_value=REVISION_NUMBER_MAX)
    quote = serializers.CharField(
        allow_blank=True, max_length=SUGGESTION_QUOTE_MAX_LENGTH, trim_whitespace=False
    )
    prefix = serializers.CharField(
        required=False, allow_blank=True, max_length=200, default="", trim_whitespace=False
    )
    suffix = serializers.CharField(
        required=False, allow_blank=True, max_length=200, default="", trim_whitespace=False
    )
    replacement = serializers.CharField(
        allow_blank=True, max_length=SUGGESTION_REPLACEMENT_MAX_LENGTH, trim_whitespace=False
    )
    reason = serializers.CharField(allow_blank=True, max_length=SUGGESTION_REASON_MAX_LENGTH)


class SuggestionIdsSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=REVISION_NUMBER_MAX),
        allow_empty=False,
        max_length=200,
    )


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=SUGGESTION_REASON_MAX_LENGTH)


def _section_queryset(user):
    return (
        permissions.sections_visible_to(user)
        .select_related(
            "charta", "action_field", "current_revision", "published_revision", "submitted_by"
        )
        .order_by("charta_id", "action_field__number")
    )


class SectionViewSet(
    APICacheMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Sections of the charta. PATCH saves a new revision based on ``base_revision``."""

    list_cache_tags = (selectors.FIELDS_TAG,)

    def cache_tags(self, section):
        return (selectors.field_tag(section.action_field_id),)

    serializer_class = SectionSerializer
    http_method_names = ["get", "put", "patch", "post", "head", "options"]

    def get_queryset(self):
        return _section_queryset(self.request.user)

    @extend_schema(
        request=SectionWriteSerializer,
        responses={200: SectionSavedSerializer, 409: OpenApiTypes.OBJECT},
        description=(
            "Save a new revision of the text written on `base_revision`. When newer revisions "
            "landed meanwhile, the text is merged three-way with the latest; the answer says "
            "`merged` and lists `merged_with`. Overlapping changes answer 409 with "
            "`base_revision`, `latest_revision` and `conflicts` (`base`, `theirs`, `mine` per "
            "chunk); a text that would remove what colleagues added since your base answers "
            "409 with `removed` unless `confirm_removals` is true. Nothing is written on a 409."
        ),
    )
    def partial_update(self, request, pk=None):
        section = self.get_object()
        data = SectionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        revision = services.section_save_draft(
            actor=request.user, section=section, **data.validated_data
        )
        section = _section_queryset(request.user).get(pk=section.pk)
        context = {**self.get_serializer_context(), "revision": revision}
        return Response(SectionSavedSerializer(section, context=context).data)

    @extend_schema(
        request=SectionWriteSerializer,
        responses={200: SectionSavedSerializer, 409: OpenApiTypes.OBJECT},
        description="The same as PATCH: the text is the whole of the section's text.",
    )
    def update(self, request, pk=None):
        return self.partial_update(request, pk=pk)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "compare",
                str,
                description="Two revision numbers `A,B`: returns the diff from A to B.",
            )
        ],
        responses={200: RevisionSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], serializer_class=RevisionSerializer)
    def revisions(self, request, pk=None):
        section = self.get_object()
        revisions = selectors.revisions_for(request.user, section)
        compare = request.query_params.get("compare")
        if compare:
            return Response(self._diff(revisions, compare))
        page = self.paginate_queryset(revisions)
        return self.get_paginated_response(RevisionSerializer(page, many=True).data)

    def _diff(self, revisions, compare: str) -> dict:
        # The numbers are checked as the diff page checks them: whole numbers a revision
        # can have (a larger one would reach a query the database cannot run).
        parts = compare.split(",")
        form = CompareForm(dict(zip(("von", "zu"), parts, strict=False)))
        if len(parts) != 2 or not form.is_valid():
            reasons = [message for errors in form.errors.values() for message in errors]
            raise ValidationError(
                {
                    "compare": [
                        _("Bitte zwei Revisionsnummern angeben, z. B. compare=1,3."),
                        *(reasons if len(parts) == 2 else []),
                    ]
                }
            )
        old_number, new_number = form.cleaned_data["von"], form.cleaned_data["zu"]
        found = {r.number: r for r in revisions.filter(number__in=[old_number, new_number])}
        if old_number not in found or new_number not in found:
            raise Http404
        old, new = found[old_number], found[new_number]
        counts = diffing.stats(old.body, new.body)
        return DiffSerializer(
            {
                "old": old.number,
                "new": new.number,
                "added_words": counts["added"],
                "removed_words": counts["removed"],
                "changes": diffing.word_diff(old.body, new.body),
                "unified": diffing.unified(
                    old.body,
                    new.body,
                    old_label=f"revision {old.number}",
                    new_label=f"revision {new.number}",
                ),
            }
        ).data

    @extend_schema(
        methods=["GET"],
        parameters=[
            OpenApiParameter(
                "state", str, description="`open`, `accepted`, `rejected` or `outdated`"
            )
        ],
        responses={200: SuggestionSerializer(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        request=SuggestionWriteSerializer,
        responses={201: SuggestionSerializer, 409: OpenApiTypes.OBJECT},
        description="Suggest replacing `quote` (as read in `base_revision`) with "
        "`replacement`; empty replacement deletes, empty quote between `prefix` and `suffix` "
        "inserts. 409 when the quote changed since the base revision.",
    )
    @action(detail=True, methods=["get", "post"], serializer_class=SuggestionSerializer)
    def suggestions(self, request, pk=None):
        section = self.get_object()
        if request.method == "POST":
            data = SuggestionWriteSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            suggestion = services.suggestion_create(
                actor=request.user, section=section, **data.validated_data
            )
            return Response(SuggestionSerializer(suggestion).data, status=201)
        state = request.query_params.get("state")
        if state is not None and state not in Suggestion.State.values:
            raise ValidationError(
                {
                    "state": [
                        _("Unbekannter Status „%(state)s“. Erlaubt: %(allowed)s.")
                        % {"state": state[:40], "allowed": ", ".join(Suggestion.State.values)}
                    ]
                }
            )
        suggestions = selectors.suggestions_on(
            request.user, section, states=[state] if state else None
        )
        page = self.paginate_queryset(suggestions)
        return self.get_paginated_response(SuggestionSerializer(page, many=True).data)

    @extend_schema(
        request=SuggestionIdsSerializer,
        responses={200: RevisionSerializer, 409: OpenApiTypes.OBJECT},
        description="Accept several suggestions at once, all or nothing: one new revision "
        "carries them. 409 names outdated (`outdated`) and overlapping (`overlapping`) ones.",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="suggestions/accept",
        serializer_class=SuggestionIdsSerializer,
    )
    def accept_suggestions(self, request, pk=None):
        section = self.get_object()
        data = SuggestionIdsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        revision = services.suggestions_accept(
            actor=request.user, section=section, ids=data.validated_data["ids"]
        )
        return Response(RevisionSerializer(revision).data)

    @extend_schema(request=TransitionSerializer, responses={200: SectionSerializer})
    @action(detail=True, methods=["post"], serializer_class=TransitionSerializer)
    def transition(self, request, pk=None):
        section = self.get_object()
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.section_transition(actor=request.user, section=section, **data.validated_data)
        section = _section_queryset(request.user).get(pk=section.pk)
        return Response(SectionSerializer(section, context=self.get_serializer_context()).data)


class PresentEditorSerializer(serializers.Serializer):
    user = serializers.CharField(source="user.username")
    name = serializers.CharField(source="user.display_name")
    since = serializers.DateTimeField()


class PresenceSerializer(serializers.Serializer):
    editors = PresentEditorSerializer(many=True)
    latest_revision = serializers.IntegerField(allow_null=True)


class SectionPresenceView(APIView):
    """Who else has the section open in the editor (within the last 60 seconds).

    GET reads it; POST is the heartbeat of an open editor and answers the same. Only for
    those who may edit the section; never cached (it changes with every heartbeat)."""

    permission_classes = [IsAuthenticated]
    serializer_class = PresenceSerializer

    def _section(self, request, pk: int) -> Section:
        try:
            section = _section_queryset(request.user).get(pk=pk)
        except Section.DoesNotExist:
            raise Http404 from None
        if not permissions.can_edit_section(request.user, section):
            raise PermissionDenied(
                _("Nur wer den Text bearbeiten darf, sieht, wer ihn gerade bearbeitet.")
            )
        return section

    def _answer(self, request, section: Section) -> Response:
        data = {
            "editors": selectors.editors_present(request.user, section),
            "latest_revision": (
                section.current_revision.number if section.current_revision else None
            ),
        }
        response = Response(PresenceSerializer(data).data)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(responses={200: PresenceSerializer})
    def get(self, request, pk: int):
        return self._answer(request, self._section(request, pk))

    @extend_schema(request=None, responses={200: PresenceSerializer})
    def post(self, request, pk: int):
        section = self._section(request, pk)
        services.presence_heartbeat(actor=request.user, section=section)
        return self._answer(request, section)


class SuggestionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Suggestions (Änderungsvorschläge) the requester may see; editors of the field accept
    or reject them (a rejection takes a reason)."""

    serializer_class = SuggestionSerializer

    def get_queryset(self):
        return (
            permissions.suggestions_visible_to(self.request.user)
            .select_related("author", "decided_by", "revision", "section")
            .order_by("created_at", "id")
        )

    @extend_schema(request=None, responses={200: RevisionSerializer, 409: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        suggestion = self.get_object()
        revision = services.suggestions_accept(
            actor=request.user, section=suggestion.section, ids=[suggestion.pk]
        )
        return Response(RevisionSerializer(revision).data)

    @extend_schema(request=RejectSerializer, responses={200: SuggestionSerializer})
    @action(detail=True, methods=["post"], serializer_class=RejectSerializer)
    def reject(self, request, pk=None):
        suggestion = self.get_object()
        data = RejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        suggestion = services.suggestion_reject(
            actor=request.user, suggestion=suggestion, reason=data.validated_data["reason"]
        )
        return Response(SuggestionSerializer(suggestion).data)
