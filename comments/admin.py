from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Comment


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    """Read in the admin; every change goes through the pages and their audited services."""

    list_display = ["author", "scope", "state", "is_hidden", "created_at"]
    list_filter = ["state", "is_hidden"]
