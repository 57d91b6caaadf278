"""Middleware that keeps unreadable addresses away from the views."""

from django.utils.translation import gettext as _

from .http import BadQuery

NUL = "\x00"


class RefuseNulCharactersMiddleware:
    """Answer 400 to an address with a NUL character (``%00``) in its path or query string.

    No text of the platform contains one, and PostgreSQL refuses NUL in every text value:
    a lookup with one (``?handlungsfeld=%00``, ``/suche/?q=%00``) would fail as a server
    error. Request bodies are checked where they are read: form fields refuse NUL, the API's
    parsers too (config.api).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path or any(
            NUL in key or any(NUL in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadQuery(_("Die Adresse enthält ein Nullzeichen; so lässt sie sich nicht lesen."))
        return self.get_response(request)
