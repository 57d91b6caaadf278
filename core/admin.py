from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """History rows are append-only: visible in the admin, never edited or deleted there."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
