"""HTTP for harvesters: every partner request goes through here.

Partners are slow, flaky and untrusted. This client re-checks the URL policy at
every redirect hop, caps body sizes, lets urllib3 retry 5xx/429 (honouring
Retry-After), ends every request at a total deadline (redirects and retries included, a
server dripping bytes too), and turns every failure into a HarvestError naming the URL. The
HVD probes use it too (``peek``), so there is one redirect loop with the URL policy.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

import requests
from urllib3.exceptions import InvalidHeader
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from ckanext.partnercity.harvesters import deadline as deadlines
from ckanext.partnercity.harvesters.base import HarvestError
from ckanext.partnercity.harvesters.deadline import Deadline, Watch, WatchedAdapter
from ckanext.partnercity.harvesters.urls import PartnerUrlError, check_partner_url
from ckanext.partnercity.harvesters.values import loads

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024
PEEK_BYTES = 64 * 1024
#: A request's total deadline, unless the client sets its own: this many times its timeout.
DEADLINE_FACTOR = 2

#: Called with each hop's URL just before its request goes out (after the URL policy passed).
BeforeHop = Callable[[str], None]


class UrlRefused(HarvestError):
    """The URL policy refused a URL (the first or a redirect target): nothing was sent to it.

    A subclass so callers reporting rather than raising (probes) can say "refused".
    """


class HttpStatusError(HarvestError):
    """The partner answered with an error status (after retries); ``status`` says which, so
    a harvester trying several addresses can tell "not here" (404) from "broken" (5xx)."""

    def __init__(self, message: str, url: str = "", status: int = 0) -> None:
        super().__init__(message, url)
        self.status = status


class TruncatedBody(HarvestError):
    """The connection closed before the announced body was complete; worth a retry."""


@dataclass
class Response:
    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


@dataclass
class Download:
    """A body streamed to a file: catalogues of hundreds of MB never sit in memory."""

    url: str
    status: int
    headers: Mapping[str, str]
    path: Path
    size: int

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()


class PartnerRetry(Retry):
    """urllib3's retries, waiting through the client's ``sleep`` and never over ``max_wait``.

    Backoff starts at ``backoff_factor`` on the first retry (urllib3 waits 0 there).
    """

    RETRY_AFTER_STATUS_CODES = RETRY_STATUSES
    wait: Callable[[float], None] = staticmethod(time.sleep)
    max_wait: float = 60.0

    def new(self, **kw: Any) -> PartnerRetry:
        retry = super().new(**kw)
        retry.wait, retry.max_wait = self.wait, self.max_wait
        return retry

    def increment(self, *args: Any, **kw: Any) -> PartnerRetry:
        retry = super().increment(*args, **kw)
        response = kw.get("response")
        if response is not None:
            # urllib3 would drain the body it retries past, unbounded: drop the connection.
            response.close()
        return retry

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        try:
            delay = self.get_retry_after(response) if response is not None else None
        except InvalidHeader:
            delay = None
        if delay is None:
            delay = self.backoff_factor * 2 ** max(len(self.history) - 1, 0)
        delay = min(delay, self.max_wait)
        watch = deadlines.current()
        if watch is not None and delay >= watch.deadline.remaining():
            # Waiting would outlast the request's deadline: give up now, not after the wait.
            raise watch.deadline.error()  # the URL is added by HttpClient._once
        self.wait(delay)


@dataclass(frozen=True)
class Ask:
    """What one request wants back: its Accept header, and where the body goes (memory,
    ``sink`` on disk, or only its first ``peek`` bytes); ``timeout`` only shortens the client's."""

    accept: str
    sink: Path | None = None
    peek: int | None = None
    timeout: float | None = None


@dataclass
class HttpClient:
    """``timeout`` bounds each connect and read; ``deadline`` (default ``timeout`` ×
    DEADLINE_FACTOR) each whole request; ``run_deadline``, when given, every request."""

    timeout: float = 30.0
    max_bytes: int = 50 * 1024 * 1024
    allow_private: bool = False
    user_agent: str = "ckanext-partnercity"
    retries: int = 3
    backoff: float = 0.5
    max_retry_after: float = 60.0
    max_redirects: int = 5
    sleep: Callable[[float], None] = time.sleep
    session: requests.Session = field(default_factory=requests.Session)
    deadline: float | None = None
    run_deadline: Deadline | None = None

    def __post_init__(self) -> None:
        retry = PartnerRetry(
            total=self.retries,
            connect=0,
            read=False,
            other=0,
            status=self.retries,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"GET"}),
            backoff_factor=self.backoff,
            raise_on_status=False,
            respect_retry_after_header=True,
        )
        retry.wait, retry.max_wait = self.sleep, self.max_retry_after
        adapter = WatchedAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def get(
        self, url: str, *, params: Mapping[str, Any] | None = None, accept: str = "*/*"
    ) -> Response:
        """GET with the policy, redirects, size cap and retries; raise HarvestError."""
        return self._request(_with_params(url, params), accept, None)

    def download_to(
        self,
        url: str,
        path: str | Path,
        *,
        params: Mapping[str, Any] | None = None,
        accept: str = "*/*",
    ) -> Download:
        """Like ``get``, but stream the body into ``path`` (same policy, cap and retries).

        For documents too large to hold in memory. The file is rewritten on every
        attempt and redirect hop, so it only ever holds the final body.
        """
        path = Path(path)
        response = self._request(_with_params(url, params), accept, path)
        return Download(
            url=response.url,
            status=response.status,
            headers=response.headers,
            path=path,
            size=path.stat().st_size,
        )

    def peek(
        self,
        url: str,
        *,
        limit: int = PEEK_BYTES,
        timeout: float | None = None,
        accept: str = "*/*",
        before_hop: BeforeHop | None = None,
    ) -> Response:
        """GET the status, headers and at most the first ``limit`` bytes of a URL.

        For probes, which report what a URL answers: a 4xx/5xx is returned, not raised, and a
        body larger than ``limit`` (or ``max_bytes``) is cut short rather than refused. The URL
        policy, redirects and retries are those of ``get``; ``timeout`` can only shorten the
        client's. Refusals, network failures and bad redirects still raise HarvestError
        (``UrlRefused`` for the policy). ``before_hop`` lets a caller throttle every request.
        """
        ask = Ask(accept, peek=max(0, min(limit, self.max_bytes)), timeout=timeout)
        return self._follow(url, ask, before_hop)

    def request_seconds(self, timeout: float | None = None) -> float:
        """How long one request may take in all (``timeout`` only shortens the client's)."""
        if timeout is not None and timeout < self.timeout:
            return min(timeout * DEADLINE_FACTOR, self.request_seconds())
        return self.deadline if self.deadline is not None else self.timeout * DEADLINE_FACTOR

    def _request(self, url: str, accept: str, sink: Path | None) -> Response:
        response = self._follow(url, Ask(accept, sink))
        if response.status in RETRY_STATUSES:  # still failing once urllib3's retries ran out
            raise HttpStatusError(
                f"HTTP {response.status} after {self.retries + 1} attempts",
                response.url,
                response.status,
            )
        if response.status >= 400:
            raise HttpStatusError(f"HTTP {response.status}", response.url, response.status)
        return response

    def get_json(self, url: str, *, params: Mapping[str, Any] | None = None) -> Any:
        """GET a JSON document; HTML or malformed JSON is an error, not data."""
        response = self.get(url, params=params, accept="application/json")
        body = response.content.lstrip()
        if response.content_type in ("text/html", "application/xhtml+xml") or body[:1] == b"<":
            raise HarvestError(
                "expected JSON but the portal answered with HTML (a login or error page?)",
                response.url,
            )
        try:
            return loads(body)
        except ValueError as exc:
            raise HarvestError(f"malformed JSON: {exc}", response.url) from None

    def _follow(self, url: str, ask: Ask, before_hop: BeforeHop | None = None) -> Response:
        """The one redirect loop: the URL policy is checked before every hop's request, and
        one deadline covers all hops and retries."""
        deadline = Deadline.after(self.request_seconds(ask.timeout)).sooner(self.run_deadline)
        with Watch(deadline, self.allow_private) as watch:
            return self._hops(url, ask, watch, before_hop)

    def _hops(self, url: str, ask: Ask, watch: Watch, before_hop: BeforeHop | None) -> Response:
        seen: set[str] = set()
        for _ in range(self.max_redirects + 1):
            watch.deadline.check(url)
            try:
                check_partner_url(url, allow_private=self.allow_private)
            except PartnerUrlError as exc:
                raise UrlRefused(str(exc), url) from None
            if url in seen:
                raise HarvestError("redirect loop", url)
            seen.add(url)
            if before_hop is not None:
                before_hop(url)
            response = self._once(url, ask, watch)
            if response.status not in REDIRECT_STATUSES:
                return response
            location = response.headers.get("Location")
            if not location:
                raise HarvestError(f"HTTP {response.status} without a Location", url)
            url = urljoin(url, location)
        raise HarvestError(f"more than {self.max_redirects} redirects", url)

    def _once(self, url: str, ask: Ask, watch: Watch) -> Response:
        try:
            response = self._exchange(url, ask, watch)
        except HarvestError as exc:
            if watch.expired:  # whatever the cut connection looked like to the reader
                raise watch.deadline.error(url) from None
            exc.url = exc.url or url
            raise
        if watch.expired:  # a body without Content-Length ends cleanly when its socket is cut
            raise watch.deadline.error(url)
        return response

    def _exchange(self, url: str, ask: Ask, watch: Watch) -> Response:
        headers = {"User-Agent": self.user_agent, "Accept": ask.accept}
        timeout = self.timeout if ask.timeout is None else min(ask.timeout, self.timeout)
        try:
            with self.session.get(
                url, headers=headers, timeout=timeout, stream=True, allow_redirects=False
            ) as raw:
                content = self._body(raw, url, ask, watch)
                return Response(
                    url=url, status=raw.status_code, headers=raw.headers, content=content
                )
        except requests.Timeout:
            raise HarvestError(f"no answer within {timeout:g}s (timeout)", url) from None
        except requests.exceptions.ChunkedEncodingError:
            raise TruncatedBody("response body truncated (connection closed early)", url) from None
        except requests.ConnectionError as exc:
            raise HarvestError(f"connection failed: {_reason(exc)}", url) from None
        except requests.RequestException as exc:
            raise HarvestError(f"request failed: {exc}", url) from None

    def _body(self, raw: requests.Response, url: str, ask: Ask, watch: Watch) -> bytes:
        """Read the body as asked: its first ``peek`` bytes, capped into memory, or to ``sink``."""
        if ask.peek is not None:
            return _read_first(raw, ask.peek, watch)
        declared = raw.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise HarvestError(
                f"response of {int(declared)} bytes exceeds the limit of {self.max_bytes}", url
            )
        if ask.sink is None:
            return self._read_capped(raw, url, watch)
        with open(ask.sink, "wb") as out:
            self._read_capped(raw, url, watch, out)
        return b""

    def _read_capped(
        self, raw: requests.Response, url: str, watch: Watch, out: IO[bytes] | None = None
    ) -> bytes:
        chunks, size = [], 0
        for chunk in raw.iter_content(CHUNK):
            _check(watch, url)
            size += len(chunk)
            if size > self.max_bytes:
                raise HarvestError(f"response exceeds the limit of {self.max_bytes} bytes", url)
            if out is None:
                chunks.append(chunk)
            else:
                out.write(chunk)
        return b"".join(chunks)


def _check(watch: Watch, url: str) -> None:
    """The read loop's own look at the clock, between chunks."""
    if watch.expired or watch.deadline.expired():
        raise watch.deadline.error(url)


def _read_first(raw: requests.Response, limit: int, watch: Watch) -> bytes:
    """At most ``limit`` bytes; the rest is never read (closing drops the connection)."""
    chunks: list[bytes] = []
    size = 0
    if limit <= 0:
        return b""
    for chunk in raw.iter_content(min(CHUNK, limit)):
        _check(watch, raw.url or "")
        chunks.append(chunk[: limit - size])
        size += len(chunks[-1])
        if size >= limit:
            break
    return b"".join(chunks)


def _with_params(url: str, params: Mapping[str, Any] | None) -> str:
    if not params:
        return url
    parts = urlsplit(url)
    query = urlencode([(k, v) for k, v in params.items() if v is not None], doseq=True)
    joined = f"{parts.query}&{query}" if parts.query else query
    return urlunsplit(parts._replace(query=joined))


def _reason(exc: Exception) -> str:
    text = str(exc)
    if "Connection refused" in text:
        return "connection refused"
    if "Name or service not known" in text or "getaddrinfo" in text:
        return "host not found"
    return text[:200]
