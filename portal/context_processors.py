from charta.selectors import action_fields
from notifications.selectors import unread_count


def navigation(request):
    """Navigation data, read lazily: only pages that show it ask the database."""
    return {
        "nav_action_fields": action_fields,
        "unread_notifications": lambda: unread_count(request.user),
        # Places on the page that show the messages about their own forms (see base.html);
        # a page that has such places names them in its own context.
        "message_places": (),
    }
