from .selectors import action_fields


def navigation(request):
    """The Handlungsfelder for the main navigation, read lazily (only when a page shows them)."""
    return {"nav_action_fields": action_fields}
