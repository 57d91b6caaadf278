"""German error pages; the templates live in templates/ (400, 403, 404, 500)."""

from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from core.http import BadQuery


def _is_api(request) -> bool:
    try:
        return request.path.startswith(reverse("api:api-root"))
    except NoReverseMatch:  # a URL configuration without the API
        return False


def bad_request(request, exception=None):
    """The 400 page, or JSON under the API. It names the problem when it is one of ours
    (BadQuery); other messages (Django's) are not written for the visitor."""
    message = exception.message if isinstance(exception, BadQuery) else None
    if _is_api(request):
        data = {"detail": message or _("Ungültige Anfrage.")}
        if message and exception.parameter:
            data["errors"] = {exception.parameter: [message]}
        return JsonResponse(data, status=400)
    try:
        request.GET  # noqa: B018 - the page shows the search box with ?q=
    except SuspiciousOperation:
        # A query string that Django refuses to parse (too many fields): the page must not
        # read it again, or the 400 page would fail as a server error.
        request.GET = QueryDict()
    return render(request, "400.html", {"message": message}, status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors that touch the database: the error may be the database.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())
