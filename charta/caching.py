"""Caching of public pages for anonymous visitors, with conditional GET.

Every public page depends on one "content stamp". Saving any public model (a publication,
a status report, a new goal …) replaces the stamp after the transaction commits, which
invalidates every cached page and every ETag at once: nobody sees stale progress, and
unchanged pages cost a cache lookup or a 304.
"""

import hashlib
import time
from functools import wraps

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language

STAMP_KEY = "public-content-stamp"
PAGE_TIMEOUT = 60 * 60


def content_stamp() -> str:
    return cache.get_or_set(STAMP_KEY, lambda: str(time.time()), None)


def bump_content_stamp(**kwargs) -> None:
    # At once (so that nothing in this transaction is served stale) and again after commit
    # (so that a page rendered meanwhile from the old data is not kept under the new stamp).
    cache.set(STAMP_KEY, str(time.time()), None)
    transaction.on_commit(lambda: cache.set(STAMP_KEY, str(time.time()), None))


def invalidate_on_change(*models) -> None:
    """Saving or deleting any of ``models`` invalidates the public pages."""
    for model in models:
        uid = f"public-pages-{model._meta.label}"
        post_save.connect(bump_content_stamp, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(bump_content_stamp, sender=model, dispatch_uid=uid + "-delete")


def _cacheable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        # A pending message belongs to this visitor only.
        and "messages" not in request.COOKIES
    )


def public_page(view):
    """Serve anonymous visitors from the cache, answer 304 when their copy is current."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, ["Cookie"])
            return response
        stamp = content_stamp()
        key = hashlib.sha256(
            f"{stamp}|{get_language()}|{request.get_full_path()}".encode()
        ).hexdigest()
        etag = quote_etag(key[:32])
        last_modified = http_date(float(stamp))
        if request.headers.get("If-None-Match") == etag:
            response = _not_modified(etag, last_modified)
        else:
            response = cache.get(f"page:{key}")
            if response is None:
                response = view(request, *args, **kwargs)
                if response.status_code == 200 and not response.cookies:
                    cache.set(f"page:{key}", response, PAGE_TIMEOUT)
        response["ETag"] = etag
        response["Last-Modified"] = last_modified
        response["Cache-Control"] = "public, max-age=0, must-revalidate"
        patch_vary_headers(response, ["Cookie", "Accept-Language"])
        return response

    return wrapper


def _not_modified(etag: str, last_modified: str):
    from django.http import HttpResponseNotModified

    response = HttpResponseNotModified()
    response["ETag"] = etag
    response["Last-Modified"] = last_modified
    return response
