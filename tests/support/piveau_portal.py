"""A piveau instance for tests and the demo: ``/api/hub/search/search`` over real documents.

It pages the way hub-search does (``page`` from 0, ``limit`` up to 1000, ``from + size`` within
Elasticsearch's 10 000 result window, else HTTP 400), sorts by ``id`` when asked
(``sort=id+asc``; ``+`` arrives as a space), filters ``facets={"catalog": [..],
"publisher": [..], "country": [..]}`` (values within a facet ORed, facets ANDed) and answers
``{"success": true, "result": {"count": N, "results": [..], "facets": []}}``.

``page_cap`` imitates an instance configured with a lower page size: it answers at most that
many per page, counting pages at that size.

Usage (the demo): ``serve(piveau_portal(load_documents()))`` serves every real response in
``tests/fixtures/piveau/`` as one instance.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.support.http_server import Handler, Query

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "piveau"
SEARCH_PATH = "/api/hub/search/search"
FIXTURE_FILES = (
    "piveau-hub-search_example_search_response.json",
    "data-europa-eu_search_via-university-college_documented.json",
)
LIMIT_MAX = 1000
RESULT_WINDOW = 10_000
JSON = {"Content-Type": "application/json; charset=utf-8"}


def load_response(name: str) -> dict:
    """One fixture file: a hub-search answer as the instance sent it."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def load_documents(*names: str) -> list[dict]:
    """The dataset documents of fixture responses (all of them by default), in file order."""
    return [
        doc for name in names or FIXTURE_FILES for doc in load_response(name)["result"]["results"]
    ]


class SearchError(Exception):
    """A request hub-search answers with HTTP 400."""


def piveau_portal(
    documents: list[dict], *, page_cap: int | None = None, window: int = RESULT_WINDOW
) -> Handler:
    """A ``tests.support.http_server`` handler answering like piveau hub-search."""

    def handle(method: str, path: str, query: Query):
        if path != SEARCH_PATH:
            return 404, JSON, {"success": False, "message": f"no route {path}"}
        try:
            return 200, JSON, search(documents, query, page_cap=page_cap, window=window)
        except SearchError as exc:
            return 400, JSON, {"success": False, "message": str(exc)}

    return handle


def search(
    documents: list[dict], query: Query, *, page_cap: int | None = None, window: int = RESULT_WINDOW
) -> dict:
    """One hub-search answer for ``query``."""
    kinds = _one(query, "filters") or _one(query, "filter")
    hits = [d for d in documents if kinds is None or d.get("index", "dataset") == kinds]
    # Like hub-search, facets only apply to a search of one kind of document.
    facets = _facets(_one(query, "facets")) if kinds else {}
    hits = [d for d in hits if all(_matches(d, name, values) for name, values in facets.items())]
    sort = (_one(query, "sort") or "").replace("+", " ").split()
    if sort[:1] == ["id"]:
        hits.sort(key=lambda d: str(d.get("id", "")).lower(), reverse=sort[1:] == ["desc"])
    limit, page = _int(query, "limit", 10), _int(query, "page", 0)
    if limit > LIMIT_MAX:
        raise SearchError(f"limit must be at most {LIMIT_MAX}")
    size = min(limit, page_cap) if page_cap else limit
    start = page * size
    if start + size > window:
        raise SearchError(f"Result window is too large, from + size must be <= {window}")
    return {
        "success": True,
        "result": {"count": len(hits), "results": hits[start : start + size], "facets": []},
    }


def _facets(text: str | None) -> dict[str, list[str]]:
    if not text:
        return {}
    try:
        facets = json.loads(text)
    except ValueError:
        raise SearchError("facets is not JSON") from None
    if not isinstance(facets, dict):
        raise SearchError("facets must be an object")
    return {str(k): [str(v) for v in vs] for k, vs in facets.items() if vs}


def _matches(document: dict, facet: str, values: list[str]) -> bool:
    value: Any = document.get(facet)
    if facet == "publisher":
        found = value.get("name") if isinstance(value, dict) else None
    else:
        found = value.get("id") if isinstance(value, dict) else value
    return found in values


def _one(query: Query, name: str) -> str | None:
    values = query.get(name)
    return values[-1] if values else None


def _int(query: Query, name: str, default: int) -> int:
    text = _one(query, name)
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        raise SearchError(f"{name} must be an integer") from None
    if value < 0:
        raise SearchError(f"{name} must be at least 0")
    return value
