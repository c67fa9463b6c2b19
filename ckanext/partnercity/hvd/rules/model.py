"""One normalized model for DCAT-AP HVD metadata, fed from RDF or CKAN dataset dicts.

Nodes hold values under DCAT-AP compact names, and paths such as
``dcat:contactPoint/vcard:hasEmail`` follow nodes, so rule predicates stay generic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

ELI_HVD = "http://data.europa.eu/eli/reg_impl/2023/138/oj"
HVD_SCHEME = "http://data.europa.eu/bna/asd487ae75"

PREFIXES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcatap": "http://data.europa.eu/r5r/",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "adms": "http://www.w3.org/ns/adms#",
}
RDF_TYPE = PREFIXES["rdf"] + "type"


@lru_cache(maxsize=4096)
def compact(iri: str) -> str:
    """``http://www.w3.org/ns/dcat#distribution`` → ``dcat:distribution`` (else unchanged)."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and "/" not in iri[len(ns) :] and "#" not in iri[len(ns) :]:
            return prefix + ":" + iri[len(ns) :]
    return iri


def expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES else curie


_EMPTY: list = []


class Lit(NamedTuple):
    """An RDF literal (or a CKAN string value)."""

    value: str
    lang: str = ""


class Node:
    """A resource: ``id`` is its IRI or ``_:label`` for a blank node."""

    __slots__ = ("id", "props")

    def __init__(self, id: str):
        self.id = id
        self.props: dict[str, list] = {}

    def __repr__(self) -> str:
        return f"Node({self.id!r})"

    @property
    def is_blank(self) -> bool:
        return self.id.startswith("_:")

    def add(self, key: str, value) -> None:
        if value is None or value == "":
            return
        values = self.props.setdefault(key, [])
        if value not in values:
            values.append(value)

    def values(self, path: str) -> list:
        """Values reached by a ``/``-separated path of compact property names.

        The returned list must not be modified (single steps return the stored list).
        """
        if "/" not in path:
            return self.props.get(path, _EMPTY)
        current: list = [self]
        for step in path.split("/"):
            nxt: list = []
            for node in current:
                if isinstance(node, Node):
                    nxt.extend(node.props.get(step, ()))
            current = nxt
        return current

    def types(self) -> list[str]:
        return [v.id for v in self.props.get("rdf:type", ()) if isinstance(v, Node)]


def ident(value) -> str:
    """The IRI of a node, or the text of a literal."""
    return value.id if isinstance(value, Node) else value.value


@dataclass
class DatasetRecord:
    """A dataset with what the rules look at around it."""

    node: Node
    distributions: list[Node] = field(default_factory=list)
    services: list[Node] = field(default_factory=list)
    #: HVD markers a CKAN dict states outside RDF (a partner reference's
    #: ``partner_hvd_markers``, dane.gov.pl's flags); see :mod:`.markers`
    stated_markers: list[str] = field(default_factory=list)

    @property
    def uri(self) -> str:
        return self.node.id

    def title(self) -> str:
        titles = self.node.values("dct:title")
        for lit in titles:
            if isinstance(lit, Lit) and lit.lang == "en":
                return lit.value
        return ident(titles[0]) if titles else self.node.id

    def categories(self) -> list[str]:
        return [ident(v) for v in self.node.values("dcatap:hvdCategory")]

    def legislation(self) -> list[str]:
        return [ident(v) for v in self.node.values("dcatap:applicableLegislation")]


@dataclass
class Catalogue:
    uri: str | None
    title: str | None
    datasets: list[DatasetRecord]
    services: list[Node] = field(default_factory=list)
    source: str = ""
    #: the dcat:Catalog itself: its dct:spatial is the reporting country (EU reporting view)
    node: Node | None = None
    #: dataset id → the dcat:CatalogRecord nodes whose foaf:primaryTopic it is
    records: dict[str, list[Node]] = field(default_factory=dict)
    #: dataset id → the catalogue that lists it, where that is not ``node`` (several
    #: catalogues in one file; partner references, each in its partner city's catalogue)
    catalogue_of: dict[str, Node] = field(default_factory=dict)
