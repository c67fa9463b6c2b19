"""What detection finds, what it has seen, and the prober that spends its request budget.

Detection answers an admin pasting a URL, while they wait: every request goes through the
portal's one HttpClient (URL policy, private-address refusal, size caps, deadlines), counted
per hop so redirects spend the budget too, and without retries (a retried 503 would be
several requests). What partners answer is untrusted: strings are cut and control
characters dropped before they reach the answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import requests

from ckanext.partnercity.harvesters.base import HarvestError
from ckanext.partnercity.harvesters.deadline import Deadline
from ckanext.partnercity.harvesters.http import HttpClient, UrlRefused
from ckanext.partnercity.harvesters.values import loads

#: The most requests one detection sends (every redirect hop counts).
MAX_REQUESTS = 8
#: Publishers listed at most, the biggest first where the software can sort them.
MAX_PUBLISHERS = 50
#: Bytes read of any one answer: enough for a home page, a status or a publisher list.
PEEK_LIMIT = 1024 * 1024
#: One probe's timeout, and the whole detection's deadline (an admin is waiting).
PROBE_TIMEOUT = 10.0
TOTAL_SECONDS = 45.0
TEXT_MAX = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
JSON_ACCEPT = "application/json"


def clean(value: Any, limit: int = TEXT_MAX) -> str:
    """Partner text as one short line: control characters become spaces, then it is cut."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    text = " ".join(_CONTROL.sub(" ", str(value)).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Publisher:
    """A publisher the portal lists; ``id`` is what goes into the partner's source filter."""

    id: str
    name: str
    datasets: int | None = None

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "datasets": self.datasets}


@dataclass
class Detection:
    """The software found at a URL and the base URL its harvester wants."""

    portal_type: str
    portal_url: str
    title: str = ""
    evidence: list[str] = field(default_factory=list)
    #: None: not listed yet; a list (maybe empty) once the software's listing was read.
    publishers: list[Publisher] | None = None
    requests: int = 0

    def as_dict(self) -> dict:
        return {
            "portal_type": self.portal_type,
            "portal_url": self.portal_url,
            "title": clean(self.title),
            "publishers": [p.as_dict() for p in (self.publishers or [])[:MAX_PUBLISHERS]],
            "evidence": [clean(e, 300) for e in self.evidence],
            "requests": self.requests,
        }


class DetectionError(Exception):
    """Nothing recognisable, or the URL cannot be read; the message says what was tried."""

    def __init__(self, message: str, tried: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.tried = list(tried or [])


class BudgetSpent(Exception):
    """Raised before a hop when the request budget is used up (nothing is sent)."""


@dataclass
class Seen:
    """One answer as read: at most PEEK_LIMIT bytes (``complete`` says whether that was all)."""

    url: str
    status: int
    content_type: str
    body: bytes
    complete: bool

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def looks_html(self) -> bool:
        head = self.body[:512].lstrip().lower()
        return self.content_type in ("text/html", "application/xhtml+xml") or head.startswith(
            (b"<!doctype html", b"<html")
        )

    def json(self) -> Any:
        """The parsed JSON of a complete 2xx answer, else None (HTML, truncated, malformed)."""
        body = self.body.lstrip()
        if not (self.ok and self.complete and body[:1] in (b"{", b"[")):
            return None
        try:
            return loads(body)
        except ValueError:
            return None


@dataclass
class Prober:
    """GETs under the budget: each hop is counted before it goes out; failures are noted."""

    client: HttpClient
    budget: int = MAX_REQUESTS
    spent: int = 0
    tried: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @classmethod
    def around(cls, client: HttpClient, budget: int = MAX_REQUESTS) -> Prober:
        """A copy of ``client`` with its policy and caps, no retries, and one overall deadline."""
        deadline = Deadline.after(TOTAL_SECONDS, f"detection took over {TOTAL_SECONDS:g}s")
        quiet = replace(
            client,
            retries=0,
            session=requests.Session(),
            run_deadline=deadline.sooner(client.run_deadline),
        )
        return cls(quiet, budget)

    def left(self) -> int:
        return self.budget - self.spent

    def _count(self, url: str) -> None:
        if self.spent >= self.budget:
            raise BudgetSpent(url)
        self.spent += 1

    def fetch(self, url: str, accept: str = JSON_ACCEPT) -> Seen:
        """GET ``url``; raise UrlRefused, BudgetSpent or HarvestError (network, deadline)."""
        self.tried.append(url)
        limit = min(PEEK_LIMIT, self.client.max_bytes)
        response = self.client.peek(
            url, limit=limit + 1, timeout=PROBE_TIMEOUT, accept=accept, before_hop=self._count
        )
        body = response.content[:limit]
        return Seen(
            url=response.url,
            status=response.status,
            content_type=response.content_type,
            body=body,
            complete=len(response.content) <= limit,
        )

    def get(self, url: str, accept: str = JSON_ACCEPT) -> Seen | None:
        """Like ``fetch``, but a probe that fails or finds the budget spent is None."""
        if self.left() <= 0:
            return None
        try:
            return self.fetch(url, accept)
        except BudgetSpent:
            return None
        except (UrlRefused, HarvestError) as exc:
            self.failures.append(str(exc))
            return None


@dataclass(frozen=True)
class Signature:
    """How one portal software is recognised and its publishers listed.

    ``markers``: path segments where the software's own pages begin (its base URL is what
    precedes them); ``page``: evidence a page or URL shows (cheap, no request);
    ``identify``: a decision from the pasted URL's answer alone (a DCAT file, a CSW
    capabilities document); ``confirm``: one or two probes at a base URL;
    ``publishers``: the software's publisher listing (one request).
    """

    name: str
    portal_type: str
    markers: tuple[str, ...]
    page: Callable[[Seen], list[str]]
    confirm: Callable[[Prober, str], Detection | None]
    publishers: Callable[[Prober, Detection], list[Publisher]] | None = None
    identify: Callable[[Seen, str], Detection | None] | None = None
