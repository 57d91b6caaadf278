"""Error answers: German pages (templates 400, 403, 404, 413, 500), JSON under /api/.

The API's own errors go through its exception handler (config/api.py); these handlers answer
what Django itself refuses before or around a view: unknown addresses, requests too big,
unreadable query strings (core.http.BadQuery), failures of a middleware.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, ValidationError
from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.http import BadQuery

API_PREFIX = "/api/"


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def _json(data: dict, status: int) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def too_big_message() -> str:
    return _(
        "Die Anfrage ist zu groß: höchstens %(limit)s werden angenommen. Bitte kürzen Sie den "
        "Text oder teilen Sie ihn auf."
    ) % {"limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}


def bad_request(request, exception=None):
    """The 400 page (413 for a request too big), or JSON under the API. It names the problem
    when it is one of ours (BadQuery, ValidationError); other messages (Django's) are not
    written for the visitor."""
    if isinstance(exception, RequestDataTooBig):
        if _is_api(request):
            return _json({"detail": too_big_message()}, 413)
        return render(request, "413.html", {"message": too_big_message()}, status=413)
    if isinstance(exception, BadQuery):
        reasons = [exception.message]
    elif isinstance(exception, ValidationError):
        reasons = exception.messages
    else:
        reasons = []
    if _is_api(request):
        data = {
            "detail": " ".join(reasons)
            or _("Ungültige Anfrage. Bitte prüfen Sie Adresse und Daten.")
        }
        if isinstance(exception, BadQuery) and exception.parameter:
            data["errors"] = {exception.parameter: [exception.message]}
        return _json(data, 400)
    try:
        request.GET  # noqa: B018 - the page shows the search box with ?q=
    except SuspiciousOperation:
        # A query string that Django refuses to parse (too many fields): the page must not
        # read it again, or the 400 page would fail as a server error.
        request.GET = QueryDict()
    return render(request, "400.html", {"reasons": reasons}, status=400)


class ValidationErrorMiddleware:
    """A ValidationError that no view turned into a form error is still bad input, not a
    server error: it answers 400 with its messages (the API's views answer it themselves,
    through config.api.exception_handler)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ValidationError):
            return bad_request(request, exception)
        return None


def permission_denied(request, exception=None):
    if _is_api(request):
        return _json({"detail": _("Dazu fehlt Ihnen die Berechtigung.")}, 403)
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    if _is_api(request):
        return _json(
            {"detail": _("Diese Adresse gibt es in der API nicht. Die Übersicht: /api/v1/")}, 404
        )
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors that touch the database: the error may be the database.
    from django.http import HttpResponseServerError
    from django.template import loader

    if _is_api(request):
        return _json(
            {"detail": "Serverfehler. Bitte versuchen Sie es in einigen Minuten erneut."}, 500
        )
    return HttpResponseServerError(loader.get_template("500.html").render())
