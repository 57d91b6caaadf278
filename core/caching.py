"""Caching of public pages for anonymous visitors, with conditional GET.

Every public page depends on one "content stamp". Saving any public model (a publication,
a status report, a new goal …) replaces the stamp after the transaction commits, which
invalidates every cached page and every ETag at once: nobody sees stale progress, and
unchanged pages cost a cache lookup or a 304.
"""

import hashlib
import time
from functools import wraps

from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language
from rest_framework.exceptions import APIException

STAMP_KEY = "public-content-stamp"
PAGE_TIMEOUT = 60 * 60


def content_stamp() -> str:
    # The "stamps" cache is shared by every process (see CACHES in the settings), so that a
    # change saved through one process invalidates the pages of all of them.
    return caches["stamps"].get_or_set(STAMP_KEY, lambda: str(time.time()), None)


def _new_stamp() -> None:
    caches["stamps"].set(STAMP_KEY, str(time.time()), None)


def bump_content_stamp(**kwargs) -> None:
    if kwargs.get("update_fields") == frozenset({"last_login"}):
        return  # a login changes nothing anybody else sees
    # At once (so that nothing in this transaction is served stale) and again after commit
    # (so that a page rendered meanwhile from the old data is not kept under the new stamp).
    _new_stamp()
    transaction.on_commit(_new_stamp)


def invalidate_on_change(*models) -> None:
    """Saving or deleting any of ``models`` (or changing the rows of a many-to-many table
    given as its ``through`` model) invalidates the public pages."""
    for model in models:
        uid = f"public-pages-{model._meta.label}"
        if model._meta.auto_created:
            m2m_changed.connect(bump_content_stamp, sender=model, dispatch_uid=uid + "-m2m")
            continue
        post_save.connect(bump_content_stamp, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(bump_content_stamp, sender=model, dispatch_uid=uid + "-delete")


def _readonly(request) -> bool:
    # A pending message belongs to this visitor only: such a response is never cached.
    return request.method in ("GET", "HEAD") and "messages" not in request.COOKIES


def _cacheable(request) -> bool:
    return _readonly(request) and not request.user.is_authenticated


def serve_cached(request, render, *, reader=None, vary_on_accept: bool = False):
    """The response ``render()`` gives: from the cache while no content (nor any permission)
    changed and the day is the same (overdue marks move at midnight); 304 when the client's
    copy is current. ``reader``: the logged-in user the response was made for (their copy is
    theirs alone and private); None for anonymous visitors. ``vary_on_accept``: the response
    depends on the Accept header too (the API's JSON or browsable HTML)."""
    stamp = content_stamp()
    accept = request.headers.get("Accept", "") if vary_on_accept else ""
    scope = f"user:{reader.pk}" if reader is not None else "public"
    key = hashlib.sha256(
        f"{stamp}|{timezone.localdate()}|{get_language()}|{scope}|{accept}|"
        f"{request.get_full_path()}".encode()
    ).hexdigest()
    etag = quote_etag(key[:32])
    last_modified = http_date(float(stamp))
    # Django's own answer to If-None-Match: a 304 when the copy is current. Only the ETag
    # counts: it carries the day too, which Last-Modified (the content stamp) does not.
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = cache.get(f"page:{key}")
        if response is None:
            response = render()
            if callable(getattr(response, "render", None)) and not response.is_rendered:
                response.render()
            if response.status_code == 200 and not response.cookies:
                cache.set(f"page:{key}", response, PAGE_TIMEOUT)
    response["ETag"] = etag
    response["Last-Modified"] = last_modified
    visibility = "public" if reader is None else "private"
    response["Cache-Control"] = f"{visibility}, max-age=0, must-revalidate"
    vary = ["Cookie", "Accept-Language"] + (["Authorization"] if reader is not None else [])
    patch_vary_headers(response, vary)
    return response


def public_page(view):
    """Serve anonymous visitors from the cache, answer 304 when their copy is current."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, ["Cookie"])
            return response
        return serve_cached(request, lambda: view(request, *args, **kwargs))

    return wrapper


class APICacheMixin:
    """For API viewsets: reads are served from the cache, per reader (anonymous visitors
    share one copy; a logged-in user's copy is theirs alone), until content or permissions
    change. Only a cache miss reaches the view, and with it the throttle."""

    def dispatch(self, request, *args, **kwargs):
        if _readonly(request):
            # Authenticated as the view will be: by session, token or whatever the API knows.
            try:
                reader = self.initialize_request(request, *args, **kwargs).user
            except APIException:  # a bad token: the view answers that
                return super().dispatch(request, *args, **kwargs)
            return serve_cached(
                request,
                lambda: super(APICacheMixin, self).dispatch(request, *args, **kwargs),
                reader=reader if reader.is_authenticated else None,
                vary_on_accept=True,
            )
        return super().dispatch(request, *args, **kwargs)
