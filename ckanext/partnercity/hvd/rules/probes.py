"""Opt-in live probes: does the API answer with data, do downloads and documentation resolve?

Observations at one moment, not legal findings, so the probe rules are warnings. Requests
follow the project's URL policy (re-checked per redirect), are bounded in time and size,
throttled per host and cached per URL for the lifetime of a :class:`Prober`.
"""

from __future__ import annotations

import dataclasses
import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests

from ckanext.partnercity.harvesters.urls import PartnerUrlError, check_partner_url

from .model import Node, ident

HUMAN_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
REDIRECTS = frozenset({301, 302, 303, 307, 308})


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
    timeout: float = 10.0
    min_interval: float = 1.0
    max_bytes: int = 64 * 1024
    max_redirects: int = 5
    allow_private: bool = False
    user_agent: str = "ckanext-partnercity HVD probe"
    session: requests.Session = field(default_factory=requests.Session)
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    cache: dict = field(default_factory=dict)
    _last: dict = field(default_factory=dict)
    requests_made: int = 0

    def probe(self, url: str) -> ProbeResult:
        if url not in self.cache:
            result = self._fetch(url)
            stamp = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
            self.cache[url] = dataclasses.replace(result, checked_at=stamp)
        return self.cache[url]

    def _wait(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            delay = self.min_interval - (self.clock() - last)
            if delay > 0:
                self.sleep(delay)
        self._last[host] = self.clock()

    def _fetch(self, url: str) -> ProbeResult:
        current = url
        for _ in range(self.max_redirects + 1):
            try:
                check_partner_url(current, allow_private=self.allow_private)
            except PartnerUrlError as exc:
                return ProbeResult(url, False, None, "", f"refused: {exc}")
            self._wait(urlsplit(current).hostname or "")
            self.requests_made += 1
            try:
                with self.session.get(
                    current,
                    headers={"User-Agent": self.user_agent, "Accept": "*/*"},
                    timeout=self.timeout,
                    stream=True,
                    allow_redirects=False,
                ) as raw:
                    if raw.status_code in REDIRECTS and raw.headers.get("Location"):
                        current = urljoin(current, raw.headers["Location"])
                        continue
                    read = 0
                    for chunk in raw.iter_content(8192):
                        read += len(chunk)
                        if read >= self.max_bytes:
                            break
                    ctype = raw.headers.get("Content-Type", "").split(";")[0].strip().lower()
                    ok = 200 <= raw.status_code < 300
                    error = "" if ok else f"HTTP {raw.status_code}"
                    return ProbeResult(url, ok, raw.status_code, ctype, error)
            except requests.Timeout:
                return ProbeResult(url, False, None, "", f"no answer within {self.timeout:g}s")
            except requests.RequestException as exc:
                return ProbeResult(url, False, None, "", f"request failed: {str(exc)[:150]}")
        return ProbeResult(url, False, None, "", f"more than {self.max_redirects} redirects")


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
