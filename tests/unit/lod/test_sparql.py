"""The SPARQL endpoint's core: answers, the result cap, the time limit, refused queries."""

from __future__ import annotations

import json

import pytest
import rdflib

from ckanext.partnercity.lod import sparql
from tests.unit.lod.test_graph import demo_graph

PREFIXES = "PREFIX schema: <https://schema.org/> PREFIX dcat: <http://www.w3.org/ns/dcat#> "


@pytest.fixture(scope="module")
def ntriples() -> str:
    return demo_graph().serialize(format="nt")


def test_select_answers_sparql_json(ntriples):
    answer = sparql.run(
        ntriples,
        PREFIXES + "SELECT ?name WHERE { ?c a schema:City ; schema:name ?name } ORDER BY ?name",
        timeout=20,
        max_results=100,
    )
    assert answer.media_type == "application/sparql-results+json"
    data = json.loads(answer.body)
    assert data["head"]["vars"] == ["name"]
    names = [b["name"]["value"] for b in data["results"]["bindings"]]
    assert names == ["Alba Iulia", "Mulhouse", "Musterstadt"]
    assert not answer.truncated


def test_the_result_cap_cuts_and_says_so(ntriples):
    answer = sparql.run(ntriples, "SELECT * WHERE { ?s ?p ?o }", timeout=20, max_results=5)
    data = json.loads(answer.body)
    assert len(data["results"]["bindings"]) == 5
    assert answer.truncated and data["partnercity:truncated"] is True


def test_ask_and_construct(ntriples):
    ask = sparql.run(ntriples, PREFIXES + "ASK { ?d a dcat:Dataset }", timeout=20, max_results=5)
    assert json.loads(ask.body)["boolean"] is True
    built = sparql.run(
        ntriples,
        PREFIXES + "CONSTRUCT { ?d a dcat:Dataset } WHERE { ?d a dcat:Dataset }",
        timeout=20,
        max_results=100,
    )
    assert built.media_type == "application/n-triples"
    assert len(rdflib.Graph().parse(data=built.body, format="nt")) == 2


def test_a_query_past_the_time_limit_is_stopped(ntriples):
    heavy = (
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
    )
    with pytest.raises(sparql.QueryTimeout):
        sparql.run(ntriples, heavy, timeout=1, max_results=5)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:6379/> { ?s ?p ?o } }",
        "SELECT * WHERE { service <https://example.org/sparql> { ?s ?p ?o } }",
        "INSERT DATA { <http://a.example> <http://b.example> <http://c.example> }",
        "SELECT * WHERE { ?s ?p }",
        "",
        "SELECT * WHERE { ?s ?p ?o } #" + "x" * sparql.QUERY_MAX_CHARS,
    ],
)
def test_refused_and_broken_queries_are_clear_errors(ntriples, query):
    with pytest.raises(sparql.QueryError) as raised:
        sparql.run(ntriples, query, timeout=20, max_results=5)
    assert not isinstance(raised.value, sparql.QueryTimeout)
    assert str(raised.value)


def test_service_inside_a_string_or_iri_is_no_federated_query(ntriples):
    query = "SELECT * WHERE { ?s ?p ?o FILTER(?o = 'SERVICE' || ?s = <http://x.example/SERVICE>) }"
    answer = sparql.run(ntriples, query, timeout=20, max_results=5)
    assert json.loads(answer.body)["results"]["bindings"] == []


def test_service_spelled_with_codepoint_escapes_is_refused_before_it_runs():
    with pytest.raises(sparql.QueryError, match="SERVICE"):
        sparql.check_query(r"SELECT * WHERE { \u0053ERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }")
    with pytest.raises(sparql.QueryError, match="SERVICE"):
        sparql.check_query(
            r"SELECT * WHERE { SERVIC\U00000045 <http://127.0.0.1:1/> { ?s ?p ?o } }"
        )
