"""Caching of pages and API reads, with conditional GET and invalidation by what changed.

Every cached answer depends on *tags*: strings the apps choose. ``global`` stands for what
every page shows (names of people and organisations, the Handlungsfelder, the edition); a
region of content has its own tag (the charta names one per Handlungsfeld, and one for all of
them); ``reader:<id>`` stands for what one reader may see. Each tag has a stamp in the
``stamps`` cache, which every process shares (see CACHES in the settings). A change bumps the
stamps of the tags it touches; an answer is served while the stamps of its tags are still the
ones it was made with, so a status report on one measure leaves the pages of other fields and
other readers' unrelated API copies cached.

A view names its tags with ``depends_on()`` while it renders (selectors that fetch one object
do it for the view). An answer that names no tag depends on ``any``, which every change bumps:
forgetting to name a tag costs speed, never correctness.
"""

import hashlib
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language
from rest_framework.exceptions import APIException

GLOBAL = "global"
ANY = "any"
PAGE_TIMEOUT = 60 * 60

_recording: ContextVar[set[str] | None] = ContextVar("cache_tags", default=None)


def reader_tag(user_id: int) -> str:
    return f"reader:{user_id}"


def depends_on(*tags: str) -> None:
    """The answer being rendered shows content of ``tags`` (no effect outside a cached view)."""
    recorded = _recording.get()
    if recorded is not None:
        recorded.update(tags)


# Stamps ------------------------------------------------------------------------------------


def _key(tag: str) -> str:
    return f"stamp:{tag}"


def stamps(tags: Iterable[str]) -> dict[str, str]:
    """The current stamp of each tag (one round trip to the shared cache); a tag never
    bumped gets one now."""
    tags = sorted(set(tags))
    found = caches["stamps"].get_many([_key(tag) for tag in tags])
    missing = {_key(tag): _now() for tag in tags if _key(tag) not in found}
    if missing:
        # add() keeps a stamp another process set meanwhile.
        for key, value in missing.items():
            caches["stamps"].add(key, value, None)
        found.update(caches["stamps"].get_many(list(missing)))
    # A cache that keeps nothing (CACHE_URL=dummy://) gives every tag a new stamp each time.
    return {tag: found.get(_key(tag)) or missing[_key(tag)] for tag in tags}


def _now() -> str:
    return f"{time.time():.6f}"


def _set(tags: Iterable[str]) -> None:
    value = _now()
    caches["stamps"].set_many({_key(tag): value for tag in {*tags, ANY}}, None)


def bump(*tags: str) -> None:
    """``tags`` changed: at once (so that nothing in this transaction is served stale) and
    again after commit (so that an answer made meanwhile from the old rows is not kept)."""
    tags = tuple(tags)
    _set(tags)
    transaction.on_commit(lambda: _set(tags))


def bump_everything() -> None:
    """Invalidate every cached answer (after bulk writes that bypass the signals)."""
    bump(GLOBAL)


# What changes what -----------------------------------------------------------------------

TagsOf = Callable[..., Iterable[str]]


def _everything(*args, **kwargs) -> Iterable[str]:
    return (GLOBAL,)


def invalidate_on_change(*models, tags: TagsOf = _everything, moves: Iterable[str] = ()) -> None:
    """Saving or deleting a row of ``models`` bumps ``tags(row)``; for a many-to-many
    ``through`` model, ``tags(instance, model, pk_set)``. By default a change invalidates
    everything (the ``global`` tag).

    ``moves``: fields whose change moves the row to other tags (a measure moved to a goal of
    another field): before such a save the row's old tags are read, and both are bumped.
    """
    moves = frozenset(moves)
    for model in models:
        uid = f"cache-tags-{model._meta.label}"
        if model._meta.auto_created:

            def on_m2m(sender, instance, action, model, pk_set, tags=tags, **kwargs):
                if action.startswith("post_") or action == "pre_clear":
                    bump(*tags(instance, model, pk_set))

            m2m_changed.connect(on_m2m, sender=model, dispatch_uid=uid + "-m2m", weak=False)
            continue

        def on_save(sender, instance, update_fields=None, tags=tags, **kwargs):
            if update_fields == frozenset({"last_login"}):
                return  # a login changes nothing anybody else sees
            bump(*tags(instance), *getattr(instance, "_old_cache_tags", ()))

        def on_delete(sender, instance, tags=tags, **kwargs):
            bump(*tags(instance))

        post_save.connect(on_save, sender=model, dispatch_uid=uid + "-save", weak=False)
        post_delete.connect(on_delete, sender=model, dispatch_uid=uid + "-delete", weak=False)
        if moves:

            def remember(sender, instance, update_fields=None, tags=tags, **kwargs):
                if instance.pk is None or (
                    update_fields is not None and not moves & set(update_fields)
                ):
                    return
                old = sender._default_manager.filter(pk=instance.pk).first()
                instance._old_cache_tags = tuple(tags(old)) if old is not None else ()

            pre_save.connect(remember, sender=model, dispatch_uid=uid + "-pre", weak=False)


# Readers whose permissions changed ------------------------------------------------------


def reader_tags_of_groups(group_ids: Iterable[int]) -> list[str]:
    """The reader tags of everybody in the groups (a group grant changed)."""
    User = get_user_model()
    members = User.groups.through.objects.filter(group_id__in=list(group_ids))
    return [reader_tag(pk) for pk in members.values_list("user_id", flat=True)]


def membership_readers(instance, model, pk_set) -> list[str]:
    """``User.groups`` changed: from the user's side (pk_set: groups) or the group's."""
    if isinstance(instance, get_user_model()):
        return [reader_tag(instance.pk)]
    return [reader_tag(pk) for pk in pk_set or ()] + reader_tags_of_groups([instance.pk])


def grant_readers(instance, model, pk_set) -> list[str]:
    """``User.user_permissions`` changed: from the user's side or the permission's."""
    if isinstance(instance, get_user_model()):
        return [reader_tag(instance.pk)]
    return [reader_tag(pk) for pk in pk_set or ()]


def group_grant_readers(instance, model, pk_set) -> list[str]:
    """``Group.permissions`` changed: every member of the groups concerned."""
    if isinstance(instance, Group):
        return reader_tags_of_groups([instance.pk])
    return reader_tags_of_groups(pk_set or ())


# Serving ---------------------------------------------------------------------------------


def _readonly(request) -> bool:
    # A pending message belongs to this visitor only: such a response is never cached.
    return request.method in ("GET", "HEAD") and "messages" not in request.COOKIES


def _cacheable(request) -> bool:
    return _readonly(request) and not request.user.is_authenticated


def _etag(base: str, made_with: dict[str, str]) -> str:
    marks = "|".join(f"{tag}={stamp}" for tag, stamp in sorted(made_with.items()))
    return quote_etag(hashlib.sha256(f"{base}|{marks}".encode()).hexdigest()[:32])


def _finish(response, etag: str, made_with: dict[str, str], reader) -> object:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(max(float(stamp) for stamp in made_with.values()))
    visibility = "public" if reader is None else "private"
    response["Cache-Control"] = f"{visibility}, max-age=0, must-revalidate"
    vary = ["Cookie", "Accept-Language"] + (["Authorization"] if reader is not None else [])
    patch_vary_headers(response, vary)
    return response


def serve_cached(request, render, *, reader=None, vary_on_accept: bool = False):
    """The response ``render()`` gives: from the cache while the stamps of the tags it
    depends on are unchanged and the day is the same (overdue marks move at midnight); 304
    when the client's copy is current. ``reader``: the logged-in user the response was made
    for (their copy is theirs alone and private); None for anonymous visitors.
    ``vary_on_accept``: the response depends on the Accept header too (the API's JSON or
    browsable HTML)."""
    accept = request.headers.get("Accept", "") if vary_on_accept else ""
    scope = f"user:{reader.pk}" if reader is not None else "public"
    base = hashlib.sha256(
        f"{timezone.localdate()}|{get_language()}|{scope}|{accept}|"
        f"{request.get_full_path()}".encode()
    ).hexdigest()
    entry_key = f"page:{base}"
    entry = cache.get(entry_key)
    if entry is not None:
        made_with, response = entry
        if stamps(made_with) == made_with:
            etag = _etag(base, made_with)
            # Only the ETag counts: it carries the day too, which Last-Modified does not.
            conditional = get_conditional_response(request, etag=etag)
            return _finish(conditional or response, etag, made_with, reader)
    before = stamps([ANY])[ANY]
    token = _recording.set(set())
    try:
        response = render()
        if callable(getattr(response, "render", None)) and not response.is_rendered:
            response.render()
        tags = _recording.get()
    finally:
        _recording.reset(token)
    tags = (tags or {ANY}) | {GLOBAL}
    if reader is not None:
        tags.add(reader_tag(reader.pk))
    current = stamps(tags | {ANY})
    made_with = {tag: current[tag] for tag in tags}
    # Kept only when nothing changed while it was made: it may hold the rows of before.
    if response.status_code == 200 and not response.cookies and current[ANY] == before:
        cache.set(entry_key, (made_with, response), PAGE_TIMEOUT)
    etag = _etag(base, made_with)
    conditional = get_conditional_response(request, etag=etag)
    return _finish(conditional or response, etag, made_with, reader)


def public_page(view=None, *, vary_on_accept: bool = False):
    """Serve anonymous visitors from the cache, answer 304 when their copy is current.
    ``vary_on_accept``: the view answers differently by the Accept header."""
    if view is None:
        return lambda view: public_page(view, vary_on_accept=vary_on_accept)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, ["Cookie"])
            return response
        return serve_cached(
            request, lambda: view(request, *args, **kwargs), vary_on_accept=vary_on_accept
        )

    return wrapper


class APICacheMixin:
    """For API viewsets: reads are served from the cache, per reader (anonymous visitors
    share one copy; a logged-in user's copy is theirs alone), until what they show or the
    reader's permissions change. Only a cache miss reaches the view, and with it the
    throttle. A viewset names the tags of one object with ``cache_tags(obj)``; lists
    depend on ``list_cache_tags``."""

    list_cache_tags: tuple[str, ...] = ()

    def cache_tags(self, obj) -> Iterable[str]:
        return ()

    def get_object(self):
        obj = super().get_object()
        depends_on(*self.cache_tags(obj))
        return obj

    def list(self, request, *args, **kwargs):
        depends_on(*self.list_cache_tags)
        return super().list(request, *args, **kwargs)

    def initialize_request(self, request, *args, **kwargs):
        # The reader is identified once per request: to choose the cached copy, and (on a
        # miss) by the view itself, which gets the same DRF request.
        drf_request = getattr(request, "_api_request", None)
        if drf_request is None:
            drf_request = super().initialize_request(request, *args, **kwargs)
            request._api_request = drf_request
        return drf_request

    def dispatch(self, request, *args, **kwargs):
        if _readonly(request):
            # Authenticated as the view will be: by session, token or whatever the API knows.
            try:
                drf_request = self.initialize_request(request, *args, **kwargs)
                reader = drf_request.user
            except APIException:  # a bad token: the view answers that, authenticating anew
                request._api_request = None
                return super().dispatch(request, *args, **kwargs)
            return serve_cached(
                request,
                lambda: super(APICacheMixin, self).dispatch(request, *args, **kwargs),
                reader=reader if reader.is_authenticated else None,
                vary_on_accept=True,
            )
        return super().dispatch(request, *args, **kwargs)
