"""DCAT: ``source_filter`` as a publisher, and ArcGIS Hub's ``dcat:accessUrl`` spelling.

The national catalogue is GovData's DCAT-AP.de endpoint example (six datasets of five
publishers, tests/fixtures/dcat/README.md); the ArcGIS Hub feed is the example feed of
Esri's koop-output-dcat-ap-201 (tests/fixtures/README.md). Both are served over HTTP on
127.0.0.1 and read through the real HttpClient, in memory and streamed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from ckanext.partnercity.harvesters.base import HarvestError, PartnerSource
from ckanext.partnercity.harvesters.dcat import DcatHarvester
from ckanext.partnercity.harvesters.http import HttpClient
from tests.support.http_server import serve

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "dcat"
GOVDATA = FIXTURES / "govdata-ckanext-dcatde_berlin-derived_dcat-ap-de_catalog.rdf"
ARCGIS = FIXTURES / "arcgis-hub_koop_dcat-ap-201_example-feed.jsonld"
ALL_GOVDATA = {
    "b5882a57-d142-4930-9290-b12bbb6e3f0c",
    "63961baa-2fd0-40d4-9242-4a9640ff5f1e",
    "0ee2fe79-fc37-400d-a8ca-4915b0295aec",
    "4ade8a03-2801-471a-8f7f-97c70265e7eb",
    "bd2d4fa6-e9ad-470d-888b-5eb1378d39e9",
    "3ca58f59-adfd-4ae7-a277-1707973fd755",
}
HEINZ = "http://data.example-domain.de/organization/7346695b-8e83-45f1-92b7-48324aa4806e"
HEINZ_DATASETS = ["3ca58f59-adfd-4ae7-a277-1707973fd755", "4ade8a03-2801-471a-8f7f-97c70265e7eb"]
ARCGIS_DATASET = "https://download-test-qa-pre-a-hub.hubqa.arcgis.com/datasets/f4bcc1035b7d46cba95e977f4affb6be_0"
MODES = pytest.mark.parametrize("threshold", [1 << 40, 0], ids=["in-memory", "streamed"])


def pages(body: bytes, content_type: str, source_filter: str = "", **options) -> list:
    client = HttpClient(allow_private=True, retries=0, sleep=lambda s: None)
    with serve(lambda m, p, q: (200, {"Content-Type": content_type}, body)) as server:
        source = PartnerSource(
            f"{server.url}/catalog", "dcat", source_filter=source_filter, options=options
        )
        return list(DcatHarvester(source, client).pages())


def identifiers(found: list) -> list[str]:
    return sorted(r.identifier for page in found for r in page.records)


# --------------------------------------------------------------------------- publisher


@MODES
@pytest.mark.parametrize(
    ("source_filter", "expected"),
    [
        ("Datenportal Berlin", ["63961baa-2fd0-40d4-9242-4a9640ff5f1e"]),
        ("  datenportal   BERLIN ", ["63961baa-2fd0-40d4-9242-4a9640ff5f1e"]),  # any case
        ("heinz test", HEINZ_DATASETS),  # foaf:name
        (HEINZ.upper(), HEINZ_DATASETS),  # the publisher's URI
        ("http://www.hamburg.de/bue/", ["bd2d4fa6-e9ad-470d-888b-5eb1378d39e9"]),
    ],
)
def test_source_filter_keeps_one_publisher_of_a_national_catalogue(
    source_filter, expected, threshold
):
    found = pages(
        GOVDATA.read_bytes(), "application/rdf+xml", source_filter, stream_threshold=threshold
    )
    assert identifiers(found) == expected
    assert not any(page.errors for page in found)  # the others are skipped, not failed
    # ... and reported as listed, so their references are never withdrawn as missing
    skipped = sorted(i for page in found for i in page.skipped)
    assert skipped == sorted(ALL_GOVDATA - set(expected))
    for page in found:
        assert all(r.publisher for r in page.records)


def test_without_a_filter_every_publisher_is_listed():
    assert len(identifiers(pages(GOVDATA.read_bytes(), "application/rdf+xml"))) == 6


@MODES
def test_first_batch_of_other_publishers_is_not_taken_for_an_empty_catalogue(threshold):
    # one dataset per streamed batch: the first batches hold only other publishers' datasets
    found = pages(
        GOVDATA.read_bytes(),
        "application/rdf+xml",
        "Behörde für Umwelt und Energie (BUE), Amt für Umweltschutz",
        stream_threshold=threshold,
    )
    assert identifiers(found) == ["bd2d4fa6-e9ad-470d-888b-5eb1378d39e9"]


@MODES
def test_a_filter_matching_no_publisher_fails_rather_than_listing_nothing(threshold):
    with pytest.raises(HarvestError, match="matches the publisher of none of the 6 datasets"):
        pages(GOVDATA.read_bytes(), "application/rdf+xml", "Stadt Hamm", stream_threshold=threshold)


# --------------------------------------------------------------------------- dcat:accessUrl


def arcgis_as(fmt: str) -> bytes:
    """The ArcGIS feed re-serialized (Turtle, RDF/XML): same triples, other syntax."""
    graph = rdflib.Graph()
    graph.parse(ARCGIS, format="json-ld")
    return graph.serialize(format=fmt).encode("utf-8")


@MODES
@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/ld+json", ARCGIS.read_bytes),
        ("text/turtle", lambda: arcgis_as("turtle")),
        ("application/rdf+xml", lambda: arcgis_as("xml")),
    ],
    ids=["json-ld", "turtle", "rdf-xml"],
)
def test_arcgis_hub_access_url_spelling_gives_the_distribution_its_link(
    content_type, body, threshold
):
    found = pages(body(), content_type, stream_threshold=threshold)
    (record,) = [r for page in found for r in page.records]
    assert record.identifier == ARCGIS_DATASET
    assert record.title == "Tahoe places of interest"
    (distribution,) = record.distributions
    assert distribution.url == ARCGIS_DATASET  # from "dcat:accessUrl"
    assert distribution.format == "HTML"  # ftype:HTML
    assert distribution.title == "ArcGIS Hub Dataset"
    assert distribution.description == "Web Page"


def test_the_feed_really_spells_it_access_url():
    graph = rdflib.Graph()
    graph.parse(ARCGIS, format="json-ld")
    dcat = "http://www.w3.org/ns/dcat#"
    assert len(list(graph.subject_objects(rdflib.URIRef(dcat + "accessUrl")))) == 1
    assert not list(graph.subject_objects(rdflib.URIRef(dcat + "accessURL")))
