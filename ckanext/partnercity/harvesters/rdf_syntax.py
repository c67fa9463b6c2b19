"""Which RDF serialization a document is in: the one detector for harvesting,
HVD checks and theme vocabularies. Outside harvesters/dcat/ because that package
imports ckanext-dcat (and so CKAN); this module must stay light.

Media type first, then the file suffix or a ``format`` URL parameter, then the
first bytes of the body.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
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


# -- XML entity declarations ---------------------------------------------------

# XML spells it ``<!ENTITY`` exactly; any case is refused, in case a parser is lenient.
_ENTITY_DECLARATION = re.compile(r"<!entity", re.IGNORECASE)
_SCAN_CHUNK = 1 << 20
_SCAN_OVERLAP = 16  # a declaration split across two chunks is still found
# XML 1.0 appendix F: the encodings whose ``<`` is not the byte 0x3C.
_WIDE_ENCODINGS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (b"<\0\0\0", "utf-32-le"),
    (b"\0\0\0<", "utf-32-be"),
    (b"<\0?\0", "utf-16-le"),
    (b"\0<\0?", "utf-16-be"),
)


class EntityDeclarationError(ValueError):
    """An XML document declares entities: refused before any parser expands them."""


def _xml_encoding(head: bytes) -> str:
    """The codec to scan with: the wide encodings by their first bytes, else bytewise."""
    for mark, encoding in _WIDE_ENCODINGS:
        if head.startswith(mark):
            return encoding
    return "latin-1"  # UTF-8 and every ASCII-compatible encoding keep "<!ENTITY" as is


def _chunks(source: bytes | Path) -> Iterator[bytes]:
    if isinstance(source, bytes | bytearray):
        yield bytes(source)
        return
    with open(source, "rb") as body:
        while chunk := body.read(_SCAN_CHUNK):
            yield chunk


def refuse_entity_declarations(source: bytes | Path) -> None:
    """Raise EntityDeclarationError if an XML document declares entities.

    Entity expansion ("billion laughs") turns a kilobyte into gigabytes inside
    expat, rdflib and pyoxigraph alike, and no RDF/XML catalogue needs it, so any
    ``<!ENTITY`` is refused before a parser sees the document; a DOCTYPE without
    one stays allowed. Files are scanned a chunk at a time, never read whole.
    """
    decoder = None
    tail = ""
    for chunk in _chunks(source):
        if decoder is None:
            decoder = codecs.getincrementaldecoder(_xml_encoding(chunk[:4]))("replace")
        text = tail + decoder.decode(chunk)
        if _ENTITY_DECLARATION.search(text):
            raise EntityDeclarationError(
                "XML entity declarations (<!ENTITY) are refused: "
                "entity expansion can exhaust memory and CPU"
            )
        tail = text[-_SCAN_OVERLAP:]
