"""A plain DCAT file (Turtle, RDF/XML, JSON-LD): recognised from the pasted URL's own
answer; the harvester reads that very URL. Only the document's start is looked at."""

from __future__ import annotations

import html
import re

from ckanext.partnercity.harvesters import rdf_syntax
from ckanext.partnercity.harvesters.detect.model import Detection, Prober, Seen, Signature, clean

DCAT_NS = "http://www.w3.org/ns/dcat#"
SCAN = 256 * 1024
_TURTLE_TITLE = re.compile(r"""(?:dct|dcterms):title\s+"([^"\n]{1,500})\"""")
_XML_TITLE = re.compile(r"<(?:dct|dcterms):title\b[^>]{0,200}>([^<]{1,500})<")


def no_page(seen: Seen) -> list[str]:
    return []


def no_probe(prober: Prober, base: str) -> Detection | None:
    return None


def _title(text: str, syntax: rdf_syntax.RdfSyntax, seen: Seen) -> str:
    """The catalogue's title if the document starts with a catalogue (not a dataset's)."""
    catalog = text.find("Catalog")
    if catalog < 0:
        return ""
    if syntax is rdf_syntax.JSON_LD:
        data = seen.json()
        if isinstance(data, dict):
            for key in ("dct:title", "dcterms:title", "title"):
                value = data.get(key)
                if isinstance(value, str):
                    return clean(value)
        return ""
    pattern = _XML_TITLE if syntax is rdf_syntax.RDF_XML else _TURTLE_TITLE
    match = pattern.search(text, catalog)
    return clean(html.unescape(match.group(1))) if match else ""


def identify(seen: Seen, pasted: str) -> Detection | None:
    if not seen.ok:
        return None
    sniffed = rdf_syntax.sniff(seen.body)
    if not isinstance(sniffed, rdf_syntax.RdfSyntax):
        return None
    text = seen.body[:SCAN].decode("utf-8", errors="replace")
    if not (DCAT_NS in text or "dcat:" in text):
        return None
    if "Catalog" not in text and "Dataset" not in text:
        return None
    if sniffed is rdf_syntax.JSON_LD and (
        ("@context" not in text and "@type" not in text) or (seen.complete and seen.json() is None)
    ):
        return None
    datasets = text.count("dcat:Dataset") + text.count(f"{DCAT_NS}Dataset")
    seen_count = f", {datasets} dcat:Dataset mentions in the first {SCAN // 1024} KB"
    return Detection(
        "dcat",
        pasted,
        title=_title(text, sniffed, seen),
        evidence=[f"the URL answers with a DCAT document ({sniffed.label}){seen_count}"],
        publishers=[],
    )


SIGNATURE = Signature("dcat", "dcat", (), no_page, no_probe, identify=identify)
