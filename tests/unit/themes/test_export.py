"""SKOS export of local categories and mappings: round trip and integrity (no CKAN)."""

from __future__ import annotations

import pytest
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from ckanext.partnercity.themes.export import (
    LocalConcept,
    LocalScheme,
    canonical,
    graph_to_local_schemes,
    mappings_graph,
    skos_problems,
)
from ckanext.partnercity.themes.skos.schemes import EU_THEME_BASE, load_schemes

SITE = "https://opendata.arnsberg.example/partner"
HVD_METEO = "http://data.europa.eu/bna/c_164e0bf5"


def schemes() -> list[LocalScheme]:
    return [
        LocalScheme(
            f"{SITE}/alba-iulia/categories",
            "Alba Iulia",
            [
                LocalConcept(
                    f"{SITE}/alba-iulia/category/transporturi",
                    "Transporturi și infrastructură",
                    "ro",
                    [("closeMatch", EU_THEME_BASE + "TRAN")],
                ),
                LocalConcept(f"{SITE}/alba-iulia/category/mediu", "Mediu", "ro", []),
            ],
        ),
        LocalScheme(
            f"{SITE}/arnsberg/categories",
            "Arnsberg",
            [
                LocalConcept(
                    f"{SITE}/arnsberg/category/umwelt-klima",
                    "Umwelt und Klima",
                    "de",
                    [("closeMatch", EU_THEME_BASE + "ENVI"), ("narrowMatch", HVD_METEO)],
                ),
                LocalConcept(
                    f"{SITE}/arnsberg/category/kultur",
                    "Kultur, Freizeit, Sport, Tourismus",
                    "de",
                    [
                        ("closeMatch", EU_THEME_BASE + "EDUC"),
                        ("closeMatch", EU_THEME_BASE + "ECON"),
                    ],
                ),
                LocalConcept(f"{SITE}/arnsberg/category/misc", "Sonstiges", None, []),
            ],
        ),
    ]


def test_export_is_skos_with_one_scheme_per_partner():
    graph = mappings_graph(schemes())
    scheme = URIRef(f"{SITE}/arnsberg/categories")
    concept = URIRef(f"{SITE}/arnsberg/category/umwelt-klima")
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    assert (concept, RDF.type, SKOS.Concept) in graph
    assert (concept, SKOS.inScheme, scheme) in graph
    assert (concept, SKOS.prefLabel, Literal("Umwelt und Klima", lang="de")) in graph
    assert (concept, SKOS.closeMatch, URIRef(EU_THEME_BASE + "ENVI")) in graph
    assert (concept, SKOS.narrowMatch, URIRef(HVD_METEO)) in graph
    assert len(set(graph.subjects(RDF.type, SKOS.ConceptScheme))) == 2
    assert len(set(graph.subjects(RDF.type, SKOS.Concept))) == 5


def test_export_passes_the_skos_integrity_check():
    assert skos_problems(mappings_graph(schemes())) == []


@pytest.mark.parametrize("fmt", ["turtle", "xml", "json-ld"])
def test_export_imports_back_unchanged(fmt):
    original = schemes()
    graph = mappings_graph(original)
    again = graph_to_local_schemes(
        rdflib.Graph().parse(data=graph.serialize(format=fmt), format=fmt)
    )
    assert again == canonical(original)
    # canonical order only: the same content
    assert {c.uri: c.mappings for s in again for c in s.concepts} == {
        c.uri: sorted(c.mappings) for s in original for c in s.concepts
    }
    assert mappings_graph(again).isomorphic(graph)


def test_export_is_a_concept_scheme_file_the_loader_reads():
    data = mappings_graph(schemes()).serialize(format="turtle").encode()
    loaded = {s.uri: s for s in load_schemes(data)}
    arnsberg = loaded[f"{SITE}/arnsberg/categories"]
    assert arnsberg.titles == {"": "Arnsberg"}
    assert {c.pref_labels.get("de") for c in arnsberg.concepts} == {
        "Umwelt und Klima",
        "Kultur, Freizeit, Sport, Tourismus",
        None,
    }


def _broken_graph() -> rdflib.Graph:
    graph = mappings_graph(schemes())
    kultur = URIRef(f"{SITE}/arnsberg/category/kultur")
    graph.add((kultur, SKOS.broadMatch, URIRef(EU_THEME_BASE + "ECON")))
    graph.add((kultur, SKOS.exactMatch, URIRef(EU_THEME_BASE + "ECON")))  # and broadMatch
    graph.add((kultur, SKOS.prefLabel, Literal("Kultur", lang="de")))  # second @de
    mediu = URIRef(f"{SITE}/alba-iulia/category/mediu")
    graph.add((mediu, SKOS.closeMatch, Literal("ENVI")))  # target not an IRI
    graph.add((mediu, SKOS.relatedMatch, BNode()))  # target not an IRI
    graph.add((mediu, SKOS.altLabel, Literal("Mediu", lang="ro")))  # = prefLabel
    orphan = URIRef(f"{SITE}/x/category/orphan")
    graph.add((orphan, RDF.type, SKOS.Concept))
    graph.add((orphan, SKOS.prefLabel, Literal("  ", lang="de")))  # empty, no inScheme
    nolabel = URIRef(f"{SITE}/x/category/nolabel")
    graph.add((nolabel, RDF.type, SKOS.Concept))
    graph.add((nolabel, SKOS.inScheme, URIRef(f"{SITE}/arnsberg/categories")))
    return graph


def test_a_broken_graph_is_reported():
    problems = skos_problems(_broken_graph())
    kultur = f"{SITE}/arnsberg/category/kultur"
    mediu = f"{SITE}/alba-iulia/category/mediu"
    expected = [
        (kultur, "exactMatch target must be an IRI, and not also broad/narrow/related"),
        (kultur, "more than one skos:prefLabel in one language"),
        (mediu, "skos:closeMatch target must be an IRI"),
        (mediu, "skos:relatedMatch target must be an IRI"),
        (mediu, "the same label is skos:prefLabel and skos:altLabel"),
        (f"{SITE}/x/category/orphan", "needs skos:inScheme"),
        (f"{SITE}/x/category/orphan", "non-empty literal"),
        (f"{SITE}/x/category/nolabel", "needs a skos:prefLabel"),
    ]
    for focus, message in expected:
        assert any(p.startswith(focus + ":") and message in p for p in problems), (
            focus,
            message,
            problems,
        )
    assert len(problems) == len(expected)


def test_two_untagged_preflabels_are_reported():
    graph = mappings_graph(schemes())
    misc = URIRef(f"{SITE}/arnsberg/category/misc")
    graph.add((misc, SKOS.prefLabel, Literal("Diverses")))
    assert skos_problems(graph) == [f"{misc}: more than one skos:prefLabel without a language"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: setattr(s[0].concepts[0], "mappings", [("sameAs", EU_THEME_BASE + "TRAN")]),
         "unknown mapping relation"),
        (lambda s: setattr(s[0].concepts[0], "mappings", [("closeMatch", "TRAN")]),
         "not an absolute IRI"),
        (lambda s: setattr(s[0].concepts[0], "label", "  "), "empty label"),
        (lambda s: setattr(s[0], "uri", "alba iulia"), "not an absolute IRI"),
    ],
)  # fmt: skip
def test_invalid_input_is_refused(change, message):
    data = schemes()
    change(data)
    with pytest.raises(ValueError, match=message):
        mappings_graph(data)
