from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Goal, Measure, StatusUpdate

# Goals and measures are read in the admin and changed on their pages, through the services
# that check permissions, grant the reporters' rights and write the audit log.


@admin.register(Goal)
class GoalAdmin(ReadOnlyAdmin):
    list_display = ["title", "action_field", "owner", "target_date", "state"]
    list_filter = ["action_field", "state"]
    search_fields = ["title"]

    def has_delete_permission(self, request, obj=None):
        # Goals are deleted on their page or through the API (services.goal_delete), which
        # refuse while comments or measures hang on them; the admin would cascade them away.
        return False


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ["title", "goal", "owner", "deadline", "status", "progress", "state"]
    list_filter = ["goal__action_field", "status", "state"]
    search_fields = ["title"]


@admin.register(StatusUpdate)
class StatusUpdateAdmin(ReadOnlyAdmin):
    list_display = ["measure", "status", "progress", "author", "created_at"]
