"""Parse RDF documents and read their labels; shared by the scheme and alignment readers.

JSON-LD with a remote ``@context`` is refused so loading a vocabulary never fetches.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import rdflib
from rdflib import Literal, Namespace

from ckanext.partnercity.harvesters.rdf_syntax import guess_syntax, refuse_entity_declarations
from ckanext.partnercity.harvesters.values import loads

SKOSXL = Namespace("http://www.w3.org/2008/05/skos-xl#")


def read_source(source: bytes | bytearray | str | Path) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray):
        return bytes(source), ""
    path = Path(source)
    return path.read_bytes(), path.suffix.lower()


def _remote_contexts(node) -> bool:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context" and _context_is_remote(value):
                return True
            if _remote_contexts(value):
                return True
    elif isinstance(node, list):
        return any(_remote_contexts(item) for item in node)
    return False


def _context_is_remote(value) -> bool:
    if isinstance(value, str):
        return True
    if isinstance(value, list):
        return any(isinstance(item, str) for item in value)
    return False


def load_graph(source: bytes | bytearray | str | Path, format: str | None = None) -> rdflib.Graph:
    """Parse Turtle, RDF/XML, JSON-LD (or N-Triples) bytes or a file into a graph.

    ``format`` is an rdflib format name or a media type; without it the file suffix
    decides, else the first byte (``<`` RDF/XML, ``{``/``[`` JSON-LD, else Turtle).
    JSON-LD that points at a remote ``@context`` is refused (never fetched), and so
    is RDF/XML declaring entities (never expanded). Unparsable input raises ValueError.
    """
    data, suffix = read_source(source)
    fmt = guess_syntax(format or "", suffix, data).rdflib
    if fmt == "xml":
        refuse_entity_declarations(data)  # an EntityDeclarationError is a ValueError
    if fmt == "json-ld":
        try:
            doc = loads(data)
        except ValueError as exc:
            raise ValueError(f"not JSON-LD: {exc}") from exc
        if _remote_contexts(doc):
            raise ValueError("JSON-LD with a remote @context is not loaded (no fetching)")
    graph = rdflib.Graph()
    try:
        graph.parse(data=data, format=fmt)
    except Exception as exc:  # rdflib raises parser-specific errors (BadSyntax, SAX, …)
        raise ValueError(f"cannot parse as {fmt}: {exc}") from exc
    return graph


def literal_lang(literal: Literal) -> str:
    return (literal.language or "").lower()


def literals_of(graph: rdflib.Graph, node, predicates) -> list[Literal]:
    out = []
    for predicate in predicates:
        for value in graph.objects(node, predicate):
            if isinstance(value, Literal) and str(value).strip():
                out.append(value)
    return out


def xl_literals(graph: rdflib.Graph, node, predicate) -> list[Literal]:
    out = []
    for label in graph.objects(node, predicate):
        for value in graph.objects(label, SKOSXL.literalForm):
            if isinstance(value, Literal) and str(value).strip():
                out.append(value)
    return out


def labels_by_lang(literals: Iterable[Literal]) -> dict[str, list[str]]:
    out: dict[str, set[str]] = {}
    for literal in literals:
        out.setdefault(literal_lang(literal), set()).add(str(literal).strip())
    return {lang: sorted(values) for lang, values in sorted(out.items())}
