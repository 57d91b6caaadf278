"""Small helpers for views: reading the query string (one way for every view, one error for
what cannot be read) and going back to the page a form came from."""

import datetime

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .parsing import parse_date, parse_id
from .validators import EARLIEST_DATE, LATEST_DATE


class BadQuery(BadRequest):
    """A request whose address cannot be read. Django answers it with the 400 page (JSON
    under the API), which shows ``message``: it is written for the person who sent it."""

    def __init__(self, message: str, *, parameter: str | None = None):
        super().__init__(message)
        self.message = message
        self.parameter = parameter


def query_date(request: HttpRequest, name: str, *, default: datetime.date) -> datetime.date:
    """The date ``?name=YYYY-MM-DD``; ``default`` when the parameter is missing or empty.
    BadQuery when it is no calendar date or lies outside the platform's date range."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    value = parse_date(raw)
    if value is None:
        raise BadQuery(
            _(
                "„%(name)s“ ist kein gültiges Datum. Bitte ein Datum zwischen dem %(earliest)s "
                "und dem %(latest)s in der Form JJJJ-MM-TT angeben."
            )
            % {
                "name": name,
                "earliest": date_format(EARLIEST_DATE, "SHORT_DATE_FORMAT"),
                "latest": date_format(LATEST_DATE, "SHORT_DATE_FORMAT"),
            },
            parameter=name,
        )
    return value


def query_id(request: HttpRequest, name: str) -> int | None:
    """The id ``?name=`` names, or None when it is missing or names no possible row: for
    optional presets, which are ignored when they are wrong."""
    return parse_id(request.GET.get(name))


def next_url(request: HttpRequest) -> str | None:
    """The page a form came from (its ``next`` field), if it is a path on this site."""
    target = request.POST.get("next", "")
    if (
        target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return None


def redirect_back(request: HttpRequest, fallback) -> HttpResponse:
    """Back to the page the form came from, else to ``fallback`` (an object, a URL name)."""
    target = next_url(request)
    return HttpResponseRedirect(target) if target else redirect(fallback)
