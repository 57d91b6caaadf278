"""Errors that views and the API turn into answers a person can read."""

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


class Conflict(Exception):
    """The request was based on a state that is no longer current; nothing was written.

    Subclasses name what conflicted; the API answers 409 with ``detail`` and ``payload()``.
    """

    def payload(self) -> dict:
        return {}


def too_big_message() -> str:
    """Why a request body was refused as too big, with the limit."""
    return _(
        "Die Anfrage ist zu groß: höchstens %(limit)s werden angenommen. Bitte kürzen Sie den "
        "Text oder teilen Sie ihn auf."
    ) % {"limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}
