"""DCAT partners end to end: a national catalogue narrowed to one publisher, and ArcGIS
Hub's ``dcat:accessUrl`` spelling giving references their links."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from ckan.tests.helpers import call_action

from tests.integration.harvest_support import harvest, references, register, searchable
from tests.support.http_server import serve

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

DCAT = Path(__file__).resolve().parents[2] / "fixtures" / "dcat"
GOVDATA = (DCAT / "govdata-ckanext-dcatde_berlin-derived_dcat-ap-de_catalog.rdf").read_bytes()
ARCGIS = (DCAT / "arcgis-hub_koop_dcat-ap-201_example-feed.jsonld").read_bytes()
HEINZ = {"3ca58f59-adfd-4ae7-a277-1707973fd755", "4ade8a03-2801-471a-8f7f-97c70265e7eb"}


def _active(partner: str) -> set[str]:
    return {i for i, p in references(partner).items() if p["reference_status"] == "active"}


def _without(body: bytes, identifier: str) -> bytes:
    """The catalogue after the partner deleted one dataset."""
    graph = rdflib.Graph().parse(data=body, format="xml")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    (gone,) = graph.subjects(rdflib.namespace.DCTERMS.identifier, rdflib.Literal(identifier))
    assert (gone, rdflib.RDF.type, dcat.Dataset) in graph
    graph.remove((gone, None, None))
    graph.remove((None, None, gone))
    return graph.serialize(format="xml").encode()


def test_publisher_filter_narrows_a_national_catalogue_and_its_listing_stays_complete():
    rdf = {"Content-Type": "application/rdf+xml"}
    state = {"body": GOVDATA}
    with serve(lambda m, p, q: (200, rdf, state["body"])) as server:
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

        # the publisher deletes a dataset: the filtered listing is complete, so it is withdrawn
        call_action("partnercity_partner_update", id="heinz", source_filter="Heinz Test")
        state["body"] = _without(GOVDATA, "3ca58f59-adfd-4ae7-a277-1707973fd755")
        gone = harvest("heinz")
    assert gone["status"] == "succeeded", gone["errors"]
    assert gone["counts"]["withdrawn"] == 1 and gone["counts"]["created"] == 0
    assert _active("heinz") == searchable("heinz") == {"4ade8a03-2801-471a-8f7f-97c70265e7eb"}


def test_other_publishers_references_are_seen_not_withdrawn_when_a_filter_is_set():
    rdf = {"Content-Type": "application/rdf+xml"}
    with serve(lambda m, p, q: (200, rdf, GOVDATA)) as server:
        register("govdata", server.url + "/catalog.rdf", portal_type="dcat", country="DE")
        first = harvest("govdata")  # no filter yet: every publisher's datasets
        assert first["counts"]["created"] == 6, first["errors"]
        before = {i: p["metadata_modified"] for i, p in references("govdata").items()}

        berlin = "http://data.example-domain.de/organization/a1a3b112-e395-45d5-8447-e710bd44dcc7"
        call_action("partnercity_partner_update", id="govdata", source_filter=berlin)
        narrowed = harvest("govdata")
    assert narrowed["status"] == "succeeded", narrowed["errors"]
    # the other publishers' datasets are still published: listed, so not missing
    assert narrowed["counts"]["withdrawn"] == 0
    assert narrowed["counts"]["unchanged"] == 1
    assert _active("govdata") == set(before)
    after = {i: p["metadata_modified"] for i, p in references("govdata").items()}
    assert after == before  # left exactly as they were


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
