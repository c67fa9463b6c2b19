"""The udata fault matrix: whatever a udata portal does wrong, no reference is lost or altered.

Each case harvests the recorded portal cleanly (three pages of two), removes one dataset
upstream (so a run taken for complete would withdraw it), then breaks page 2 or later in
one way. The run must end failed or partial, name the URL, withdraw nothing and leave every
stored reference exactly as it was.
"""

from __future__ import annotations

import time

import pytest

from tests.integration.harvest_support import harvest, references, register
from tests.support.drip_server import drip
from tests.support.udata_portal import DATASETS_PATH, JSON, udata_portal

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

DVF = "5c4ae55a634f4117716d5656"
DRIP = {"url": ""}  # the drip server of the running case, for the redirect to it


def _later_pages(fault, good):
    """Page 1 of the listing as recorded; ``fault`` on every later page."""

    def handler(method, path, query):
        if path != DATASETS_PATH or query.get("page", ["1"])[-1] == "1":
            return good(method, path, query)
        return fault(method, path, query, good)

    return handler


def _next_page(target):
    """Page 2 answered well, but linking ``target(base, query)`` as next_page."""

    def fault(method, path, query, good):
        status, headers, body = good(method, path, query)
        body["next_page"] = target(good.base, query)
        return status, headers, body

    return fault


def _endless(base, query):
    page = int(query["page"][-1])
    return f"{base}{DATASETS_PATH}?sort=created&page_size=2&page={page + 1}"


def _endless_pages(method, path, query, good):
    """Every page after the first repeats page 2's datasets and links one more page."""
    status, headers, body = good(method, path, {**query, "page": ["2"]})
    body["next_page"] = _endless(good.base, query)
    return status, headers, body


def _bad_record(method, path, query, good):
    status, headers, body = good(method, path, query)
    body["data"].insert(0, "not a dataset")
    return status, headers, body


def _slow(method, path, query, good):
    time.sleep(2.5)
    return good(method, path, query)


FAULTS = {
    "http-500": lambda m, p, q, g: (500, {}, "Internal Server Error"),
    "http-503-persistent": lambda m, p, q, g: (503, {"Retry-After": "0"}, "maintenance"),
    "html-with-200": lambda m, p, q, g: (200, {"Content-Type": "text/html"}, "<html>Login</html>"),
    "wrong-content-type": lambda m, p, q, g: (200, {"Content-Type": "text/csv"}, "id;title\n1;x"),
    "malformed-json": lambda m, p, q, g: (200, JSON, b'{"data": [{"id": "5c4ae55a'),
    "not-a-udata-answer": lambda m, p, q, g: (200, JSON, {"results": [], "total_count": 0}),
    "too-large": lambda m, p, q, g: (200, JSON, b'{"data": ["' + b"a" * 500_000 + b'"]}'),
    "timeout": _slow,
    "slow-drip": lambda m, p, q, g: (302, {"Location": DRIP["url"] + "/api/1/datasets/"}, ""),
    "next-page-loop": _next_page(lambda base, q: f"{base}{DATASETS_PATH}?{_qs(q, page='1')}"),
    "next-page-never-ends": _endless_pages,
    "next-page-other-host": _next_page(lambda base, q: "https://evil.example/api/1/datasets/"),
    "bad-record": _bad_record,
}


def _qs(query, **override):
    merged = {**{k: v[-1] for k, v in query.items()}, **override}
    return "&".join(f"{k}={v}" for k, v in merged.items())


def _snapshot(partner):
    return {
        identifier: (p["metadata_modified"], p["reference_status"], p["title"], p["notes"])
        for identifier, p in references(partner).items()
    }


@pytest.mark.ckan_config("ckanext.partnercity.page_size", "2")
@pytest.mark.ckan_config("ckanext.partnercity.http_timeout", "1")
@pytest.mark.ckan_config("ckanext.partnercity.max_response_bytes", "400000")
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_udata_fault_loses_and_alters_nothing(fault):
    with udata_portal() as portal, drip(0.2) as slow:
        DRIP["url"] = slow.url
        good = portal.portal
        register("datagouv", portal.url, portal_type="udata", country="FR")
        first = harvest("datagouv")
        assert first["status"] == "succeeded", first["errors"]
        before = _snapshot("datagouv")
        assert len(before) == 5

        good.datasets[:] = [d for d in good.datasets if d["id"] != DVF]
        portal.handler = _later_pages(FAULTS[fault], good)
        run = harvest("datagouv")

    assert run["status"] in ("failed", "partial"), (fault, run)
    assert run["counts"]["withdrawn"] == 0
    assert run["counts"]["failed"] >= 1
    assert run["errors"], fault
    # The URL that failed: the portal's page, or where it redirected (the drip server)
    assert any((e.get("url") or "").startswith((portal.url, slow.url)) for e in run["errors"]), run
    assert _snapshot("datagouv") == before


@pytest.mark.ckan_config("ckanext.partnercity.page_size", "2")
def test_page_two_is_what_fails_in_every_case():
    """The matrix breaks the listing midway: page 1 is read and applied first."""
    with udata_portal() as portal:
        register("datagouv", portal.url, portal_type="udata", country="FR")
        good = portal.portal
        portal.handler = _later_pages(FAULTS["http-500"], good)
        run = harvest("datagouv")
        pages = [r.param("page") for r in portal.requests if r.path == DATASETS_PATH]
    assert pages[0] == "1" and set(pages[1:]) == {"2"}  # 500s are retried, page 3 never asked
    assert run["status"] == "partial" and run["counts"]["created"] == 2
    (error,) = [e for e in run["errors"] if "HTTP 500" in e["message"]]
    assert error["url"].startswith(f"{portal.url}{DATASETS_PATH}?") and "page=2" in error["url"]
