"""The HVD category vocabulary, parsed once per process for every HVD consumer.

pyoxigraph reads the bundled RDF/XML several times faster than rdflib, and the
checker, the report, the CKAN fields and the profile only need URIs, hierarchy and labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .model import HVD_SCHEME

HVD_VOCAB_FILE = "high-value-dataset-category.rdf"
_SKOS = "http://www.w3.org/2004/02/skos/core#"


@dataclass
class Concept:
    uri: str
    broader: list[str] = field(default_factory=list)
    narrower: list[str] = field(default_factory=list)
    pref_labels: dict[str, str] = field(default_factory=dict)


class ConceptIndex:
    """Hierarchy and labels of the concepts of the HVD scheme."""

    def __init__(self, concepts: list[Concept]):
        self.broader = {c.uri: list(c.broader) for c in concepts}
        self.narrower = {c.uri: list(c.narrower) for c in concepts}
        self.labels = {c.uri: c.pref_labels.get("en", c.uri) for c in concepts}
        self.pref_labels = {c.uri: dict(sorted(c.pref_labels.items())) for c in concepts}

    def labels_in(self, lang: str) -> dict[str, str]:
        """Labels in ``lang``, English where the vocabulary has none."""
        return {
            uri: labels.get(lang) or self.labels[uri] for uri, labels in self.pref_labels.items()
        }

    def __contains__(self, uri: str) -> bool:
        return uri in self.broader

    def ancestors(self, uri: str) -> list[str]:
        out, todo = [], list(self.broader.get(uri, ()))
        while todo:
            b = todo.pop()
            if b not in out:
                out.append(b)
                todo.extend(self.broader.get(b, ()))
        return out

    def top(self, uri: str) -> str:
        chain = self.ancestors(uri)
        return chain[-1] if chain else uri


def hvd_vocabulary_path() -> Path:
    """The file shipped in ``ckanext.partnercity.themes`` (found without importing it)."""
    from importlib.resources import files

    return Path(str(files("ckanext.partnercity.themes") / "vocabularies" / HVD_VOCAB_FILE))


@cache
def concept_index() -> ConceptIndex:
    """The HVD category vocabulary v2.1, keeping only the concepts of the HVD scheme."""
    import pyoxigraph as ox

    concepts: dict[str, Concept] = {}
    in_scheme: set[str] = set()
    for quad in ox.parse(path=str(hvd_vocabulary_path()), format=ox.RdfFormat.RDF_XML):
        p = quad.predicate.value
        if not p.startswith(_SKOS):
            continue
        s, o, local = quad.subject.value, quad.object, p[len(_SKOS) :]
        if local in ("inScheme", "topConceptOf") and o.value == HVD_SCHEME:
            in_scheme.add(s)
        elif local == "broader":
            concepts.setdefault(s, Concept(s)).broader.append(o.value)
            concepts.setdefault(o.value, Concept(o.value)).narrower.append(s)
        elif local == "prefLabel" and isinstance(o, ox.Literal) and o.language:
            concepts.setdefault(s, Concept(s)).pref_labels[o.language] = o.value
    return ConceptIndex([c for uri, c in concepts.items() if uri in in_scheme])
