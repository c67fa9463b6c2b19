"""The partnership graph on the real stack: routes, content negotiation, the SHACL shape,
and references kept out of our own DCAT catalogue (/catalog.*)."""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pytest
import rdflib
from ckan.tests.helpers import call_action
from rdflib import URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF

from ckanext.partnercity.lod import graph as lod
from ckanext.partnercity.lod import shape
from tests.integration.page_support import ENVI, fresh_store, partner_portals, seed

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("with_plugins")]

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def data(reset_db, reset_index, migrate_db_for):
    fresh_store(reset_db, reset_index, migrate_db_for)
    with partner_portals() as urls:
        seeded = seed(urls)
        call_action("partnercity_partner_update", id="alba-iulia", wikidata="Q179909")
        yield seeded


def _site(app) -> str:
    from ckan.plugins.toolkit import config

    return config["ckan.site_url"].rstrip("/")


def _graph(body: str, fmt: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=body, format=fmt)


def _reference_names() -> set[str]:
    found = call_action(
        "package_search", fq="+dataset_type:partner_dataset", rows=1000, include_private=False
    )
    return {d["name"] for d in found["results"]}


def test_turtle_route_parses_and_passes_the_shape(app, data):
    answer = app.get("/partner-cities.ttl")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/turtle; charset=utf-8"
    g = _graph(answer.body, "turtle")
    assert shape.problems(g) == []
    site = _site(app)
    alba = URIRef(f"{site}/partner-cities/alba-iulia#city")
    assert (alba, RDF.type, lod.SCHEMA.City) in g
    assert g.value(alba, OWL.sameAs) == URIRef("http://www.wikidata.org/entity/Q179909")
    assert {str(v) for v in g.objects(alba, lod.SCHEMA.knowsLanguage)} == {"ro", "en"}
    # Every active reference is in our reference catalogue, linked back to its page here
    # (the fixture's hostile copy shares its original's URI: one dataset, two pages).
    datasets = lod.reference_catalog_datasets(g, site)
    names = _reference_names()
    assert len(datasets) == len(names) - 1 > 0
    pages = {str(page) for d in datasets for page in g.objects(URIRef(d), FOAF.page)}
    assert pages == {f"{site}/partner_dataset/{name}" for name in names}
    # Shared themes from the mappings: some Alba Iulia dataset is on Environment.
    assert any((URIRef(d), DCAT.theme, URIRef(ENVI)) in g for d in datasets)


def test_jsonld_and_rdfxml_routes_give_the_same_graph(app, data):
    turtle = _graph(app.get("/partner-cities.ttl").body, "turtle")
    jsonld = app.get("/partner-cities.jsonld")
    assert jsonld.headers["Content-Type"] == "application/ld+json"
    json.loads(jsonld.body)
    rdfxml = app.get("/partner-cities.rdf")
    assert rdfxml.headers["Content-Type"] == "application/rdf+xml; charset=utf-8"
    for body, fmt in ((jsonld.body, "json-ld"), (rdfxml.body, "xml")):
        assert isomorphic(_graph(body, fmt), turtle)
    assert app.get("/partner-cities.csv", status=404).status_code == 404


@pytest.mark.parametrize(
    ("accept", "fmt", "media_type"),
    [
        ("text/turtle", "turtle", "text/turtle"),
        ("application/ld+json", "json-ld", "application/ld+json"),
        ("application/rdf+xml", "xml", "application/rdf+xml"),
    ],
)
def test_content_negotiation_gives_rdf(app, data, accept, fmt, media_type):
    app.get("/partner-cities", headers={"Accept": BROWSER})  # the HTML page now cached
    answer = app.get("/partner-cities", headers={"Accept": accept})
    assert answer.headers["Content-Type"].startswith(media_type)
    assert "Accept" in answer.headers["Vary"]
    g = _graph(answer.body, fmt)
    assert (URIRef(f"{_site(app)}/partner-cities#references"), RDF.type, DCAT.Catalog) in g


def test_browsers_keep_the_html_page(app, data):
    for accept in (BROWSER, "*/*", None):
        headers = {"Accept": accept} if accept else {}
        first = app.get("/partner-cities", headers=headers)
        assert first.headers["Content-Type"].startswith("text/html")
        assert 'data-partnercity="partner-card"' in first.body
        assert "Accept" in first.headers["Vary"]
    # Served from the cache (by the middleware) it still says Vary: Accept.
    again = app.get("/partner-cities", headers={"Accept": BROWSER})
    assert again.headers["X-Partnercity-Cache"] == "hit"
    assert "Accept" in again.headers["Vary"]


def test_references_stay_out_of_our_dcat_catalogue(app, data):
    g = _graph(app.get("/partner-cities.ttl").body, "turtle")
    references = lod.reference_catalog_datasets(g, _site(app))
    catalogue = _graph(app.get("/catalog.ttl").body, "turtle")
    listed = {str(d) for d in catalogue.subjects(RDF.type, DCAT.Dataset)}
    assert listed  # our own datasets are there
    assert listed.isdisjoint(references)
    names = _reference_names()
    assert not any(name in str(d) for d in listed for name in names)
    assert "partner_dataset" not in app.get("/catalog.ttl").body


def test_a_wikidata_item_is_checked_and_kept_as_its_entity_uri(app, data):
    from ckan.plugins.toolkit import ValidationError

    with pytest.raises(ValidationError) as raised:
        call_action("partnercity_partner_update", id="mulhouse", wikidata="Mulhouse")
    assert "wikidata" in raised.value.error_dict
    updated = call_action(
        "partnercity_partner_update", id="mulhouse", wikidata="https://www.wikidata.org/wiki/Q79815"
    )
    assert updated["wikidata"] == "http://www.wikidata.org/entity/Q79815"
    g = _graph(app.get("/partner-cities.ttl").body, "turtle")
    mulhouse = URIRef(f"{_site(app)}/partner-cities/mulhouse#city")
    assert g.value(mulhouse, OWL.sameAs) == URIRef("http://www.wikidata.org/entity/Q79815")


class _JsonLd(HTMLParser):
    """The schema.org JSON-LD blocks of a page, parsed."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.inside = False
        self.found: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.inside = tag == "script" and ("type", "application/ld+json") in attrs

    def handle_endtag(self, tag):
        self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.found.append(json.loads(data))


def test_reference_pages_embed_the_partners_dataset(app, data):
    name = sorted(_reference_names())[0]
    reference = call_action("package_show", id=name)
    blocks = _JsonLd(app.get(f"/partner_dataset/{name}").body).found
    datasets = [b for b in blocks if b.get("@type") == "Dataset"]
    assert len(datasets) == 1
    dataset = datasets[0]
    assert dataset["@context"] == "https://schema.org"
    assert dataset["url"] == (reference["partner_landing_page"] or reference["partner_uri"])
    assert dataset["isBasedOn"] == (reference["partner_uri"] or reference["partner_landing_page"])
    assert dataset["name"] == reference["title"]
    partner = reference["organization"]["name"]
    assert dataset["spatialCoverage"]["@type"] == "City"
    assert dataset["spatialCoverage"]["url"] == f"{_site(app)}/partner-cities/{partner}"


def test_partner_pages_embed_a_city(app, data):
    call_action("partnercity_partner_update", id="alba-iulia", wikidata="Q179909")
    blocks = _JsonLd(app.get("/partner-cities/alba-iulia").body).found
    assert [b["@type"] for b in blocks] == ["City"]
    assert blocks[0]["name"] == "Alba Iulia"
    assert blocks[0]["sameAs"] == "http://www.wikidata.org/entity/Q179909"
    assert blocks[0]["address"]["addressCountry"] == "RO"


DOCS = Path(__file__).resolve().parents[3] / "docs" / "linked-data.md"


def _doc_queries(site: str) -> list[str]:
    text = DOCS.read_text(encoding="utf-8")
    blocks = re.findall(r"```sparql\n(.*?)```", text, re.S)
    assert len(blocks) == 3
    return [block.replace("https://your.portal", site) for block in blocks]


def _select(app, query: str, status: int = 200):
    return app.get("/partner-cities/sparql", query_string={"query": query}, status=status)


def _rows(answer) -> list[dict]:
    assert answer.headers["Content-Type"].startswith("application/sparql-results+json")
    data = json.loads(answer.body)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def test_the_docs_sparql_examples_answer(app, data):
    only_one, air, partners = _doc_queries(_site(app))
    themes = _rows(_select(app, only_one))
    assert themes  # the fixture partners do not share every theme
    g = _graph(app.get("/partner-cities.ttl").body, "turtle")
    for row in themes:
        publishers = {
            g.value(d, DCTERMS.publisher)
            for d in g.subjects(DCAT.theme, URIRef(row["theme"]))
            if (d, RDF.type, DCAT.Dataset) in g
        }
        assert len(publishers) == 1
    titles = {(r["city"], r["title"]) for r in _rows(_select(app, air))}
    assert titles == {
        ("Alba Iulia", "Calitatea aerului în municipiul Alba Iulia – 2023"),
        ("Mulhouse", "Indice ATMO de la qualité de l'air à Mulhouse"),
    }
    listed = {r["name"]: r for r in _rows(_select(app, partners))}
    assert set(listed) == {"Alba Iulia", "Mulhouse"}
    assert (listed["Alba Iulia"]["country"], listed["Alba Iulia"]["since"]) == ("RO", "1997")
    assert listed["Mulhouse"]["since"] == "2001"
    assert int(listed["Mulhouse"]["datasets"]) == len(
        [n for n in _reference_names() if n.startswith("mulhouse-")]
    )


def test_sparql_refuses_service_and_bad_queries_and_caps_results(app, data):
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:6379/> { ?s ?p ?o } }"
    assert "SERVICE" in _select(app, service, status=400).body
    assert _select(app, "SELECT * WHERE { ?s ?p }", status=400).body
    assert _select(app, "", status=400).body
    with _config("ckanext.partnercity.sparql_max_results", "3"):
        capped = json.loads(_select(app, "SELECT * WHERE { ?s ?p ?o }").body)
        assert len(capped["results"]["bindings"]) == 3 and capped["partnercity:truncated"]
    with _config("ckanext.partnercity.sparql_timeout_seconds", "1"):
        heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        assert "longer than 1 s" in _select(app, heavy, status=503).body
    with _config("ckanext.partnercity.sparql_timeout_seconds", "0"):
        _select(app, "ASK { ?s ?p ?o }", status=404)


@contextmanager
def _config(key: str, value: str):
    from ckan.plugins.toolkit import config

    old = config.get(key)
    config[key] = value
    try:
        yield
    finally:
        config[key] = old


def test_our_city_has_its_configured_country_and_wikidata_item(app, data):
    from ckanext.partnercity.pages import cache as page_cache

    with (
        _config("ckanext.partnercity.city_country", "de"),
        _config("ckanext.partnercity.city_wikidata", "https://www.wikidata.org/wiki/Q64"),
    ):
        page_cache.bump("config changed")  # the graph is kept per cache generation
        g = _graph(app.get("/partner-cities.ttl").body, "turtle")
    page_cache.bump("config restored")
    ours = URIRef(f"{_site(app)}/partner-cities#city")
    assert str(g.value(ours, lod.SCHEMA.addressCountry)) == "DE"
    assert g.value(ours, OWL.sameAs) == URIRef("http://www.wikidata.org/entity/Q64")
    assert shape.problems(g) == []
