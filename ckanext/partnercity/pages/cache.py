"""A shared cache of the rendered citizen pages for anonymous visitors, in CKAN's Redis.

Stored through cachelib's ``RedisCache`` on CKAN's own Redis connection, one per process.
Key: the page's path, its sorted query string, the UI language and a generation number;
value: the HTML. The generation (a counter, ``RedisCache.inc``) is bumped whenever what the
pages show can change (a harvest run ends, a mapping decision, a theme refresh, a scheme
load, a partner or any dataset created, updated or deleted), so every cached page is out of
use at once; the TTL (``ckanext.partnercity.page_cache_seconds``, 0 switches the cache
off) bounds the rest.

Only anonymous GET requests without pending flash messages are served from or stored in
the cache. A page carries its visitor's CSRF token (the language switcher in the footer):
it is stored with the token replaced by a marker and served with the current visitor's own.
If Redis fails, pages are rendered as if there were no cache.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable, Iterable
from typing import Any

import ckan.plugins.toolkit as tk
from cachelib import RedisCache
from ckan.lib.redis import connect_to_redis
from flask import current_app, g, has_request_context, request, session

from ckanext.partnercity import settings
from ckanext.partnercity.compat import ckan as compat
from ckanext.partnercity.language import ui_language

log = logging.getLogger(__name__)

HEADER = "X-Partnercity-Cache"
CSRF_MARKER = "__partnercity_csrf_token__"


GENERATION = "generation"
# Not the "page:"/"data:" keys of the raw layout before cachelib: read back, those would be
# bytes, not the pickled str and values this module stores.
PAGE = "html:"
PART = "part:"

_store: tuple[tuple[str, int], RedisCache] | None = None


def _prefix() -> str:
    return f"{tk.config.get('ckan.site_id') or 'ckan'}:partnercity:pages:"


def store() -> RedisCache:
    """The cache on CKAN's Redis connection, one per process (its client is thread-safe,
    so every request uses the same one); made again if the site id or the TTL changes."""
    global _store
    wanted = (_prefix(), settings.page_cache_seconds())
    if _store is None or _store[0] != wanted:
        cache = RedisCache(connect_to_redis(), key_prefix=wanted[0], default_timeout=wanted[1])
        _store = (wanted, cache)
    return _store[1]


def bump(reason: str = "") -> None:
    """Every cached page is out of date: start a new generation. Never raises."""
    if settings.page_cache_seconds() <= 0:
        return
    try:
        store().inc(GENERATION)
        if has_request_context():
            request.environ.pop("partnercity.generation", None)
    except Exception:  # noqa: BLE001  (no Redis: nothing is served from it either)
        log.warning("could not invalidate the page cache (%s)", reason, exc_info=True)


def _generation(cache: RedisCache) -> str:
    """The current generation, read once per request: a page and its parts agree on it."""
    if has_request_context() and "partnercity.generation" in request.environ:
        return request.environ["partnercity.generation"]
    generation = str(cache.get(GENERATION) or 0)
    if has_request_context():
        request.environ["partnercity.generation"] = generation
    return generation


def page_key(cache: RedisCache) -> str:
    """The page's key in ``cache`` (without its prefix): path, query, language, generation."""
    query = sorted(request.args.items(multi=True))
    raw = "\n".join(
        [request.path, *(f"{k}={v}" for k, v in query), ui_language(), _generation(cache)]
    )
    return PAGE + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _data_key(cache: RedisCache, name: str, parts: Iterable[str]) -> str:
    raw = "\n".join([name, *parts, _generation(cache)])
    return PART + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def recall(name: str, parts: Iterable[str]) -> Any | None:
    """A public part of a page (a partner's profile, the facets of a search), kept in the
    same generation and TTL as the pages; None if it is not (or no longer) there.

    Result pages, sort orders and both languages of one search share such parts, so a page
    that is not cached yet still skips the work they have in common."""
    if settings.page_cache_seconds() <= 0:
        return None
    try:
        cache = store()
        return cache.get(_data_key(cache, name, parts))
    except Exception:  # noqa: BLE001  (Redis, or an entry that no longer unpickles)
        log.warning("page cache unavailable; building %s", name, exc_info=True)
        return None


def keep(name: str, parts: Iterable[str], value: Any) -> None:
    """Store what ``recall`` answers next time (pickled by cachelib). Never raises."""
    if settings.page_cache_seconds() <= 0 or value is None:
        return
    try:
        cache = store()
        cache.set(_data_key(cache, name, parts), value)
    except Exception:  # noqa: BLE001  (Redis, or a value that does not pickle)
        log.warning("could not store %s in the page cache", name, exc_info=True)


def keep_value(key: str, value: Any) -> None:
    """Store a value under one of the cache's keys, for as long as a page. Never raises."""
    if settings.page_cache_seconds() <= 0:
        return
    try:
        store().set(key, value)
    except Exception:  # noqa: BLE001
        log.warning("could not store %s in the page cache", key, exc_info=True)


def remembered(name: str, parts: list[str], build: Callable[[], Any]) -> Any:
    """``recall``, or ``build`` and ``keep`` what it gives."""
    value = recall(name, parts)
    if value is None:
        value = build()
        keep(name, parts, value)
    return value


def _is_anonymous() -> bool:
    user = getattr(tk, "current_user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return False
    return not g.get("user")


def cacheable_request() -> bool:
    return request.method == "GET" and _is_anonymous() and not session.get("_flashes")


def _csrf_field() -> str:
    return current_app.config.get("WTF_CSRF_FIELD_NAME") or "csrf_token"


def with_visitor_token(html: str) -> str:
    """A stored page with the current visitor's own CSRF token in place of the marker."""
    if CSRF_MARKER not in html:
        return html
    from flask_wtf.csrf import generate_csrf

    return html.replace(CSRF_MARKER, generate_csrf())


def _served(html: str, state: str):
    response = current_app.make_response(html)
    response.headers[HEADER] = state
    return response


def _reads_nothing(name: str) -> bool:
    return False


def cached_page(
    view: Callable[..., Any] | None = None, *, reads: Callable[[str], bool] = _reads_nothing
) -> Any:
    """Serve a citizen page from the shared cache, or render and store it.

    ``reads`` names the query parameters the page reads; a request with any other parameter
    is rendered but not stored, so made-up parameters cannot fill the cache with copies.
    """
    if view is None:
        return functools.partial(cached_page, reads=reads)

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if (
            settings.page_cache_seconds() <= 0
            or not cacheable_request()
            or not all(reads(name) for name in request.args)
        ):
            return view(*args, **kwargs)
        try:
            cache = store()
            key = page_key(cache)
            stored = cache.get(key)
        except Exception:  # noqa: BLE001
            log.warning("page cache unavailable; rendering %s", request.path, exc_info=True)
            return view(*args, **kwargs)
        if isinstance(stored, str):
            compat.allow_caching(request.environ)
            return _served(with_visitor_token(stored), "hit")
        html = view(*args, **kwargs)
        if not isinstance(html, str):
            return html
        token = g.get(_csrf_field())
        body = html.replace(token, CSRF_MARKER) if token else html
        if not session.get("_flashes"):
            try:
                cache.set(key, body)
            except Exception:  # noqa: BLE001
                log.warning("could not store %s in the page cache", request.path, exc_info=True)
        return _served(html, "miss")

    return wrapper
