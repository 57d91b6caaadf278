"""Messages shown where the eye is: a view that sent a form tags its message with the place
of that form (``messages.success(request, text, extra_tags="kommentare")``); the page shows
it at the form when it names that place in ``message_places``, and on top otherwise."""

from django import template

register = template.Library()


def _taken(tag: str, places) -> bool:
    # "kommentar-*" takes every tag that starts with "kommentar-".
    return any(
        tag == place or (place.endswith("*") and tag.startswith(place[:-1])) for place in places
    )


@register.filter
def unplaced(messages, places) -> list:
    """The messages that no place of this page takes: shown on top."""
    places = list(places or ())
    return [message for message in messages or () if not _taken(message.extra_tags, places)]


@register.filter
def placed_at(messages, place: str) -> list:
    """The messages about the form at ``place``."""
    return [message for message in messages or () if message.extra_tags == place]


@register.filter
def placed_at_comment(messages, comment_pk) -> list:
    """The messages about a form sent from one comment."""
    return placed_at(messages, f"kommentar-{comment_pk}")
