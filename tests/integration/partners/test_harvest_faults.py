"""The fault matrix: whatever a partner portal does wrong, no reference is lost or altered.

Each case first harvests the partner cleanly, then removes one dataset upstream (so a run
taken for complete would withdraw it) and breaks the portal in one way on page 2 or later.
The run must end failed or partial, name the URL, withdraw nothing and leave every stored
reference exactly as it was.
"""

from __future__ import annotations

import time

import pytest
from ckan.tests.helpers import call_action

from tests.integration.harvest_support import ckan_partner_portal, harvest, references, register

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

JSON = {"Content-Type": "application/json"}


def _later_pages(fault):
    """Wrap the good portal: answer page 1 normally, then apply ``fault``."""

    def wrap(good):
        def handler(method, path, query):
            if int((query.get("start") or ["0"])[-1]) == 0:
                return good(method, path, query)
            return fault(method, path, query, good)

        return handler

    return wrap


def _slow(method, path, query, good):
    time.sleep(2.5)
    return good(method, path, query)


def _bad_record(method, path, query, good):
    status, headers, body = good(method, path, query)
    body["result"]["results"].insert(0, "not a package")
    return status, headers, body


def _truncated(method, path, query, good):
    status, headers, body = good(method, path, query)
    return 200, {**JSON, "X-Test-Content-Length": "999999"}, b'{"success": true, "result": {'


FAULTS = {
    "http-500": lambda m, p, q, g: (500, {}, "Internal Server Error"),
    "http-503-persistent": lambda m, p, q, g: (503, {"Retry-After": "0"}, "maintenance"),
    "http-429": lambda m, p, q, g: (429, {"Retry-After": "0"}, "Too Many Requests"),
    "http-404": lambda m, p, q, g: (404, JSON, {"success": False, "error": {"message": "nf"}}),
    "malformed-json": lambda m, p, q, g: (200, JSON, b'{"success": true, "result": {"count": '),
    "html-with-200": lambda m, p, q, g: (200, {"Content-Type": "text/html"}, "<html>Login</html>"),
    "truncated-body": _truncated,
    "redirect-loop": lambda m, p, q, g: (302, {"Location": f"{p}?{_qs(q)}"}, ""),
    "timeout": _slow,
    "too-large": lambda m, p, q, g: (200, JSON, b'{"x": "' + b"a" * 200_000 + b'"}'),
    "not-ckan-json": lambda m, p, q, g: (200, JSON, {"hello": "world"}),
    "success-false": lambda m, p, q, g: (
        200,
        JSON,
        {"success": False, "error": {"__type": "Search Query Error", "message": "boom"}},
    ),
    "empty-body": lambda m, p, q, g: (200, JSON, b""),
    "bad-record": _bad_record,
}


def _qs(query):
    return "&".join(f"{k}={v[-1]}" for k, v in query.items())


def _snapshot(partner):
    return {
        identifier: (p["metadata_modified"], p["reference_status"], p["title"], p["notes"])
        for identifier, p in references(partner).items()
    }


@pytest.mark.ckan_config("ckanext.partnercity.http_timeout", "1")
@pytest.mark.ckan_config("ckanext.partnercity.max_response_bytes", "100000")
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_loses_and_alters_nothing(fault):
    with ckan_partner_portal() as portal:
        register("alba-iulia", portal.url)
        first = harvest("alba-iulia")
        assert first["status"] == "succeeded", first["errors"]
        before = _snapshot("alba-iulia")
        assert len(before) >= 5

        portal.datasets.pop()  # a complete run would now withdraw one reference
        portal.handler = _later_pages(FAULTS[fault])(portal.good_handler)
        run = harvest("alba-iulia")

        assert run["status"] in ("failed", "partial"), (fault, run)
        assert run["counts"]["withdrawn"] == 0
        assert run["counts"]["failed"] >= 1
        assert run["errors"], fault
        assert any(portal.url in (error.get("url") or "") for error in run["errors"]), run
        assert _snapshot("alba-iulia") == before


def test_connection_refused_loses_nothing():
    with ckan_partner_portal() as portal:
        register("alba-iulia", portal.url)
        harvest("alba-iulia")
        before = _snapshot("alba-iulia")
    # The portal is gone: its port now refuses connections.
    run = harvest("alba-iulia")
    assert run["status"] == "failed"
    assert "connection" in run["errors"][0]["message"]
    assert _snapshot("alba-iulia") == before


def test_transient_errors_are_retried():
    with ckan_partner_portal() as portal:
        register("alba-iulia", portal.url)
        failures = {"left": 2}

        def flaky(method, path, query):
            if failures["left"]:
                failures["left"] -= 1
                return 503, {"Retry-After": "0"}, "busy"
            return portal.good_handler(method, path, query)

        portal.handler = flaky
        run = harvest("alba-iulia")
    assert run["status"] == "succeeded", run["errors"]
    assert run["counts"]["created"] >= 5


def test_partner_url_turned_private_is_refused(ckan_config, monkeypatch):
    with ckan_partner_portal() as portal:
        register("alba-iulia", portal.url)
        harvest("alba-iulia")
        before = _snapshot("alba-iulia")
        monkeypatch.setitem(ckan_config, "ckanext.partnercity.allow_private_urls", False)
        run = harvest("alba-iulia")
    assert run["status"] == "failed"
    assert "internal address" in run["errors"][0]["message"]
    assert _snapshot("alba-iulia") == before
    assert call_action("partnercity_partner_show", id="alba-iulia")["references_active"] == len(
        before
    )
