"""The partnership graph from plain dicts, its SHACL shape and content negotiation."""

from __future__ import annotations

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, RDF, RDFS, XSD

from ckanext.partnercity.lod import graph as lod
from ckanext.partnercity.lod import shape
from ckanext.partnercity.lod.negotiate import negotiate
from ckanext.partnercity.themes.export import LocalConcept, LocalScheme, mappings_graph

SITE = "https://data.example.de"
ENVI = "http://publications.europa.eu/resource/authority/data-theme/ENVI"
TRAN = "http://publications.europa.eu/resource/authority/data-theme/TRAN"
ALBA_AIR = "https://data.apulum.ro/dataset/calitatea-aerului"
OWN_AIR = f"{SITE}/dataset/air-quality"

PARTNERS = [
    {
        "name": "alba-iulia",
        "title": "Alba Iulia",
        "country": "RO",
        "languages": ["ro", "en"],
        "wikidata": "Q179909",
        "partnership_since": "1997",
        "portal_url": "https://data.apulum.ro",
    },
    {
        "name": "mulhouse",
        "title": "Mulhouse",
        "country": "fr",
        "languages": ["fr"],
        "wikidata": None,
        "partnership_since": None,
        "portal_url": "https://data.mulhouse-alsace.fr",
    },
]
REFERENCES = [
    {
        "name": "alba-iulia-calitatea-aerului-1a2b3c4d5e",
        "partner": "alba-iulia",
        "uri": ALBA_AIR,
        "landing_page": "https://data.apulum.ro/dataset/calitatea-aerului",
        "title": "Calitatea aerului",
        "lang": "ro",
        "themes": [ENVI],
    },
    {
        # no dataset URI: the partner's page stands for it
        "name": "mulhouse-arrets-de-bus-0f0f0f0f0f",
        "partner": "mulhouse",
        "uri": "",
        "landing_page": "https://data.mulhouse-alsace.fr/explore/dataset/arrets-bus/",
        "title": "Arrêts de bus",
        "lang": "fr",
        "themes": [TRAN],
    },
]


def _themes() -> rdflib.Graph:
    return mappings_graph(
        [
            LocalScheme(
                uri=f"{SITE}/partner-cities/alba-iulia/categories",
                title="Alba Iulia",
                concepts=[
                    LocalConcept(
                        uri=f"{SITE}/partner-cities/alba-iulia/categories/mediu",
                        label="Mediu",
                        lang="ro",
                        mappings=[("exactMatch", ENVI)],
                    )
                ],
            )
        ]
    )


def demo_graph(**overrides) -> rdflib.Graph:
    arguments = {
        "site": lod.Site(url=SITE + "/", title="Musterstadt", country="DE", languages=["de"]),
        "partners": PARTNERS,
        "references": REFERENCES,
        "themes": _themes(),
        "counterparts": [(OWN_AIR, ALBA_AIR)],
        "theme_scheme": "http://publications.europa.eu/resource/authority/data-theme",
    }
    arguments.update(overrides)
    return lod.partnership_graph(**arguments)


def test_cities_and_partnerships():
    g = demo_graph()
    ours = URIRef(f"{SITE}/partner-cities#city")
    alba = URIRef(f"{SITE}/partner-cities/alba-iulia#city")
    mulhouse = URIRef(f"{SITE}/partner-cities/mulhouse#city")
    assert set(g.subjects(RDF.type, lod.SCHEMA.City)) == {ours, alba, mulhouse}
    assert g.value(alba, FOAF.name) == Literal("Alba Iulia")
    assert g.value(alba, lod.SCHEMA.addressCountry) == Literal("RO")
    assert g.value(mulhouse, lod.SCHEMA.addressCountry) == Literal("FR")
    assert set(g.objects(alba, lod.SCHEMA.knowsLanguage)) == {Literal("ro"), Literal("en")}
    assert g.value(alba, OWL.sameAs) == URIRef("http://www.wikidata.org/entity/Q179909")
    assert g.value(mulhouse, OWL.sameAs) is None
    assert (ours, ORG.linkedTo, alba) in g and (alba, ORG.linkedTo, ours) in g
    partnership = URIRef(f"{SITE}/partner-cities/alba-iulia#partnership")
    assert set(g.objects(partnership, ORG.hasMember)) == {ours, alba}
    assert g.value(partnership, lod.SCHEMA.foundingDate) == Literal("1997", datatype=XSD.gYear)
    assert (
        g.value(URIRef(f"{SITE}/partner-cities/mulhouse#partnership"), lod.SCHEMA.foundingDate)
        is None
    )


def test_partner_portals_are_catalogues_of_their_city():
    g = demo_graph()
    portal = URIRef("https://data.apulum.ro")
    assert (portal, RDF.type, DCAT.Catalog) in g
    assert g.value(portal, DCTERMS.publisher) == URIRef(f"{SITE}/partner-cities/alba-iulia#city")
    assert (portal, DCAT.dataset, URIRef(ALBA_AIR)) in g


def test_references_are_a_catalogue_of_the_partners_own_uris_linked_back():
    g = demo_graph()
    catalog = URIRef(f"{SITE}/partner-cities#references")
    bus = URIRef("https://data.mulhouse-alsace.fr/explore/dataset/arrets-bus/")
    assert set(g.objects(catalog, DCAT.dataset)) == {URIRef(ALBA_AIR), bus}
    assert lod.reference_catalog_datasets(g, SITE) == {ALBA_AIR, str(bus)}
    page = URIRef(f"{SITE}/partner_dataset/alba-iulia-calitatea-aerului-1a2b3c4d5e")
    air = URIRef(ALBA_AIR)
    assert g.value(air, FOAF.page) == page and g.value(air, RDFS.seeAlso) == page
    assert g.value(air, DCTERMS.title) == Literal("Calitatea aerului", lang="ro")
    assert g.value(air, DCAT.theme) == URIRef(ENVI)
    assert g.value(catalog, DCTERMS.publisher) == URIRef(f"{SITE}/partner-cities#city")


def test_counterparts_go_both_ways_and_mappings_are_merged():
    g = demo_graph()
    assert (URIRef(OWN_AIR), DCTERMS.relation, URIRef(ALBA_AIR)) in g
    assert (URIRef(ALBA_AIR), DCTERMS.relation, URIRef(OWN_AIR)) in g
    mediu = URIRef(f"{SITE}/partner-cities/alba-iulia/categories/mediu")
    assert (mediu, URIRef("http://www.w3.org/2004/02/skos/core#exactMatch"), URIRef(ENVI)) in g


def test_bad_partner_values_are_left_out_not_published():
    partner = dict(
        PARTNERS[0],
        country="Romania",
        languages=["romanian"],
        wikidata="not-a-qid",
        partnership_since="soon",
        portal_url="javascript:alert(1)",
    )
    reference = dict(REFERENCES[0], uri="not a uri", landing_page="")
    g = demo_graph(partners=[partner], references=[reference], counterparts=[("x", ALBA_AIR)])
    alba = URIRef(f"{SITE}/partner-cities/alba-iulia#city")
    assert g.value(alba, lod.SCHEMA.addressCountry) is None
    assert g.value(alba, lod.SCHEMA.knowsLanguage) is None
    assert g.value(alba, OWL.sameAs) is None
    assert not list(g.subjects(RDF.type, DCAT.Dataset))
    assert not list(g.triples((None, DCTERMS.relation, None)))
    assert shape.problems(g) == []


def test_wikidata_forms():
    assert lod.wikidata_uri("Q1") == "http://www.wikidata.org/entity/Q1"
    assert lod.wikidata_uri("https://www.wikidata.org/wiki/Q179909") == (
        "http://www.wikidata.org/entity/Q179909"
    )
    assert lod.wikidata_uri("Q0") is None
    assert lod.wikidata_uri("https://example.org/wiki/Q1") is None


def test_the_demo_like_graph_passes_the_shape_in_every_serialisation():
    g = demo_graph()
    assert shape.problems(g) == []
    for fmt in ("turtle", "json-ld", "xml"):
        again = rdflib.Graph().parse(data=g.serialize(format=fmt), format=fmt)
        assert len(again) == len(g)
        assert shape.problems(again) == []


def test_a_broken_graph_fails_the_shape():
    g = demo_graph()
    air = URIRef(ALBA_AIR)
    g.remove((air, FOAF.page, None))  # no link back to our reference page
    g.remove((URIRef(OWN_AIR), DCTERMS.relation, air))  # counterpart one way only
    partnership = URIRef(f"{SITE}/partner-cities/alba-iulia#partnership")
    g.add((partnership, lod.SCHEMA.foundingDate, Literal("1997")))  # a second, untyped year
    g.add((URIRef(f"{SITE}/partner-cities/mulhouse#city"), OWL.sameAs, URIRef("https://x.org/")))
    found = "\n".join(shape.problems(g))
    assert "links back (foaf:page)" in found
    assert "dct:relation without its inverse" in found
    assert "foundingDate" in found
    assert "Wikidata entity" in found


def test_a_city_without_a_name_and_a_catalogue_without_title_fail():
    g = demo_graph()
    alba = URIRef(f"{SITE}/partner-cities/alba-iulia#city")
    g.remove((alba, FOAF.name, None))
    g.remove((URIRef("https://data.apulum.ro"), DCTERMS.title, None))
    found = shape.problems(g)
    assert any(line.startswith(str(alba)) and "foaf:name" in line for line in found)
    assert any("a catalogue has a dct:title" in line for line in found)


def test_negotiation_keeps_browsers_on_html():
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert negotiate(browser) is None
    assert negotiate("*/*") is None
    assert negotiate(None) is None
    assert negotiate("application/json") is None
    assert negotiate("text/turtle;q=0.9, text/html") is None
    assert negotiate("text/turtle").extension == "ttl"
    assert negotiate("application/ld+json").extension == "jsonld"
    assert negotiate("application/rdf+xml").extension == "rdf"
    assert negotiate("text/html;q=0.5, text/turtle").extension == "ttl"
