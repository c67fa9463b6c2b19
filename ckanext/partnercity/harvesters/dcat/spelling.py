"""Misspelt DCAT property names that real feeds publish, read as the DCAT ones.

ArcGIS Hub's DCAT-AP 2.0.1 JSON-LD feeds write ``dcat:accessUrl`` (lower-case "Url"),
which is not a DCAT property: ckanext-dcat ignores it, so every distribution of such a
feed lost its only link to the data. Both DCAT paths add the DCAT spelling beside it.
"""

from __future__ import annotations

import rdflib
from rdflib import URIRef

_DCAT = "http://www.w3.org/ns/dcat#"
#: misspelt predicate -> the DCAT predicate it stands for
PREDICATE_ALIASES: dict[str, str] = {
    f"{_DCAT}accessUrl": f"{_DCAT}accessURL",
    f"{_DCAT}downloadUrl": f"{_DCAT}downloadURL",
    f"{_DCAT}endpointUrl": f"{_DCAT}endpointURL",
}


def canonical_predicate(predicate: str) -> str:
    """The DCAT spelling of ``predicate`` (itself when it is not a known misspelling)."""
    return PREDICATE_ALIASES.get(predicate, predicate)


def add_dcat_spellings(graph: rdflib.Graph) -> int:
    """Add the DCAT-spelt triple beside every misspelt one; return how many were added."""
    added = 0
    for wrong, right in PREDICATE_ALIASES.items():
        for subject, obj in list(graph.subject_objects(URIRef(wrong))):
            graph.add((subject, URIRef(right), obj))
            added += 1
    return added
