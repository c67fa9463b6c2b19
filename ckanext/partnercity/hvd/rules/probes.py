"""Opt-in live probes: does the API answer with data, do downloads and documentation resolve?

Observations at one moment, not legal findings, so the probe rules are warnings. Requests go
through the partner :class:`HttpClient` (its URL policy re-checked per redirect, its timeout,
retries and caps) and read only the first bytes; on top of it a :class:`Prober` throttles per
host and caches per URL for its lifetime.
"""

from __future__ import annotations

import dataclasses
import datetime
import time
from collections.abc import Callable
from dataclasses import InitVar, dataclass, field
from urllib.parse import urlsplit

from ckanext.partnercity.harvesters.base import HarvestError
from ckanext.partnercity.harvesters.http import PEEK_BYTES, HttpClient, Response, UrlRefused

from .model import Node, ident

HUMAN_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
PROBE_USER_AGENT = "ckanext-partnercity HVD probe"


@dataclass(frozen=True)
class ProbeResult:
    url: str
    ok: bool
    status: int | None
    content_type: str
    error: str = ""
    #: when the answer was seen (UTC, ISO 8601): a probe records one moment in time
    checked_at: str = ""

    @property
    def machine_readable(self) -> bool:
        return self.ok and bool(self.content_type) and self.content_type not in HUMAN_TYPES

    def describe(self) -> str:
        when = f" (checked {self.checked_at})" if self.checked_at else ""
        if self.error:
            return f"{self.url}: {self.error}{when}"
        return f"{self.url}: HTTP {self.status} {self.content_type or '(no content type)'}{when}"


@dataclass
class Prober:
    """Live probes over one HttpClient: throttled per host (every hop), cached per URL.

    Pass the caller's ``client`` (the portal's or the CLI's) so probes follow its policy;
    without one, a client without retries is built from ``allow_private``, ``user_agent`` and
    ``max_redirects``. ``timeout`` can only shorten the client's; ``max_bytes`` is how much
    of each body is read.
    """

    timeout: float = 10.0
    min_interval: float = 1.0
    max_bytes: int = PEEK_BYTES
    client: HttpClient | None = None
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    cache: dict[str, ProbeResult] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)
    requests_made: int = 0
    allow_private: InitVar[bool] = False
    user_agent: InitVar[str] = PROBE_USER_AGENT
    max_redirects: InitVar[int] = 5

    def __post_init__(self, allow_private: bool, user_agent: str, max_redirects: int) -> None:
        if self.client is None:
            self.client = HttpClient(
                timeout=self.timeout,
                allow_private=allow_private,
                user_agent=user_agent,
                max_redirects=max_redirects,
                retries=0,
                sleep=self.sleep,
            )

    def probe(self, url: str) -> ProbeResult:
        if url not in self.cache:
            result = self._fetch(url)
            stamp = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
            self.cache[url] = dataclasses.replace(result, checked_at=stamp)
        return self.cache[url]

    def _before_hop(self, url: str) -> None:
        """Called by the client before each request, redirect hops included."""
        self._wait(urlsplit(url).hostname or "")
        self.requests_made += 1

    def _wait(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            delay = self.min_interval - (self.clock() - last)
            if delay > 0:
                self.sleep(delay)
        self._last[host] = self.clock()

    def _fetch(self, url: str) -> ProbeResult:
        assert self.client is not None  # set in __post_init__
        try:
            answer = self.client.peek(
                url, limit=self.max_bytes, timeout=self.timeout, before_hop=self._before_hop
            )
        except UrlRefused as exc:
            return ProbeResult(url, False, None, "", f"refused: {exc.message}")
        except HarvestError as exc:
            return ProbeResult(url, False, None, "", exc.message[:200])
        return _result(url, answer)


def _result(url: str, answer: Response) -> ProbeResult:
    """What a probe reports: any 2xx is an answer; other statuses are named, not raised."""
    ok = 200 <= answer.status < 300
    error = "" if ok else f"HTTP {answer.status}"
    return ProbeResult(url, ok, answer.status, answer.content_type, error)


def probe_url(node: Node, record, path: str, expect: str = "answer", prober=None):
    """Engine predicate: every URL at ``path`` answers (``expect: data`` = not an HTML page)."""
    urls = [ident(v) for v in node.values(path)]
    if not urls or prober is None:
        return None, "nothing to probe"
    results = [prober.probe(u) for u in urls]
    if expect == "data":
        bad = [r for r in results if not r.machine_readable]
    else:
        bad = [r for r in results if not r.ok]
    return not bad, "; ".join(r.describe() for r in (bad or results))
