"""The piveau fault matrix: whatever a piveau instance does wrong, no reference is lost.

Each case harvests the partner cleanly from real hub-search responses (one dataset per page),
then removes one dataset upstream (so a run taken for complete would withdraw it) and breaks
the instance in one way from page 1 on. The run must end failed or partial, name the URL of
the page that failed, withdraw nothing and leave every stored reference exactly as it was.
"""

from __future__ import annotations

import time

import pytest

from tests.integration.harvest_support import harvest, references
from tests.integration.partners.test_piveau import piveau_instance, register_piveau
from tests.support.drip_server import drip
from tests.support.piveau_portal import SEARCH_PATH

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

JSON = {"Content-Type": "application/json"}
RDF = b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'


def _page(query) -> int:
    return int((query.get("page") or ["0"])[-1])


def _later_pages(fault, good, drip_url):
    def handler(method, path, query):
        if _page(query) == 0:
            return good(method, path, query)
        return fault(method, path, query, good, drip_url)

    return handler


def _changed(change):
    """The good answer, changed by ``change(body, page)``."""

    def fault(method, path, query, good, drip_url):
        status, headers, body = good(method, path, query)
        change(body, _page(query))
        return status, headers, body

    return fault


def _bad_record(body, page):
    body["result"]["results"].insert(0, "not a dataset")


def _shrinks(body, page):
    body["result"]["count"] -= 1


def _short(body, page):
    body["result"]["results"] = []


def _endless(body, page):
    body["result"]["results"] = [{"id": f"endless-{page}", "title": {"en": f"Endless {page}"}}]
    body["result"]["count"] += 10 * page


def _repeats(method, path, query, good, drip_url):
    return good(method, path, {**query, "page": ["0"]})


def _slow(method, path, query, good, drip_url):
    time.sleep(2.5)
    return good(method, path, query)


FAULTS = {
    "http-500-midway": lambda m, p, q, g, d: (500, {}, "Internal Server Error"),
    "http-503-persistent": lambda m, p, q, g, d: (503, {"Retry-After": "0"}, "maintenance"),
    "html-with-200": lambda m, p, q, g, d: (200, {"Content-Type": "text/html"}, "<html>Login"),
    "wrong-content-type-rdf": lambda m, p, q, g, d: (200, {"Content-Type": "text/turtle"}, RDF),
    "wrong-content-type-csv": lambda m, p, q, g, d: (200, {"Content-Type": "text/csv"}, "id\n1"),
    "malformed-json": lambda m, p, q, g, d: (200, JSON, b'{"success": true, "result": {"count'),
    "not-hub-search-json": lambda m, p, q, g, d: (200, JSON, {"hello": "world"}),
    "oversize": lambda m, p, q, g, d: (200, JSON, b'{"x": "' + b"a" * 200_000 + b'"}'),
    "slow-answer": _slow,
    "slow-drip": lambda m, p, q, g, d: (302, {"Location": f"{d}{SEARCH_PATH}"}, ""),
    "paging-repeats": _repeats,
    "paging-never-ends": _changed(_endless),
    "count-shrinks": _changed(_shrinks),
    "empty-page-before-count": _changed(_short),
    "bad-record-among-good": _changed(_bad_record),
}


def _snapshot(partner: str) -> dict:
    return {
        identifier: (p["metadata_modified"], p["reference_status"], p["title"], p["notes"])
        for identifier, p in references(partner).items()
    }


@pytest.mark.ckan_config("ckanext.partnercity.http_timeout", "1")
@pytest.mark.ckan_config("ckanext.partnercity.max_response_bytes", "100000")
@pytest.mark.ckan_config("ckanext.partnercity.page_size", "1")
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_loses_and_alters_nothing(fault):
    with drip(0.1) as dripping, piveau_instance() as portal:
        register_piveau("aarhus", portal.url, ["da"])
        first = harvest("aarhus")
        assert first["status"] == "succeeded", first["errors"]
        before = _snapshot("aarhus")
        assert len(before) == 3

        # "1" sorts first: page 0 now holds "2", and the fault strikes from page 1 on.
        portal.documents[:] = [d for d in portal.documents if d["id"] != "1"]
        portal.handler = _later_pages(FAULTS[fault], portal.good_handler, dripping.url)
        run = harvest("aarhus")

    assert run["status"] in ("failed", "partial"), (fault, run)
    assert run["counts"]["withdrawn"] == 0
    assert run["counts"]["failed"] >= 1
    assert run["errors"], fault
    failed_at = dripping.url if fault == "slow-drip" else f"{portal.url}{SEARCH_PATH}"
    assert any((e.get("url") or "").startswith(failed_at) for e in run["errors"]), run["errors"]
    if fault != "slow-drip":
        assert any("page=" in (e.get("url") or "") for e in run["errors"]), run["errors"]
    after = _snapshot("aarhus")
    assert {key: after[key] for key in before} == before  # the one gone upstream stays active
    assert set(after) - set(before) <= {"endless-1", "endless-2", "endless-3"}
