from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import ActionField, Charta, Revision, Section, SectionEvent, Suggestion


@admin.register(Charta)
class ChartaAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "is_current"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(ActionField)
class ActionFieldAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "reporting_interval_days"]
    ordering = ["number"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title", "charta", "action_field", "status", "current_revision"]
    list_filter = ["charta", "status"]
    # Text and workflow change only through the editor and its services.
    readonly_fields = [
        "status",
        "current_revision",
        "approved_revision",
        "published_revision",
        "submitted_by",
        "published_at",
    ]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ["section", "number", "author", "message", "created_at"]
    list_filter = ["section__action_field"]


@admin.register(SectionEvent)
class SectionEventAdmin(ReadOnlyAdmin):
    list_display = ["section", "action", "from_status", "to_status", "actor", "created_at"]


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyAdmin):
    """Suggestions are made, accepted and rejected on the section pages and in the API."""

    list_display = ["section", "quote", "replacement", "author", "state", "created_at"]
    list_filter = ["state", "section__action_field"]
