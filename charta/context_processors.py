from .notifications import unread_count
from .selectors import action_fields


def navigation(request):
    """Navigation data, read lazily: only pages that show it ask the database."""
    return {
        "nav_action_fields": action_fields,
        "unread_notifications": lambda: unread_count(request.user),
    }
