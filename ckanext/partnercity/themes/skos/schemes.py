"""Concept schemes from Turtle, RDF/XML or JSON-LD as plain dataclasses, and the bundled ones.

A concept without ``skos:inScheme`` is placed through ``skos:topConceptOf`` /
``skos:hasTopConcept``, else the only scheme of the file, else the scheme of a broader
concept, because published vocabularies state membership in all of these ways.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DC, DCTERMS, RDF, RDFS, SKOS

from .rdf import SKOSXL, labels_by_lang, literals_of, load_graph, xl_literals

log = logging.getLogger(__name__)

EU_THEME_SCHEME = "http://publications.europa.eu/resource/authority/data-theme"
EU_THEME_BASE = EU_THEME_SCHEME + "/"
HVD_SCHEME = "http://data.europa.eu/bna/asd487ae75"
HVD_BASE = "http://data.europa.eu/bna/c_"

VOCAB_DIR = Path(__file__).resolve().parent.parent / "vocabularies"

_AUTHORITY = Namespace("http://publications.europa.eu/ontology/authority/")


@dataclass
class Concept:
    uri: str
    scheme_uri: str | None
    notation: str | None = None
    pref_labels: dict[str, str] = field(default_factory=dict)
    alt_labels: dict[str, list[str]] = field(default_factory=dict)
    broader: list[str] = field(default_factory=list)
    narrower: list[str] = field(default_factory=list)


@dataclass
class Scheme:
    uri: str
    titles: dict[str, str] = field(default_factory=dict)
    concepts: list[Concept] = field(default_factory=list)


#: Concept schemes shipped in ``vocabularies/``.
BUNDLED_SCHEME_FILES = (
    "eu_data-theme_skos_v20200923-0.rdf",
    "high-value-dataset-category.rdf",
)


def _pref_labels(graph: rdflib.Graph, node) -> dict[str, str]:
    labels = {
        lang: values[0]
        for lang, values in labels_by_lang(literals_of(graph, node, [SKOS.prefLabel])).items()
    }
    for lang, values in labels_by_lang(xl_literals(graph, node, SKOSXL.prefLabel)).items():
        labels.setdefault(lang, values[0])
    return dict(sorted(labels.items()))


def _alt_labels(graph: rdflib.Graph, node) -> dict[str, list[str]]:
    literals = literals_of(graph, node, [SKOS.altLabel]) + xl_literals(graph, node, SKOSXL.altLabel)
    return labels_by_lang(literals)


def _notation(graph: rdflib.Graph, node) -> str | None:
    for predicate in (
        SKOS.notation,
        _AUTHORITY["authority-code"],
        DC.identifier,
        DCTERMS.identifier,
    ):
        values = sorted(
            str(v).strip()
            for v in graph.objects(node, predicate)
            if isinstance(v, Literal) and str(v).strip()
        )
        values = [v for v in values if " " not in v and "://" not in v]
        if values:
            return values[0]
    return None


def _titles(graph: rdflib.Graph, node) -> dict[str, str]:
    titles: dict[str, str] = {}
    for predicate in (SKOS.prefLabel, DCTERMS.title, DC.title, RDFS.label):
        for lang, values in labels_by_lang(literals_of(graph, node, [predicate])).items():
            titles.setdefault(lang, values[0])
    return dict(sorted(titles.items()))


def schemes_from_graph(graph: rdflib.Graph) -> list[Scheme]:
    """Every concept scheme of ``graph`` with its concepts (sorted by IRI)."""
    scheme_nodes = {s for s in graph.subjects(RDF.type, SKOS.ConceptScheme)}
    scheme_nodes |= set(graph.objects(None, SKOS.inScheme))
    scheme_nodes |= set(graph.objects(None, SKOS.topConceptOf))
    scheme_nodes |= set(graph.subjects(SKOS.hasTopConcept, None))
    scheme_nodes = {s for s in scheme_nodes if isinstance(s, URIRef)}

    concept_nodes = set(graph.subjects(RDF.type, SKOS.Concept))
    concept_nodes |= set(graph.subjects(SKOS.inScheme, None))
    concept_nodes |= set(graph.subjects(SKOS.topConceptOf, None))
    concept_nodes |= set(graph.objects(None, SKOS.hasTopConcept))
    concept_nodes = {c for c in concept_nodes if isinstance(c, URIRef)}

    def direct_schemes(node) -> set:
        found = set(graph.objects(node, SKOS.inScheme)) | set(
            graph.objects(node, SKOS.topConceptOf)
        )
        found |= set(graph.subjects(SKOS.hasTopConcept, node))
        return {s for s in found if isinstance(s, URIRef)}

    def broader_of(node) -> set:
        up = set(graph.objects(node, SKOS.broader)) | set(graph.subjects(SKOS.narrower, node))
        return {b for b in up if isinstance(b, URIRef)}

    def schemes_for(node) -> set:
        found = direct_schemes(node)
        if found:
            return found
        if len(scheme_nodes) == 1:
            return set(scheme_nodes)
        seen, frontier = {node}, broader_of(node)
        while frontier:  # inherit from the nearest broader concept that has a scheme
            for up in frontier:
                found |= direct_schemes(up)
            if found:
                return found
            seen |= frontier
            frontier = set().union(*(broader_of(up) for up in frontier)) - seen
        return set()

    broader: dict[URIRef, set[str]] = {c: set() for c in concept_nodes}
    narrower: dict[URIRef, set[str]] = {c: set() for c in concept_nodes}
    for c in concept_nodes:
        for b in broader_of(c):
            broader[c].add(str(b))
            if b in narrower:
                narrower[b].add(str(c))
        for n in graph.objects(c, SKOS.narrower):
            if isinstance(n, URIRef):
                narrower[c].add(str(n))
        for n in graph.subjects(SKOS.broader, c):
            if isinstance(n, URIRef):
                narrower[c].add(str(n))

    members: dict[URIRef, list[Concept]] = {s: [] for s in scheme_nodes}
    for c in sorted(concept_nodes, key=str):
        found = schemes_for(c)
        if not found:
            log.warning("concept %s belongs to no concept scheme; skipped", c)
            continue
        pref, alt, notation = _pref_labels(graph, c), _alt_labels(graph, c), _notation(graph, c)
        for scheme in sorted(found, key=str):
            members.setdefault(scheme, []).append(
                Concept(
                    uri=str(c),
                    scheme_uri=str(scheme),
                    notation=notation,
                    pref_labels=dict(pref),
                    alt_labels={k: list(v) for k, v in alt.items()},
                    broader=sorted(broader[c]),
                    narrower=sorted(narrower[c]),
                )
            )
    return [
        Scheme(uri=str(s), titles=_titles(graph, s), concepts=members[s])
        for s in sorted(members, key=str)
    ]


def load_schemes(source: bytes | bytearray | str | Path, format: str | None = None) -> list[Scheme]:
    """Concept schemes of a Turtle / RDF-XML / JSON-LD document (bytes or a path)."""
    return schemes_from_graph(load_graph(source, format))


@functools.cache
def bundled_schemes() -> tuple[Scheme, ...]:
    """The shipped EU data-theme (24 EU languages) and HVD category (v2.1) schemes.

    Parsed once per process; the objects are shared, treat them as read-only.
    """
    schemes: list[Scheme] = []
    for name in BUNDLED_SCHEME_FILES:
        schemes.extend(s for s in load_schemes(VOCAB_DIR / name) if s.concepts)
    return tuple(schemes)


def bundled_concepts(scheme: str | None = None) -> list[Concept]:
    """Concepts of the bundled schemes, optionally of one scheme only."""
    return [c for s in bundled_schemes() if scheme in (None, s.uri) for c in s.concepts]
