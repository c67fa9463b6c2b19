"""A DCAT ``source_filter`` naming a publisher: a national catalogue narrowed to one city.

The filter matches a dataset's ``dct:publisher`` by its URI or by its ``foaf:name`` (or
the name written as a plain literal, as ArcGIS Hub does), case-insensitively and with
white space collapsed, so what an admin copies from the partner's page matches.
"""

from __future__ import annotations

import unicodedata

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, SKOS

VCARD_FN = URIRef("http://www.w3.org/2006/vcard/ns#fn")


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def publisher_names(graph: rdflib.Graph, dataset: URIRef | BNode) -> set[str]:
    """Every way the dataset's publishers are named: URIs, names and literal values."""
    names: set[str] = set()
    for agent in graph.objects(dataset, DCTERMS.publisher):
        if isinstance(agent, Literal):
            names.add(str(agent))
            continue
        if isinstance(agent, URIRef):
            names.add(str(agent))
        for predicate in (FOAF.name, SKOS.prefLabel, VCARD_FN):
            names.update(str(name) for name in graph.objects(agent, predicate))
    return names


def publisher_matches(graph: rdflib.Graph, dataset: URIRef | BNode, wanted: str) -> bool:
    """True when one of the dataset's publishers is ``wanted`` (URI or name)."""
    key = _key(wanted)
    return any(_key(name) == key for name in publisher_names(graph, dataset))
