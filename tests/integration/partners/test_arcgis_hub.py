"""ArcGIS Hub partners end to end: real Hub feeds served at the Hub paths, harvested into
references, and the reference pages citizens see (title, clean description, formats,
licence and links to the data)."""

from __future__ import annotations

import json
import re

import pytest

from tests.integration.harvest_support import harvest, references, register, searchable
from tests.support.arcgis_hub_portal import APUR, EVIAN, KOOP_DCAT_AP, arcgis_hub_portal, load_feed
from tests.support.http_server import serve

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

EVIAN_FEED = json.loads(load_feed(EVIAN))
VELOS = "https://www.arcgis.com/home/item.html?id=f6565516d1354383b25793e630cf3f2b&sublayer=5"


def _hrefs(body: str) -> set[str]:
    return {href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', body)}


def test_evian_hub_feed_becomes_reference_pages_with_links(app):
    with serve(arcgis_hub_portal(load_feed(EVIAN), prefix="/evian")) as hub:
        register("evian", hub.url + "/evian", portal_type="arcgis_hub", country="FR")
        run = harvest("evian")
    assert run["status"] == "succeeded", run["errors"]
    stored = references("evian")
    assert set(stored) == {d["identifier"] for d in EVIAN_FEED["dataset"]}
    assert searchable("evian") == set(stored)
    assert all(reference["resources"] for reference in stored.values())

    velos = stored[VELOS]
    body = app.get(f"/partner_dataset/{velos['name']}").body
    assert "stationnement velos" in body
    assert "Emplacement et description des stationnement vélos" in body
    assert "<DIV" not in body and 'STYLE="text-align' not in body  # sanitized description
    for label in ("CSV", "GeoJSON", "KML", "Esri REST"):
        assert label in body
    assert "Etalab" in body  # the licence, from DCAT-US HTML text
    links = _hrefs(body)
    assert (
        "https://ville-d-evian-opendata-ville-evian.hub.arcgis.com/api/download/v1/items/"
        "f6565516d1354383b25793e630cf3f2b/csv?layers=5"
    ) in links
    assert (
        "https://services.arcgis.com/Hbks8qlTugfLqQka/arcgis/rest/services/"
        "stationnement_velo/FeatureServer/5"
    ) in links


def test_dcat_ap_feed_is_read_before_the_dcat_us_one(app):
    def hub(method, path, query):
        if path == "/api/feed/dcat-ap/2.0.1.json":
            return arcgis_hub_portal(load_feed(KOOP_DCAT_AP), kind="2.0.1")(method, path, query)
        return arcgis_hub_portal(load_feed(EVIAN))(method, path, query)

    with serve(hub) as server:
        register("tahoe", server.url, portal_type="arcgis_hub", country="US")
        run = harvest("tahoe")
    assert run["status"] == "succeeded", run["errors"]
    (reference,) = references("tahoe").values()
    assert reference["title"] == "Tahoe places of interest"
    body = app.get(f"/partner_dataset/{reference['name']}").body
    assert "Tahoe places of interest" in body
    assert "HTML" in body
    assert (
        "https://download-test-qa-pre-a-hub.hubqa.arcgis.com/datasets/"
        "f4bcc1035b7d46cba95e977f4affb6be_0"
    ) in _hrefs(body)
    assert [p for p in (r.path for r in server.requests)] == [
        "/api/feed/dcat-ap/2.1.1.json",
        "/api/feed/dcat-ap/2.0.1.json",
    ]


def test_apur_open_data_feed_of_71_datasets_and_a_withdrawal():
    feed = json.loads(load_feed(APUR))
    state = {"body": load_feed(APUR)}
    with serve(lambda m, p, q: arcgis_hub_portal(state["body"])(m, p, q)) as server:
        register("apur", server.url, portal_type="arcgis_hub", country="FR")
        first = harvest("apur")
        assert first["status"] == "succeeded", first["errors"]
        assert first["counts"]["created"] == 71
        gone = feed["dataset"].pop(0)
        state["body"] = json.dumps(feed).encode()
        second = harvest("apur")
    assert second["status"] == "succeeded", second["errors"]
    assert second["counts"]["withdrawn"] == 1
    assert references("apur")[gone["identifier"]]["reference_status"] == "withdrawn"
    assert gone["identifier"] not in searchable("apur")
