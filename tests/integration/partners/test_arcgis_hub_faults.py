"""The ArcGIS Hub fault matrix: whatever a Hub site does wrong, no reference is lost or altered.

Each case harvests the real Évian feed cleanly, removes one dataset upstream (so a run taken
for complete would withdraw it), then breaks the site in one way. A Hub site publishes its
whole catalogue as one document, so most faults hit the only "page" there is: the run must
end failed (or partial, for one bad entry), name the feed URL, withdraw nothing and leave
every stored reference as it was.
"""

from __future__ import annotations

import json
import time

import pytest
from ckan.tests.helpers import call_action

from ckanext.partnercity.harvesters.portals.arcgis_hub import FEEDS
from tests.integration.harvest_support import harvest, references, register
from tests.support.arcgis_hub_portal import EVIAN, JSON, arcgis_hub_portal, feed_path, load_feed
from tests.support.drip_server import drip
from tests.support.http_server import serve

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

DCAT_US = feed_path("dcat-us")


def _feed_without_first() -> bytes:
    feed = json.loads(load_feed(EVIAN))
    feed["dataset"].pop(0)
    return json.dumps(feed).encode()


def _on_feed(answer):
    """Answer the DCAT-US feed path with ``answer``; the DCAT-AP ones stay 404."""

    def handler(method, path, query):
        if path == DCAT_US:
            return answer()
        return 404, {}, "not found"

    return handler


def _everywhere(answer):
    return lambda method, path, query: answer()


def _one_bad_entry():
    feed = json.loads(_feed_without_first())
    feed["dataset"].insert(3, ["not", "a", "dataset"])
    return 200, JSON, json.dumps(feed).encode()


def _slow():
    time.sleep(2.5)
    return 200, JSON, _feed_without_first()


BODY = _feed_without_first()

FAULTS = {
    "http-500": _on_feed(lambda: (500, {}, "Internal Server Error")),
    "http-503-persistent": _on_feed(lambda: (503, {"Retry-After": "0"}, "maintenance")),
    "html-with-200": _everywhere(
        lambda: (200, {"Content-Type": "text/html"}, "<!doctype html><title>Hub</title>")
    ),
    "truncated-feed": _on_feed(lambda: (200, JSON, BODY[: len(BODY) // 2])),
    "malformed-json": _on_feed(lambda: (200, JSON, BODY.replace(b'"title"', b'"title" "', 1))),
    "wrong-content-type": _everywhere(
        lambda: (200, {"Content-Type": "application/xml"}, '<?xml version="1.0"?><feed/>')
    ),
    "too-large": _on_feed(lambda: (200, JSON, BODY[:-1] + b', "x": "' + b"a" * 200_000 + b'"}')),
    "timeout": _on_feed(_slow),
    "no-feed-at-all": _everywhere(lambda: (404, {"Content-Type": "text/plain"}, "Not Found")),
    "bad-record": _on_feed(_one_bad_entry),
}


def _snapshot(partner):
    return {
        identifier: (p["metadata_modified"], p["reference_status"], p["title"], p["notes"])
        for identifier, p in references(partner).items()
    }


def _harvested_evian(hub):
    register("evian", hub.url, portal_type="arcgis_hub", country="FR")
    first = harvest("evian")
    assert first["status"] == "succeeded", first["errors"]
    before = _snapshot("evian")
    assert len(before) == 8
    return before


@pytest.mark.ckan_config("ckanext.partnercity.http_timeout", "1")
@pytest.mark.ckan_config("ckanext.partnercity.max_response_bytes", "100000")
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_loses_and_alters_nothing(fault):
    assert len(FAULTS) >= 8
    with serve(arcgis_hub_portal(load_feed(EVIAN))) as hub:
        before = _harvested_evian(hub)
        hub.handler = FAULTS[fault]
        run = harvest("evian")

    assert run["status"] in ("failed", "partial"), (fault, run)
    assert run["counts"]["withdrawn"] == 0
    assert run["counts"]["failed"] >= 1
    assert any(hub.url in (error.get("url") or "") for error in run["errors"]), run
    assert _snapshot("evian") == before


@pytest.mark.ckan_config("ckanext.partnercity.http_timeout", "1")
def test_truncated_feed_is_asked_three_times_then_the_run_fails():
    with serve(arcgis_hub_portal(load_feed(EVIAN))) as hub:
        _harvested_evian(hub)
        hub.requests.clear()
        hub.handler = FAULTS["truncated-feed"]
        run = harvest("evian")
    assert run["status"] == "failed"
    assert "truncated or malformed after 3 attempts" in run["errors"][0]["message"]
    assert [r.path for r in hub.requests].count(DCAT_US) == 3
    assert run["counts"]["created"] == run["counts"]["updated"] == 0


def test_one_bad_entry_leaves_the_others_stored_and_the_run_partial():
    with serve(arcgis_hub_portal(load_feed(EVIAN))) as hub:
        register("evian", hub.url, portal_type="arcgis_hub", country="FR")
        hub.handler = FAULTS["bad-record"]
        run = harvest("evian")
    assert run["status"] == "partial", run
    assert run["counts"]["created"] == 7
    assert len(references("evian")) == 7
    assert "list" in run["errors"][0]["message"]


def test_no_feed_names_every_url_tried():
    with serve(arcgis_hub_portal(load_feed(EVIAN))) as hub:
        before = _harvested_evian(hub)
        hub.handler = FAULTS["no-feed-at-all"]
        run = harvest("evian")
    assert run["status"] == "failed"
    message = run["errors"][0]["message"]
    assert "no ArcGIS Hub DCAT feed found" in message
    for path in FEEDS:
        assert hub.url + path in message
    assert _snapshot("evian") == before


@pytest.mark.ckan_config("ckanext.partnercity.http_timeout", "1")
def test_a_dripping_feed_ends_at_the_deadline_and_loses_nothing():
    with serve(arcgis_hub_portal(load_feed(EVIAN))) as hub:
        before = _harvested_evian(hub)
    with drip(interval=0.1) as slow:
        call_action("partnercity_partner_update", id="evian", portal_url=slow.url)
        started = time.monotonic()
        run = harvest("evian")
        elapsed = time.monotonic() - started
    assert run["status"] == "failed"
    assert run["counts"]["withdrawn"] == 0
    assert slow.url in run["errors"][0]["url"]
    assert elapsed < 10
    assert _snapshot("evian") == before
