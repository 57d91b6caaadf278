from django.contrib import admin
from django.db import models

from charta.admin import ReadOnlyAdmin
from core.forms import CheckedModelMultipleChoiceField

from .models import Goal, Measure, StatusUpdate


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["title", "action_field", "owner", "target_date", "state"]
    list_filter = ["action_field", "state"]
    search_fields = ["title"]

    def has_delete_permission(self, request, obj=None):
        # Goals are deleted on their page or through the API (services.goal_delete), which
        # refuse while comments or measures hang on them; the admin would cascade them away.
        return False


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["title", "goal", "owner", "deadline", "status", "progress", "state"]
    list_filter = ["goal__action_field", "status", "state"]
    search_fields = ["title"]
    readonly_fields = ["status", "progress", "last_reported_at"]
    filter_horizontal = ["responsible"]
    formfield_overrides = {models.ManyToManyField: {"form_class": CheckedModelMultipleChoiceField}}

    def has_delete_permission(self, request, obj=None):
        # A measure carries an append-only status history and a discussion: never deleted.
        return False


@admin.register(StatusUpdate)
class StatusUpdateAdmin(ReadOnlyAdmin):
    list_display = ["measure", "status", "progress", "author", "created_at"]
