"""Error answers: German pages (templates 400, 403, 404, 413, 500), JSON under /api/.

The API's own errors go through its exception handler (config/api.py); these handlers answer
what Django itself refuses before or around a view: unknown addresses, requests too big,
failures of a middleware.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def _json(detail: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def too_big_message() -> str:
    return _(
        "Die Anfrage ist zu groß: höchstens %(limit)s werden angenommen. Bitte kürzen Sie den "
        "Text oder teilen Sie ihn auf."
    ) % {"limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        if _is_api(request):
            return _json(too_big_message(), 413)
        return render(request, "413.html", {"message": too_big_message()}, status=413)
    reasons = exception.messages if isinstance(exception, ValidationError) else []
    if _is_api(request):
        return _json(
            " ".join(reasons) or _("Ungültige Anfrage. Bitte prüfen Sie Adresse und Daten."), 400
        )
    return render(request, "400.html", {"reasons": reasons}, status=400)


class RejectNulCharactersMiddleware:
    """An address or query string with a NUL character is refused (400) before any view: no
    valid input contains one, and PostgreSQL can neither store nor compare text with it (the
    database adapter raises, which would answer 500 wherever such a value reaches a query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return bad_request(
                request,
                ValidationError(
                    _("Die Adresse enthält ein unzulässiges Zeichen (NUL). Bitte prüfen Sie sie.")
                ),
            )
        return self.get_response(request)


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
        return _json(_("Dazu fehlt Ihnen die Berechtigung."), 403)
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    if _is_api(request):
        return _json(_("Diese Adresse gibt es in der API nicht. Die Übersicht: /api/v1/"), 404)
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors that touch the database: the error may be the database.
    from django.http import HttpResponseServerError
    from django.template import loader

    if _is_api(request):
        return _json("Serverfehler. Bitte versuchen Sie es in einigen Minuten erneut.", 500)
    return HttpResponseServerError(loader.get_template("500.html").render())
