"""Confirmed counterparts in the partnership graph (issue 15, §2 and §3): a confirmed pair is
``dct:relation`` both ways between our dataset's URI (the one /catalog.ttl gives it) and the
partner's own dataset URI (the one the reference catalogue lists); rejected or undone, it is
gone. Deciding bumps the page cache, so the cached graph follows at once."""

from __future__ import annotations

import pytest
import rdflib
from ckan import model
from ckan.tests.helpers import call_action
from rdflib import URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from ckanext.partnercity.lod import graph as lod
from ckanext.partnercity.lod import shape
from ckanext.partnercity.model import CounterpartDecision
from ckanext.partnercity.pages import cache as page_cache
from tests.integration.page_support import fresh_store, own_air_quality, partner_portals, seed

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("with_plugins")]


@pytest.fixture(scope="module")
def data(reset_db, reset_index, migrate_db_for):
    fresh_store(reset_db, reset_index, migrate_db_for)
    with partner_portals() as urls:
        seeded = seed(urls)
        own = own_air_quality(seeded)
        yield {**seeded, "own": own}


@pytest.fixture
def decide(data):
    def decide(reference: str, decision: str, dataset: str | None = None) -> dict:
        return call_action(
            "partnercity_counterpart_decide",
            {"user": data["sysadmin"]["name"]},
            dataset=dataset or data["own"]["id"],
            reference=reference,
            decision=decision,
        )

    yield decide
    model.Session.query(CounterpartDecision).delete()
    model.Session.commit()


def _graph(app, path: str = "/partner-cities.ttl") -> rdflib.Graph:
    answer = app.get(path)
    assert answer.status_code == 200
    return rdflib.Graph().parse(data=answer.body, format="turtle")


def _reference(name: str = "") -> dict:
    """A reference of Alba Iulia (by name, or the first)."""
    fq = "+dataset_type:partner_dataset +organization:alba-iulia"
    if name:
        fq += f" +name:{name}"
    return call_action("package_search", fq=fq, rows=1, sort="name asc")["results"][0]


def _own_uri(app, name: str) -> URIRef:
    """Our dataset's URI as our own DCAT catalogue (ckanext-dcat) gives it."""
    catalogue = rdflib.Graph().parse(data=app.get("/catalog.ttl").body, format="turtle")
    pkg = call_action("package_show", id=name)
    found = [
        s
        for s in catalogue.subjects(DCTERMS.identifier, rdflib.Literal(pkg["id"]))
        if (s, RDF.type, DCAT.Dataset) in catalogue
    ]
    assert len(found) == 1, f"{name} is not in /catalog.ttl once"
    return found[0]


def test_confirmed_counterpart_is_a_relation_both_ways(app, data, decide):
    ref = _reference()
    own = _own_uri(app, data["own"]["name"])
    before = _graph(app)
    assert (own, DCTERMS.relation, None) not in before
    generation = page_cache.store().get(page_cache.GENERATION)
    decide(ref["name"], "confirmed")
    # the cached graph and pages are out of date
    assert page_cache.store().get(page_cache.GENERATION) != generation

    graph = _graph(app)
    site = app.flask_app.config["ckan.site_url"].rstrip("/")
    theirs = [
        d
        for d in lod.reference_catalog_datasets(graph, site)
        if (URIRef(d), FOAF.page, URIRef(f"{site}/partner_dataset/{ref['name']}")) in graph
    ]
    assert len(theirs) == 1
    partner = URIRef(theirs[0])
    assert (own, DCTERMS.relation, partner) in graph
    assert (partner, DCTERMS.relation, own) in graph
    assert shape.problems(graph) == []
    pairs = call_action("partnercity_counterpart_confirmed")
    assert pairs == [{"own_uri": str(own), "partner_uri": str(partner)}]

    decide(ref["name"], "rejected")
    graph = _graph(app)
    assert (own, DCTERMS.relation, None) not in graph
    assert (partner, DCTERMS.relation, None) not in graph
    assert call_action("partnercity_counterpart_confirmed") == []


def test_undone_counterpart_leaves_the_graph(app, data, decide):
    ref = _reference()
    decide(ref["name"], "confirmed")
    assert len(list(_graph(app).triples((None, DCTERMS.relation, None)))) == 2
    decide(ref["name"], "undecided")
    assert list(_graph(app).triples((None, DCTERMS.relation, None))) == []


def test_private_dataset_or_withdrawn_reference_stays_out(app, data, decide):
    ref = _reference()
    decide(ref["name"], "confirmed")
    sysadmin = {"user": data["sysadmin"]["name"]}
    call_action("package_patch", sysadmin, id=data["own"]["id"], private=True)
    try:
        assert call_action("partnercity_counterpart_confirmed") == []
    finally:
        call_action("package_patch", sysadmin, id=data["own"]["id"], private=False)
    assert len(call_action("partnercity_counterpart_confirmed")) == 1
    call_action("package_patch", sysadmin, id=ref["id"], reference_status="withdrawn")
    try:
        assert call_action("partnercity_counterpart_confirmed") == []
        assert (None, DCTERMS.relation, None) not in _graph(app)
    finally:
        call_action("package_patch", sysadmin, id=ref["id"], reference_status="active")


def test_other_serialisations_carry_the_relation(app, data, decide):
    ref = _reference()
    decide(ref["name"], "confirmed")
    for path, fmt in (("/partner-cities.jsonld", "json-ld"), ("/partner-cities.rdf", "xml")):
        graph = rdflib.Graph().parse(data=app.get(path).body, format=fmt)
        assert len(list(graph.triples((None, DCTERMS.relation, None)))) == 2, path
