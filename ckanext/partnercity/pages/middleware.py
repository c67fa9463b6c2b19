"""Answer page-cache hits for anonymous visitors before CKAN's request cycle (IMiddleware).

Served through its Flask view, a cached page still costs CKAN's whole request cycle:
identifying the user, reading ``ckan.config_update`` from the database, the after-request
hooks; about 2.5 ms of CPU for what is one Redis read. Under load that is most of the work of
the citizen pages once they are cached, and it delays the pages that are not.

This middleware answers a hit itself when the request is certainly anonymous: a GET under
a cached path, no API token, no ``REMOTE_USER``, no remember-me cookie, a session without a
user and without flash messages, and no IAuthenticator plugin that could identify a user
some other way. It serves the body ``page_cache.cached_page`` stored, with the current
visitor's CSRF token (saved in their session as Flask-WTF does) and the response headers
the same page got through CKAN (its own, other plugins', caching headers), which it keeps
next to the body when the page passes through: a page is only answered here once CKAN
has answered it for an anonymous visitor in the same cache generation.

Anything else, and any failure, passes the request on to CKAN unchanged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

import ckan.plugins as p
from flask import Flask, session
from werkzeug.http import parse_cookie

from ckanext.partnercity import settings
from ckanext.partnercity.compat import ckan as compat
from ckanext.partnercity.lod.negotiate import negotiate
from ckanext.partnercity.pages import cache as page_cache

log = logging.getLogger(__name__)

# The cached views live under these paths (views.py, page_views.py); other requests are
# passed on without a look at Redis.
PATHS = ("/partner-cities", "/themes")
NOT_REPLAYED = {"set-cookie", "content-length", page_cache.HEADER.lower()}
ACCOUNT_HEADERS = ("HTTP_AUTHORIZATION", "HTTP_X_CKAN_API_KEY", "REMOTE_USER")

StartResponse = Callable[..., Any]


def _headers_key(page_key: str) -> str:
    return page_key + ":headers"


class CachedHits:
    """WSGI middleware around CKAN's Flask app (see the module's docstring)."""

    def __init__(self, app: Any, flask_app: Any) -> None:
        self.app = app
        self.flask_app = flask_app
        self.remember_cookie = flask_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
        self.api_header = "HTTP_" + (
            str(flask_app.config.get("apikey_header_name") or "X-CKAN-API-Key")
            .upper()
            .replace("-", "_")
        )

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "GET":
            return self.app(environ, start_response)
        # CKAN 2.12 strips the language from the path inside Flask, after IMiddleware; 2.11
        # before it. Done here, CKAN finds it done (it does it once per request).
        compat.handle_i18n(environ)
        if not self._may_be_anonymous(environ):
            return self.app(environ, start_response)
        try:
            answer, key = self._answer(environ)
        except Exception:  # noqa: BLE001  (Redis, a session backend: CKAN answers instead)
            log.warning("cached hit not served for %s", environ.get("PATH_INFO"), exc_info=True)
            answer, key = None, None
        if answer is not None:
            return answer(environ, start_response)
        if key is None:
            return self.app(environ, start_response)
        return self.app(environ, self._keeping_headers(key, start_response))

    def _may_be_anonymous(self, environ: dict) -> bool:
        """What the environ alone tells: a cached page, no account in sight."""
        path = environ.get("PATH_INFO") or ""
        if not any(path == prefix or path.startswith(prefix + "/") for prefix in PATHS):
            return False
        if any(environ.get(name) for name in (*ACCOUNT_HEADERS, self.api_header)):
            return False
        if negotiate(environ.get("HTTP_ACCEPT")) is not None:
            return False  # an RDF client of /partner-cities: the graph, not the cached page
        cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
        if self.remember_cookie in cookies:
            return False
        return settings.page_cache_seconds() > 0 and not _authenticator_plugins()

    def _answer(self, environ: dict) -> tuple[Any | None, str | None]:
        """(the response of a hit, None) or (None, the page's key, to keep its headers);
        (None, None) when the visitor is not anonymous after all."""
        with self.flask_app.request_context(environ):
            if session.get("_user_id") or session.get("_flashes"):
                return None, None
            cache = page_cache.store()
            key = page_cache.page_key(cache)
            body, headers = cache.get_many(key, _headers_key(key))  # one MGET
            if not isinstance(body, str) or headers is None:
                return None, key
            html = page_cache.with_visitor_token(body)
            response = self.flask_app.response_class(html, headers=headers)
            response.headers[page_cache.HEADER] = "hit"
            self.flask_app.session_interface.save_session(self.flask_app, session, response)
            return response, None

    def _keeping_headers(self, key: str, start_response: StartResponse) -> StartResponse:
        """start_response that also keeps the headers of a page the cache stored or served."""

        def keeping(status: str, headers: list[tuple[str, str]], exc_info=None):
            names = {name.lower(): value for name, value in headers}
            if status.startswith("200") and names.get(page_cache.HEADER.lower()):
                kept = [(n, v) for n, v in headers if n.lower() not in NOT_REPLAYED]
                page_cache.keep_value(_headers_key(key), kept)
            if exc_info is not None:
                return start_response(status, headers, exc_info)
            return start_response(status, headers)

        return keeping


def flask_app_of(app: Any) -> Flask | None:
    """The Flask app inside the middleware CKAN hands to IMiddleware (it may be wrapped)."""
    for _ in range(20):
        if isinstance(app, Flask):
            return app
        app = getattr(app, "app", None) or getattr(app, "wsgi_app", None)
        if app is None:
            break
    log.warning("no Flask app found under the middleware: cached hits go through CKAN")
    return None


def _authenticator_plugins() -> bool:
    """An IAuthenticator plugin may know users by means this middleware cannot see."""
    return any(True for _ in p.PluginImplementations(p.IAuthenticator))
