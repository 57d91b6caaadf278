"""The comments part of the API: comments on any registered target, threads, moderation."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from . import permissions, services, targets
from .models import COMMENT_MAX_LENGTH, REASON_MAX_LENGTH, Comment


@extend_schema_field(OpenApiTypes.STR)
class TargetField(serializers.Field):
    """``section:ID``, ``goal:ID`` or ``measure:ID``: read from the comment's content type and
    id (no query per row); written only as an object the requester may see."""

    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    def to_representation(self, comment: Comment) -> str:
        return f"{self.context['kinds'][comment.content_type_id]}:{comment.object_id}"

    def to_internal_value(self, value):
        if not isinstance(value, str) or len(value) > 40:
            raise ValidationError(_("Bitte ein Ziel wie section:12 angeben."))
        try:
            return {"target": targets.resolve(self.context["request"].user, value)}
        except targets.BadReference as error:
            raise ValidationError(str(error)) from None
        except Http404:
            raise ValidationError(
                _("Dieses Ziel gibt es nicht oder Sie dürfen es nicht sehen.")
            ) from None


class CommentSerializer(serializers.ModelSerializer):
    target = TargetField(help_text="`section:ID`, `goal:ID` or `measure:ID`")
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Comment.objects.none(), required=False, allow_null=True
    )
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    anchor = serializers.SerializerMethodField(
        help_text="Where the comment points: `{revision, paragraph, quote, prefix, suffix, "
        "status}` with status `current`, `moved`, `changed` or `orphaned`; null for a comment "
        "on the whole target."
    )

    class Meta:
        model = Comment
        fields = [
            "id", "target", "parent", "paragraph", "quote", "prefix", "suffix", "anchor",
            "paragraph_text", "anchor_status", "revision", "body", "body_html", "author",
            "created_at", "edited_at", "state", "is_hidden", "hidden_reason",
        ]  # fmt: skip
        read_only_fields = [
            "paragraph_text", "anchor_status", "revision", "body_html", "created_at", "edited_at",
            "state", "is_hidden", "hidden_reason",
        ]  # fmt: skip
        extra_kwargs = {
            "quote": {"help_text": "Exact words of the paragraph the comment points at."},
            "prefix": {
                "help_text": "Text just before the quote (tells equal quotes apart).",
                "trim_whitespace": False,
            },
            "suffix": {"help_text": "Text just after the quote.", "trim_whitespace": False},
        }

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_anchor(self, comment: Comment) -> dict | None:
        if not comment.paragraph:
            return None
        return {
            "revision": comment.revision,
            "paragraph": comment.paragraph,
            "quote": comment.quote,
            "prefix": comment.prefix,
            "suffix": comment.suffix,
            "status": comment.anchor_status,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Replies attach only to comments the requester may see.
            self.fields["parent"].queryset = permissions.comments_visible_to(request.user)

    def to_representation(self, comment):
        data = super().to_representation(comment)
        if comment.is_hidden:
            data["body"] = data["body_html"] = ""
        return data


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=REASON_MAX_LENGTH, default=""
    )


class CommentEditSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=COMMENT_MAX_LENGTH)


class CommentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Comments on sections, goals and measures. Filter with ``?target=section:ID``.
    PATCH ``{"body": …}`` lets the author edit within 30 minutes; the old text is kept."""

    serializer_class = CommentSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(request=CommentEditSerializer, responses={200: CommentSerializer})
    def partial_update(self, request, pk=None):
        data = CommentEditSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = services.comment_edit(
            actor=request.user, comment=self.get_object(), body=data.validated_data["body"]
        )
        return Response(self.get_serializer(comment).data)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["kinds"] = targets.kinds_by_content_type()
        return context

    @extend_schema(
        parameters=[OpenApiParameter("target", str, description="`section:ID`, `goal:ID`, …")]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        comments = permissions.comments_visible_to(self.request.user).select_related("author")
        reference = self.request.query_params.get("target")
        if reference and self.action == "list":
            try:
                targets.resolve(self.request.user, reference)
                comments = comments.filter(**targets.content_type_filter(reference))
            except targets.BadReference as error:
                raise ValidationError({"target": [str(error)]}) from None
        return comments.order_by("created_at", "id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.comment_create(
            actor=self.request.user,
            target=data["target"],
            body=data["body"],
            parent=data.get("parent"),
            paragraph=data.get("paragraph", ""),
            quote=data.get("quote", ""),
            prefix=data.get("prefix", ""),
            suffix=data.get("suffix", ""),
        )

    def _state(self, request, state: str):
        comment = services.comment_set_state(
            actor=request.user, comment=self.get_object(), state=state
        )
        return Response(self.get_serializer(comment).data)

    @extend_schema(request=None, responses={200: CommentSerializer})
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._state(request, Comment.State.RESOLVED)

    @extend_schema(request=None, responses={200: CommentSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._state(request, Comment.State.OPEN)

    @extend_schema(request=ReasonSerializer, responses={200: CommentSerializer})
    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def hide(self, request, pk=None):
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = services.comment_hide(
            actor=request.user, comment=self.get_object(), reason=data.validated_data["reason"]
        )
        return Response(CommentSerializer(comment, context=self.get_serializer_context()).data)

    @extend_schema(request=ReasonSerializer, responses={204: None})
    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def report(self, request, pk=None):
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.comment_report(
            actor=request.user, comment=self.get_object(), reason=data.validated_data["reason"]
        )
        return Response(status=204)

    def _decide(self, request, service):
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = self.get_object()
        service(actor=request.user, comment=comment, reason=data.validated_data["reason"])
        comment.refresh_from_db()
        return Response(CommentSerializer(comment, context=self.get_serializer_context()).data)

    @extend_schema(request=ReasonSerializer, responses={200: CommentSerializer})
    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def dismiss(self, request, pk=None):
        """Coordinators: the open reports are unfounded; the comment stays visible."""
        return self._decide(request, services.comment_dismiss_reports)

    @extend_schema(request=ReasonSerializer, responses={200: CommentSerializer})
    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def restore(self, request, pk=None):
        """Coordinators: show a hidden comment again."""
        return self._decide(request, services.comment_restore)
