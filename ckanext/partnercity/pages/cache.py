"""A shared cache of the rendered citizen pages for anonymous visitors, in CKAN's Redis.

Key: the page's path, its sorted query string, the UI language and a generation number;
value: the HTML. The generation (one Redis key) is bumped whenever what the pages show can
change (a harvest run ends, a mapping decision, a theme refresh, a scheme load, a partner or
any dataset created, updated or deleted), so every cached page is out of use at once; the
TTL (``ckanext.partnercity.page_cache_seconds``, 0 switches the cache off) bounds the rest.

Only anonymous GET requests without pending flash messages are served from or stored in
the cache. A page carries its visitor's CSRF token (the language switcher in the footer):
it is stored with the token replaced by a marker and served with the current visitor's own.
If Redis fails, pages are rendered as if there were no cache.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

import ckan.plugins.toolkit as tk
from flask import current_app, g, has_request_context, request, session

from ckanext.partnercity import settings
from ckanext.partnercity.language import ui_language

log = logging.getLogger(__name__)

HEADER = "X-Partnercity-Cache"
CSRF_MARKER = "__partnercity_csrf_token__"


def _prefix() -> str:
    return f"{tk.config.get('ckan.site_id') or 'ckan'}:partnercity:pages:"


def generation_key() -> str:
    return _prefix() + "generation"


def redis_client():
    """CKAN's Redis client, one per request (the page and its cached parts share it)."""
    from ckan.lib.redis import connect_to_redis

    if not has_request_context():
        return connect_to_redis()
    conn = request.environ.get("partnercity.redis")
    if conn is None:
        conn = request.environ["partnercity.redis"] = connect_to_redis()
    return conn


def bump(reason: str = "") -> None:
    """Every cached page is out of date: start a new generation. Never raises."""
    if settings.page_cache_seconds() <= 0:
        return
    try:
        redis_client().incr(generation_key())
        if has_request_context():
            request.environ.pop("partnercity.generation", None)
    except Exception:  # noqa: BLE001  (no Redis: nothing is served from it either)
        log.warning("could not invalidate the page cache (%s)", reason, exc_info=True)


def _generation(conn) -> str:
    """The current generation, read once per request: a page and its parts agree on it."""
    if has_request_context() and "partnercity.generation" in request.environ:
        return request.environ["partnercity.generation"]
    generation = (conn.get(generation_key()) or b"0").decode()
    if has_request_context():
        request.environ["partnercity.generation"] = generation
    return generation


def page_key(conn) -> str:
    query = sorted(request.args.items(multi=True))
    raw = "\n".join(
        [request.path, *(f"{k}={v}" for k, v in query), ui_language(), _generation(conn)]
    )
    return _prefix() + "page:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _data_key(conn, name: str, parts: Iterable[str]) -> str:
    raw = "\n".join([name, *parts, _generation(conn)])
    return _prefix() + "data:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def recall(name: str, parts: Iterable[str]) -> Any | None:
    """A public, JSON-able part of a page (a partner's profile, the facets of a search), kept
    in the same generation and TTL as the pages; None if it is not (or no longer) there.

    Result pages, sort orders and both languages of one search share such parts, so a page
    that is not cached yet still skips the work they have in common."""
    if settings.page_cache_seconds() <= 0:
        return None
    try:
        conn = redis_client()
        stored = conn.get(_data_key(conn, name, parts))
    except Exception:  # noqa: BLE001
        log.warning("page cache unavailable; building %s", name, exc_info=True)
        return None
    if stored is None:
        return None
    try:
        return json.loads(stored)
    except ValueError:
        log.warning("unreadable cache entry for %s; building it again", name)
        return None


def keep(name: str, parts: Iterable[str], value: Any) -> None:
    """Store what ``recall`` answers next time. Never raises."""
    if settings.page_cache_seconds() <= 0 or value is None:
        return
    try:
        body = json.dumps(value).encode("utf-8")
    except (TypeError, ValueError):
        log.warning("%s is not JSON: not cached", name, exc_info=True)
        return
    try:
        key = _data_key(redis_client(), name, parts)
    except Exception:  # noqa: BLE001
        log.warning("could not store %s in the page cache", name, exc_info=True)
        return
    keep_raw(key, body)


def keep_raw(key: str, value: bytes) -> None:
    """Store bytes under one of the cache's keys, for as long as a page. Never raises."""
    ttl = settings.page_cache_seconds()
    if ttl <= 0:
        return
    try:
        redis_client().set(key, value, ex=ttl)
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


def _allow_caching() -> None:
    """What tk.render does for CKAN's Cache-Control headers, for a page served from here."""
    from ckan.lib import base

    allow = getattr(base, "_allow_caching", None)
    if allow is not None:
        allow()
        return
    request.environ["__limit_cache_by_cookie__"] = True
    if not tk.asbool(tk.config.get("ckan.cache_enabled")):
        request.environ["__no_cache__"] = True


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


def cached_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve a citizen page from the shared cache, or render and store it."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        ttl = settings.page_cache_seconds()
        if ttl <= 0 or not cacheable_request():
            return view(*args, **kwargs)
        try:
            conn = redis_client()
            key = page_key(conn)
            stored = conn.get(key)
        except Exception:  # noqa: BLE001
            log.warning("page cache unavailable; rendering %s", request.path, exc_info=True)
            return view(*args, **kwargs)
        if stored is not None:
            _allow_caching()
            return _served(with_visitor_token(stored.decode("utf-8")), "hit")
        html = view(*args, **kwargs)
        if not isinstance(html, str):
            return html
        token = g.get(_csrf_field())
        body = html.replace(token, CSRF_MARKER) if token else html
        if not session.get("_flashes"):
            try:
                conn.set(key, body.encode("utf-8"), ex=ttl)
            except Exception:  # noqa: BLE001
                log.warning("could not store %s in the page cache", request.path, exc_info=True)
        return _served(html, "miss")

    return wrapper
