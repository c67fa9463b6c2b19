"""Opendatasoft through its DCAT export: real exports served at the real path on 127.0.0.1.

The exports are tests/fixtures/opendatasoft/*.rdf (see tests/fixtures/README.md): Cap
Atlantique's v2.1 export narrowed to one publisher, and Rennes Métropole's older v2 export
of one dataset. Every request goes through the real HttpClient.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, RDF, SKOS

from ckanext.partnercity.harvesters.base import HarvestError, PartnerSource
from ckanext.partnercity.harvesters.http import HttpClient
from ckanext.partnercity.harvesters.portals.opendatasoft import OpendatasoftHarvester
from ckanext.partnercity.harvesters.portals.opendatasoft_dcat import (
    EXPORT_PATH,
    OdsDcatExport,
    export_url,
    theme_labels,
)
from tests.support.fake_portals import ODS_CATALOG_PATH, load_datasets
from tests.support.http_server import serve
from tests.support.ods_dcat_portal import (
    CAPATLANTIQUE,
    ETALAB,
    RENNES,
    OdsDcatPortal,
    explore_entry_for,
    export_bytes,
    missing_export,
    served_export,
)

CAP = "https://data.capatlantique.fr"
CAP_ID = "264400516_arretes_ccas_guerande"
CAP_API = f"{CAP}/api/explore/v2.1/catalog/datasets/{CAP_ID}"
RENNES_ID = "principaux-etablissements-denseignement-superieur"
RENNES_API = f"https://data.rennesmetropole.fr/api/v2/catalog/datasets/{RENNES_ID}"
MULHOUSE = load_datasets("opendatasoft/mulhouse.json")
NEVER_STREAM = 1 << 40


def harvester(url: str, source_filter: str = "", **options) -> OpendatasoftHarvester:
    client = HttpClient(allow_private=True, retries=1, backoff=0, sleep=lambda s: None)
    options.setdefault("languages", ["fr"])
    source = PartnerSource(url, "opendatasoft", source_filter=source_filter, options=options)
    return OpendatasoftHarvester(source, client)


def records(url: str, source_filter: str = "", since=None, **options) -> list:
    pages = harvester(url, source_filter, **options).pages(since=since)
    return [record for page in pages for record in page.records]


def export_requests(server) -> list:
    return [r for r in server.requests if r.path == EXPORT_PATH]


def catalog_requests(server) -> list:
    return [r for r in server.requests if r.path == ODS_CATALOG_PATH]


# --------------------------------------------------------------------------- real exports


@pytest.mark.parametrize("threshold", [NEVER_STREAM, 0], ids=["in-memory", "streamed"])
def test_capatlantique_export_exact_values(threshold):
    portal = OdsDcatPortal(served_export(export_bytes(CAPATLANTIQUE)))
    with serve(portal) as server:
        (record,) = records(server.url, "CCAS Guérande", stream_threshold=threshold)
        (request,) = export_requests(server)
    assert record.identifier == CAP_ID  # the Explore API's dataset_id, not the page URL
    assert record.title == "Arrêtés du CCAS de Guérande"
    assert record.description == (
        "Actes réglementaires pris par le CCAS de la Commune de Guérande.\xa0 "
        "Publication des arrêtés du Président à caractère non individuel."
    )
    assert record.uri == record.landing_page == f"{CAP}/explore/dataset/{CAP_ID}/"
    assert record.publisher == "CCAS Guérande"
    assert record.categories == ["Citoyenneté / Institution"]  # the label, not the concept URL
    assert record.language == ["fr"]
    assert record.license_url == ETALAB
    assert record.issued == record.modified == "2025-07-30T09:00:06.799000+00:00"
    assert sorted((d.format, d.media_type, d.title, d.url) for d in record.distributions) == [
        ("CSV", "text/csv", f"{CAP_ID}.csv", f"{CAP_API}/exports/csv?use_labels=true"),
        ("JSON", "application/json", f"{CAP_ID}.json", f"{CAP_API}/exports/json"),
    ]
    assert {d.license for d in record.distributions} == {ETALAB}
    # the publisher and the language go to the portal as the export's own parameters
    assert request.param("where") == 'publisher = "CCAS Guérande"'
    assert request.param("lang") == "fr"
    assert request.param("include_exports") == "csv,json,geojson"
    assert not catalog_requests(server)


@pytest.mark.parametrize("threshold", [NEVER_STREAM, 0], ids=["in-memory", "streamed"])
def test_rennes_v2_export_identifier_formats_themes_keywords(threshold):
    portal = OdsDcatPortal(served_export(export_bytes(RENNES)))
    with serve(portal) as server:
        (record,) = records(server.url, stream_threshold=threshold)
    # dct:identifier says "…@rennes-metropole" and the URI is the API's: the page gives the id
    assert record.identifier == RENNES_ID
    assert record.uri == RENNES_API
    assert record.landing_page == f"https://data.rennesmetropole.fr/explore/dataset/{RENNES_ID}/"
    assert record.categories == ["Education"]
    assert record.keywords == [
        "établissement",
        "enseignement supérieur",
        "formation",
        "siret",
        "universités",
        "université",
        "établissements scolaires",
    ]
    # geojson is served as application/json and shp as application/zip: the export says which
    assert sorted((d.format, d.media_type, d.url) for d in record.distributions) == [
        ("CSV", "text/csv", f"{RENNES_API}/exports/csv"),
        ("GeoJSON", "application/json", f"{RENNES_API}/exports/geojson"),
        ("JSON", "application/json", f"{RENNES_API}/exports/json"),
        ("SHP", "application/zip", f"{RENNES_API}/exports/shp"),
    ]


def test_the_dcat_export_and_the_explore_api_give_the_same_identifier():
    entry = explore_entry_for(
        CAP_ID,
        "Arrêtés du CCAS de Guérande",
        "Actes réglementaires pris par le CCAS de la Commune de Guérande.",
        "Citoyenneté / Institution",
    )
    portal = OdsDcatPortal(served_export(export_bytes(CAPATLANTIQUE)), [entry])
    with serve(portal) as server:
        (by_export,) = records(server.url)
        portal.export = missing_export
        (by_api,) = records(server.url)
    assert by_export.identifier == by_api.identifier == CAP_ID
    assert by_export.landing_page.endswith(urlsplit(by_api.landing_page).path)
    assert by_export.categories == by_api.categories == ["Citoyenneté / Institution"]
    assert by_export.title == by_api.title
    assert by_export.license_url == by_api.license_url == ETALAB


def test_incremental_export_asks_for_recent_datasets_only():
    portal = OdsDcatPortal(served_export(export_bytes(CAPATLANTIQUE)))
    paris = datetime.timezone(datetime.timedelta(hours=2))
    before = datetime.datetime(2025, 7, 31, 1, 30, tzinfo=paris)  # 2025-07-30 23:30 UTC
    with serve(portal) as server:
        found = records(server.url, since=before - datetime.timedelta(hours=15))
        later = records(server.url, since=before)
        requests = export_requests(server)
    assert [r.param("where") for r in requests] == ["modified >= date'2025-07-30'"] * 2
    assert [r.identifier for r in found] == [CAP_ID]  # modified 09:00 UTC, after 08:30 UTC
    assert later == []  # the portal's day-wide answer is narrowed to the instant


@pytest.mark.parametrize(
    ("languages", "lang"), [(["ro", "de"], "de"), (["ro"], None), ([], None), (["FR"], "fr")]
)
def test_lang_is_the_first_partner_language_the_export_accepts(languages, lang):
    portal = OdsDcatPortal(served_export(export_bytes(CAPATLANTIQUE)))
    with serve(portal) as server:
        records(server.url, languages=languages)
        (request,) = export_requests(server)
    assert request.param("lang") == lang


def _without_datasets(body: bytes) -> bytes:
    """The export as the portal answers when ``where`` matches nothing: the catalogue alone."""
    graph = rdflib.Graph().parse(data=body, format="xml")
    for dataset in list(graph.subjects(RDF.type, DCAT.Dataset)):
        graph.remove((dataset, None, None))
        graph.remove((None, None, dataset))
    return graph.serialize(format="xml").encode()


@pytest.mark.parametrize("threshold", [NEVER_STREAM, 0], ids=["in-memory", "streamed"])
def test_incremental_export_with_nothing_new_is_an_empty_listing_not_a_fallback(threshold):
    empty = _without_datasets(export_bytes(CAPATLANTIQUE))
    since = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    with serve(OdsDcatPortal(served_export(empty), MULHOUSE)) as server:
        pages = list(harvester(server.url, stream_threshold=threshold).pages(since=since))
        assert not catalog_requests(server)
        # a full listing of an export without datasets is no listing: the Explore API is read
        full = list(harvester(server.url, stream_threshold=threshold).pages())
        assert catalog_requests(server)
    assert [r for page in pages for r in page.records] == []
    assert not any(page.errors or page.warnings for page in pages)
    assert sum(len(page.records) for page in full) == len(MULHOUSE)


def test_export_url_without_filter_language_or_date():
    assert export_url("https://p.example", include_exports="") == f"https://p.example{EXPORT_PATH}"


# --------------------------------------------------------------------------- fallback chain

HTML = b"<!DOCTYPE html><html><head><title>Page introuvable</title></head><body></body></html>"


@pytest.mark.parametrize(
    "export",
    [
        missing_export,
        served_export(b"Forbidden", "text/plain", 403),
        served_export(HTML, "text/html; charset=utf-8"),  # a 200 HTML page
        served_export(HTML, "application/rdf+xml"),  # HTML under an RDF label
        served_export(b'{"total_count": 0, "results": []}', "application/json"),  # no DCAT
    ],
    ids=["404", "403", "html-200", "html-as-rdf", "json-without-dataset"],
)
def test_no_export_falls_back_to_the_explore_api(export):
    with serve(OdsDcatPortal(export, MULHOUSE)) as server:
        pages = list(harvester(server.url).pages())
        assert len(export_requests(server)) == 1
        assert catalog_requests(server)
    found = [r.identifier for page in pages for r in page.records]
    assert sorted(found) == sorted(d["dataset_id"] for d in MULHOUSE)
    warnings = [w for page in pages for w in page.warnings]
    if export is missing_export:
        assert warnings == []  # a portal without the export: routine, no warning
    else:
        (warning,) = warnings  # once per run, naming the export
        assert warning.message.startswith("DCAT export not used (")
        assert warning.url.startswith(server.url + EXPORT_PATH)


def test_an_export_over_the_size_cap_falls_back_with_a_warning():
    huge = export_bytes(CAPATLANTIQUE) + b"<!--" + b" " * 40_000 + b"-->"
    client = HttpClient(allow_private=True, retries=0, max_bytes=20_000)
    with serve(OdsDcatPortal(served_export(huge), MULHOUSE)) as server:
        source = PartnerSource(server.url, "opendatasoft")
        pages = list(OpendatasoftHarvester(source, client).pages())
    assert sum(len(page.records) for page in pages) == len(MULHOUSE)
    (warning,) = [w for page in pages for w in page.warnings]
    assert "exceeds the limit of 20000" in warning.message


@pytest.mark.parametrize(
    ("export", "message"),
    [
        (served_export(b"oops", "text/plain", 503), "HTTP 503 after 2 attempts"),
        (served_export(export_bytes(CAPATLANTIQUE)[:3000]), "malformed RDF/XML"),
        (served_export(b"<rdf:RDF><dcat:Dataset>", "application/rdf+xml"), "malformed RDF/XML"),
    ],
    ids=["503", "truncated", "malformed"],
)
def test_a_broken_export_fails_naming_it_and_is_not_hidden_by_the_fallback(export, message):
    with serve(OdsDcatPortal(export, MULHOUSE)) as server:
        with pytest.raises(HarvestError, match=message) as caught:
            records(server.url)
        assert not catalog_requests(server)
    assert caught.value.url.startswith(server.url + EXPORT_PATH)


def test_explore_api_only_option_never_asks_for_the_export():
    with serve(OdsDcatPortal(served_export(export_bytes(CAPATLANTIQUE)), MULHOUSE)) as server:
        found = records(server.url, explore_api_only=True)
        assert not export_requests(server)
    assert len(found) == len(MULHOUSE)


# --------------------------------------------------------------------------- themes


def test_theme_labels_prefer_the_partner_language_then_the_concept_url():
    graph = rdflib.Graph()
    dataset = URIRef("https://p.example/explore/dataset/d/")
    graph.add((dataset, RDF.type, DCAT.Dataset))
    labelled = URIRef("https://p.example/explore/?refine.theme=Transports")
    graph.add((dataset, DCAT.theme, labelled))
    graph.add((labelled, SKOS.prefLabel, Literal("Transport", lang="en")))
    graph.add((labelled, SKOS.prefLabel, Literal("Transports, Déplacements", lang="fr")))
    bare = URIRef("https://p.example/explore/?refine.theme=Sports+%2F+Loisirs")
    graph.add((dataset, DCAT.theme, bare))
    graph.add((dataset, DCAT.theme, Literal("Culture")))
    assert sorted(theme_labels(graph, dataset, "fr")) == [
        "Culture",
        "Sports / Loisirs",
        "Transports, Déplacements",
    ]
    english = sorted(theme_labels(graph, dataset, "en"))
    assert english == ["Culture", "Sports / Loisirs", "Transport"]


def test_a_skipped_dataset_is_listed_under_the_identifier_the_explore_api_gives():
    graph = rdflib.Graph().parse(data=export_bytes(RENNES), format="xml")
    (dataset,) = graph.subjects(RDF.type, DCAT.Dataset)
    export = OdsDcatExport(PartnerSource("https://p.example", "opendatasoft"), None)
    assert export.listed_identifier(graph, dataset) == RENNES_ID  # not "…@rennes-metropole"


def test_the_exports_language_tag_names_the_titles_language():
    """Opendatasoft publishes one language per dataset; its export tags the title
    ``xml:lang="fr"``, which is what the reference page's ``lang`` attribute then says."""
    portal = OdsDcatPortal(served_export(export_bytes(RENNES)))
    with serve(portal) as server:
        (record,) = records(server.url, languages=["fr"])
    assert list(record.translations["title"]) == ["fr"]
    assert record.translations["title"]["fr"].startswith("Principaux établissements")
