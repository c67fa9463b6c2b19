"""DCAT partners end to end: a national catalogue narrowed to one publisher, and ArcGIS
Hub's ``dcat:accessUrl`` spelling giving references their links."""

from __future__ import annotations

from pathlib import Path

import pytest
from ckan.tests.helpers import call_action

from tests.integration.harvest_support import harvest, references, register, searchable
from tests.support.http_server import serve

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

DCAT = Path(__file__).resolve().parents[2] / "fixtures" / "dcat"
GOVDATA = (DCAT / "govdata-ckanext-dcatde_berlin-derived_dcat-ap-de_catalog.rdf").read_bytes()
ARCGIS = (DCAT / "arcgis-hub_koop_dcat-ap-201_example-feed.jsonld").read_bytes()
HEINZ = {"3ca58f59-adfd-4ae7-a277-1707973fd755", "4ade8a03-2801-471a-8f7f-97c70265e7eb"}
BERLIN = {"63961baa-2fd0-40d4-9242-4a9640ff5f1e"}


def _active(partner: str) -> set[str]:
    return {i for i, p in references(partner).items() if p["reference_status"] == "active"}


def test_publisher_filter_narrows_a_national_catalogue_and_its_listing_stays_complete():
    rdf = {"Content-Type": "application/rdf+xml"}
    with serve(lambda m, p, q: (200, rdf, GOVDATA)) as server:
        register("heinz", server.url + "/catalog.rdf", portal_type="dcat", country="DE")
        call_action("partnercity_partner_update", id="heinz", source_filter="heinz test")
        first = harvest("heinz")
        assert first["status"] == "succeeded", first["errors"]
        assert first["counts"]["created"] == 2 and first["counts"]["failed"] == 0
        assert set(references("heinz")) == searchable("heinz") == HEINZ

        # a filter naming nobody in the catalogue: an error, not an empty partner
        call_action("partnercity_partner_update", id="heinz", source_filter="Stadt Hamm")
        wrong = harvest("heinz")
        assert wrong["status"] == "failed"
        assert "matches the publisher of none of the 6 datasets" in wrong["errors"][0]["message"]
        assert wrong["counts"]["withdrawn"] == 0
        assert _active("heinz") == HEINZ

        # another publisher: the listing is complete for it, so the others' references go
        berlin = "http://data.example-domain.de/organization/a1a3b112-e395-45d5-8447-e710bd44dcc7"
        call_action("partnercity_partner_update", id="heinz", source_filter=berlin)
        moved = harvest("heinz")
    assert moved["status"] == "succeeded", moved["errors"]
    assert moved["counts"]["created"] == 1 and moved["counts"]["withdrawn"] == 2
    assert _active("heinz") == searchable("heinz") == BERLIN


def test_arcgis_hub_feed_references_link_to_the_data():
    with serve(lambda m, p, q: (200, {"Content-Type": "application/ld+json"}, ARCGIS)) as server:
        register("tahoe", server.url + "/api/feed/dcat-ap/2.0.1.json", portal_type="dcat")
        run = harvest("tahoe")
    assert run["status"] == "succeeded", run["errors"]
    (reference,) = references("tahoe").values()
    assert reference["title"] == "Tahoe places of interest"
    assert [(r["url"], r["format"], r["name"]) for r in reference["resources"]] == [
        (
            "https://download-test-qa-pre-a-hub.hubqa.arcgis.com/datasets/"
            "f4bcc1035b7d46cba95e977f4affb6be_0",
            "HTML",
            "ArcGIS Hub Dataset",
        )
    ]
