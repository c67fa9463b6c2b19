"""Which RDF serialization a document is in: the one detector for harvesting,
HVD checks and theme vocabularies. Outside harvesters/dcat/ because that package
imports ckanext-dcat (and so CKAN); this module must stay light.

Media type first, then the file suffix or a ``format`` URL parameter, then the
first bytes of the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from ckanext.partnercity.harvesters.base import HarvestError


@dataclass(frozen=True)
class RdfSyntax:
    """One RDF serialization, as rdflib and pyoxigraph name it."""

    label: str
    rdflib: str
    oxigraph: ox.RdfFormat


TURTLE = RdfSyntax("Turtle", "turtle", ox.RdfFormat.TURTLE)
RDF_XML = RdfSyntax("RDF/XML", "xml", ox.RdfFormat.RDF_XML)
JSON_LD = RdfSyntax("JSON-LD", "json-ld", ox.RdfFormat.JSON_LD)
N_TRIPLES = RdfSyntax("N-Triples", "nt", ox.RdfFormat.N_TRIPLES)
N3 = RdfSyntax("N3", "n3", ox.RdfFormat.N3)
N_QUADS = RdfSyntax("N-Quads", "nquads", ox.RdfFormat.N_QUADS)
TRIG = RdfSyntax("TriG", "trig", ox.RdfFormat.TRIG)

MEDIA_TYPES = {
    "text/turtle": TURTLE,
    "application/turtle": TURTLE,
    "application/x-turtle": TURTLE,
    "application/rdf+xml": RDF_XML,
    "application/xml": RDF_XML,
    "text/xml": RDF_XML,
    "application/ld+json": JSON_LD,
    "application/json": JSON_LD,
    "application/n-triples": N_TRIPLES,
    "text/n3": N3,
    "application/n-quads": N_QUADS,
    "application/trig": TRIG,
}
SUFFIXES = {
    ".ttl": TURTLE,
    ".turtle": TURTLE,
    ".rdf": RDF_XML,
    ".xml": RDF_XML,
    ".owl": RDF_XML,
    ".jsonld": JSON_LD,
    ".json": JSON_LD,
    ".nt": N_TRIPLES,
    ".n3": N3,
    ".nq": N_QUADS,
    ".trig": TRIG,
}
# Short names: a URL's ``format`` parameter, rdflib's format names, CLI options.
NAMES = {
    "ttl": TURTLE,
    "turtle": TURTLE,
    "rdf": RDF_XML,
    "xml": RDF_XML,
    "rdf/xml": RDF_XML,
    "rdfxml": RDF_XML,
    "jsonld": JSON_LD,
    "json-ld": JSON_LD,
    "json": JSON_LD,
    "nt": N_TRIPLES,
    "ntriples": N_TRIPLES,
    "n-triples": N_TRIPLES,
    "n3": N3,
    "nquads": N_QUADS,
    "trig": TRIG,
}
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_HTML_MARK = re.compile(r"<!doctype\s+html|<html[\s>]")
_XML_ROOT = re.compile(r"<[\w.-]+(?::[\w.-]+)?[\s>]")


def named_syntax(name: str | None) -> RdfSyntax | None:
    """A media type (parameters ignored) or a short name such as ``ttl`` or ``json-ld``."""
    key = (name or "").split(";")[0].strip().lower()
    return MEDIA_TYPES.get(key) or NAMES.get(key)


def suffix_syntax(name: str) -> RdfSyntax | None:
    """The syntax a suffix (``.ttl``), a file name, a URL's suffix or its ``format`` names."""
    parts = urlsplit(name)
    suffix = name.lower() if name.startswith(".") else PurePosixPath(parts.path).suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    for value in parse_qs(parts.query).get("format", []):
        if value.lower() in NAMES:
            return NAMES[value.lower()]
    return None


def sniff(head: bytes) -> RdfSyntax | str | None:
    """The syntax the body's start shows, ``"html"`` for an HTML page, None if unclear."""
    text = head[:4096].decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n").lower()
    if not text:
        return None
    if text.startswith("<"):
        if text.startswith(("<!doctype html", "<html")):
            return "html"
        if text.startswith(("<?xml", "<!--", "<!doctype")):
            before_rdf = text.split("<rdf:", 1)[0]
            return "html" if _HTML_MARK.search(before_rdf) else RDF_XML
        if text.startswith("<rdf:") or (_XML_ROOT.match(text) and "xmlns" in text):
            return RDF_XML
        return TURTLE  # an IRI: Turtle or N-Triples, which the Turtle parsers read too
    if text.startswith(("{", "[")):
        return JSON_LD
    if text.startswith(("@prefix", "@base", "prefix", "base", "#", "_:")):
        return TURTLE
    return None


def guess_syntax(media_type: str = "", name: str = "", head: bytes = b"") -> RdfSyntax:
    """Lenient detection for our own and admin-given files: Turtle when nothing tells."""
    found = named_syntax(media_type) or (suffix_syntax(name) if name else None)
    if found:
        return found
    sniffed = sniff(head)
    return sniffed if isinstance(sniffed, RdfSyntax) else TURTLE


def detect_syntax(content_type: str, url: str, head: bytes) -> RdfSyntax:
    """Strict detection for partner answers: raise HarvestError rather than guess.

    An HTML body is an error whatever the Content-Type: partners answer 200 with
    login, error and landing pages.
    """
    sniffed = sniff(head)
    if sniffed == "html" or (content_type in HTML_TYPES and sniffed is None):
        raise HarvestError(
            "expected RDF but got HTML (a login, error or landing page?); "
            "check the catalogue URL",
            url,
        )
    if not head.strip():
        raise HarvestError("expected RDF but the response is empty", url)
    if b"GetRecordsResponse" in head:
        raise HarvestError(
            "expected an RDF document but got a CSW GetRecords response "
            "(DCAT records wrapped in CSW are not a DCAT catalogue)",
            url,
        )
    found = MEDIA_TYPES.get(content_type) or suffix_syntax(url)
    if found:
        return found
    if isinstance(sniffed, RdfSyntax):
        return sniffed
    raise HarvestError(
        f"cannot tell the RDF syntax (Content-Type {content_type or 'missing'}); "
        "expected Turtle, RDF/XML, JSON-LD or N-Triples",
        url,
    )
