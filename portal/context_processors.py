from charta.selectors import action_fields
from notifications.selectors import unread_count


def navigation(request):
    """Navigation data, read lazily: only pages that show it ask the database."""
    return {
        "nav_action_fields": action_fields,
        "unread_notifications": lambda: unread_count(request.user),
    }
