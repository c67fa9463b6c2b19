"""Publish partners' local categories and their mappings to shared concepts as SKOS.

Each partner is a ``skos:ConceptScheme`` (``dct:title``); each local category a
``skos:Concept`` in it (``skos:inScheme``, ``skos:topConceptOf``) with its label as
``skos:prefLabel`` in its language, and one triple per mapping
(``skos:exactMatch`` / ``closeMatch`` / ``broadMatch`` / ``narrowMatch`` /
``relatedMatch``) to the shared concept's IRI. :func:`graph_to_local_schemes`
reads such a graph back (schemes, concepts and mappings in IRI order), and
:func:`skos_problems` checks a graph against SKOS integrity shapes with pySHACL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from .skos.alignments import MAPPING_RELATIONS


@dataclass
class LocalConcept:
    uri: str
    label: str
    lang: str | None
    mappings: list[tuple[str, str]] = field(default_factory=list)  # (relation, concept IRI)


@dataclass
class LocalScheme:
    uri: str
    title: str
    concepts: list[LocalConcept] = field(default_factory=list)


_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")


def _iri(value: str, what: str) -> URIRef:
    if not isinstance(value, str) or not _IRI.match(value):
        raise ValueError(f"{what} is not an absolute IRI: {value!r}")
    return URIRef(value)


def mappings_graph(schemes: Iterable[LocalScheme]) -> rdflib.Graph:
    """The SKOS graph of ``schemes`` (see the module doc); invalid input raises ValueError.

    Relations are the SKOS local names in :data:`MAPPING_RELATIONS`; a label must not
    be blank.
    """
    graph = rdflib.Graph()
    graph.bind("skos", SKOS)
    graph.bind("dct", DCTERMS)
    for scheme in schemes:
        s = _iri(scheme.uri, "scheme")
        graph.add((s, RDF.type, SKOS.ConceptScheme))
        if scheme.title and scheme.title.strip():
            graph.add((s, DCTERMS.title, Literal(scheme.title.strip())))
        for concept in scheme.concepts:
            c = _iri(concept.uri, "local concept")
            if not concept.label or not concept.label.strip():
                raise ValueError(f"local concept {concept.uri} has an empty label")
            graph.add((c, RDF.type, SKOS.Concept))
            graph.add((c, SKOS.inScheme, s))
            graph.add((c, SKOS.topConceptOf, s))
            graph.add((s, SKOS.hasTopConcept, c))
            lang = concept.lang.lower() if concept.lang else None
            graph.add((c, SKOS.prefLabel, Literal(concept.label, lang=lang)))
            for relation, target in concept.mappings:
                if relation not in MAPPING_RELATIONS:
                    raise ValueError(
                        f"{concept.uri}: unknown mapping relation {relation!r} "
                        f"(one of {', '.join(MAPPING_RELATIONS)})"
                    )
                graph.add((c, SKOS[relation], _iri(target, "mapping target")))
    return graph


def canonical(schemes: Iterable[LocalScheme]) -> list[LocalScheme]:
    """``schemes`` in the order and form :func:`graph_to_local_schemes` returns.

    Schemes, concepts and mappings sorted, duplicate mappings dropped, languages
    lower-case, an empty language as None: ``graph_to_local_schemes(mappings_graph(x))
    == canonical(x)``.
    """
    return [
        LocalScheme(
            uri=scheme.uri,
            title=scheme.title.strip() if scheme.title else "",
            concepts=[
                LocalConcept(
                    uri=c.uri,
                    label=c.label,
                    lang=c.lang.lower() if c.lang else None,
                    mappings=sorted(set(map(tuple, c.mappings))),
                )
                for c in sorted(scheme.concepts, key=lambda c: c.uri)
            ],
        )
        for scheme in sorted(schemes, key=lambda s: s.uri)
    ]


def _first_literal(graph: rdflib.Graph, node, predicates) -> Literal | None:
    for predicate in predicates:
        values = sorted(
            (v for v in graph.objects(node, predicate) if isinstance(v, Literal)),
            key=lambda v: (v.language or "", str(v)),
        )
        if values:
            return values[0]
    return None


def graph_to_local_schemes(graph: rdflib.Graph) -> list[LocalScheme]:
    """Read an export back: every ``skos:ConceptScheme`` with its concepts and mappings.

    The inverse of :func:`mappings_graph`, in canonical order (schemes, concepts and
    mappings sorted by IRI / relation).
    """
    schemes = []
    for s in sorted(set(graph.subjects(RDF.type, SKOS.ConceptScheme)), key=str):
        if not isinstance(s, URIRef):
            continue
        title = _first_literal(graph, s, [DCTERMS.title, SKOS.prefLabel, RDFS.label])
        members = set(graph.subjects(SKOS.inScheme, s)) | set(graph.subjects(SKOS.topConceptOf, s))
        members |= set(graph.objects(s, SKOS.hasTopConcept))
        concepts = []
        for c in sorted((m for m in members if isinstance(m, URIRef)), key=str):
            label = _first_literal(graph, c, [SKOS.prefLabel])
            mappings = sorted(
                (relation, str(target))
                for relation in MAPPING_RELATIONS
                for target in graph.objects(c, SKOS[relation])
                if isinstance(target, URIRef)
            )
            concepts.append(
                LocalConcept(
                    uri=str(c),
                    label=str(label) if label is not None else "",
                    lang=label.language.lower() if label is not None and label.language else None,
                    mappings=mappings,
                )
            )
        schemes.append(
            LocalScheme(uri=str(s), title=str(title) if title else "", concepts=concepts)
        )
    return schemes


#: SHACL shapes for the SKOS integrity conditions the export must meet.
SKOS_SHAPES = r"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix pc: <urn:x-partnercity:shapes:> .

pc:Concept a sh:NodeShape ;
    sh:targetClass skos:Concept ;
    sh:property [
        sh:path skos:prefLabel ;
        sh:minCount 1 ;
        sh:message "a concept needs a skos:prefLabel" ;
    ] , [
        sh:path skos:prefLabel ;
        sh:uniqueLang true ;
        sh:message "more than one skos:prefLabel in one language" ;
    ] , [
        sh:path skos:prefLabel ;
        sh:nodeKind sh:Literal ;
        sh:pattern "\\S" ;
        sh:message "skos:prefLabel must be a non-empty literal" ;
    ] , [
        sh:path skos:altLabel ;
        sh:nodeKind sh:Literal ;
        sh:pattern "\\S" ;
        sh:message "skos:altLabel must be a non-empty literal" ;
    ] , [
        sh:path skos:prefLabel ;
        sh:disjoint skos:altLabel ;
        sh:message "the same label is skos:prefLabel and skos:altLabel" ;
    ] , [
        sh:path skos:inScheme ;
        sh:minCount 1 ;
        sh:nodeKind sh:IRI ;
        sh:class skos:ConceptScheme ;
        sh:message "a concept needs skos:inScheme pointing at a skos:ConceptScheme" ;
    ] , [
        sh:path skos:exactMatch ;
        sh:nodeKind sh:IRI ;
        sh:disjoint skos:broadMatch , skos:narrowMatch , skos:relatedMatch ;
        sh:message "skos:exactMatch target must be an IRI, and not also broad/narrow/related" ;
    ] , [
        sh:path skos:broadMatch ;
        sh:nodeKind sh:IRI ;
        sh:disjoint skos:narrowMatch ;
        sh:message "skos:broadMatch target must be an IRI, and not also a narrowMatch" ;
    ] , [
        sh:path skos:narrowMatch ;
        sh:nodeKind sh:IRI ;
        sh:message "skos:narrowMatch target must be an IRI" ;
    ] , [
        sh:path skos:closeMatch ;
        sh:nodeKind sh:IRI ;
        sh:message "skos:closeMatch target must be an IRI" ;
    ] , [
        sh:path skos:relatedMatch ;
        sh:nodeKind sh:IRI ;
        sh:message "skos:relatedMatch target must be an IRI" ;
    ] , [
        sh:path skos:mappingRelation ;
        sh:nodeKind sh:IRI ;
        sh:message "skos:mappingRelation target must be an IRI" ;
    ] ;
    sh:sparql [
        sh:message "more than one skos:prefLabel without a language" ;
        sh:select '''
            SELECT $this WHERE {
                $this <http://www.w3.org/2004/02/skos/core#prefLabel> ?a , ?b .
                FILTER (?a != ?b && lang(?a) = "" && lang(?b) = "")
            }''' ;
    ] .
"""


def skos_problems(graph: rdflib.Graph) -> list[str]:
    """SKOS integrity problems of ``graph`` (empty list: none), one line each.

    Checked with pySHACL against :data:`SKOS_SHAPES`: every concept has a
    non-empty prefLabel, at most one per language, is ``skos:inScheme`` of a
    ``skos:ConceptScheme``; mapping targets are IRIs; ``exactMatch`` is disjoint
    from ``broadMatch`` / ``narrowMatch`` / ``relatedMatch`` and ``broadMatch``
    from ``narrowMatch`` for the same target; prefLabel and altLabel differ.
    """
    from pyshacl import validate  # imported here: pySHACL is slow to import

    shapes = rdflib.Graph().parse(data=SKOS_SHAPES, format="turtle")
    conforms, results, _text = validate(
        graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    if conforms:
        return []
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    problems = set()
    for result in results.subjects(RDF.type, sh.ValidationResult):
        focus = results.value(result, sh.focusNode)
        message = results.value(result, sh.resultMessage)
        value = results.value(result, sh.value)
        line = f"{focus}: {message}"
        if value is not None and value != focus:
            line += f" ({value.n3()})"
        problems.add(line)
    return sorted(problems)
