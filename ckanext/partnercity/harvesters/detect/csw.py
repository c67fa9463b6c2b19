"""CSW catalogues, GeoNetwork's above all: ``srv/eng/csw`` answers GetCapabilities with an
OGC capabilities document. The harvester wants the CSW endpoint itself (no query)."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit, urlunsplit

from ckanext.partnercity.harvesters.detect import page
from ckanext.partnercity.harvesters.detect.model import Detection, Prober, Seen, Signature, clean

ENDPOINT = "/srv/eng/csw"
CAPABILITIES = "?service=CSW&request=GetCapabilities"
MARKERS = ("srv", "catalog.search")
_ROOT = re.compile(rb"<(?:[\w.-]+:)?Capabilities\b[^>]*cat/csw", re.IGNORECASE)
_TITLE = re.compile(r"<(?:[\w.-]+:)?Title>([^<]{1,500})</(?:[\w.-]+:)?Title>")


def geonetwork_page(seen: Seen) -> list[str]:
    evidence = []
    word = page.mentions(seen, "geonetwork", "gn_search")
    if word:
        evidence.append(f"page mentions {word}")
    if page.path_has(seen.url, "/geonetwork", "/srv/", "service=csw"):
        evidence.append("the URL is a GeoNetwork/CSW URL")
    return evidence


def _capabilities(seen: Seen | None) -> bool:
    return seen is not None and seen.ok and bool(_ROOT.search(seen.body[:8192]))


def _found(seen: Seen, endpoint: str, how: str) -> Detection:
    text = seen.text
    match = _TITLE.search(text)
    evidence = [how]
    if "geonetwork" in text.lower() or "geonetwork" in endpoint.lower():
        evidence.append("the capabilities name GeoNetwork")
    title = clean(html.unescape(match.group(1))) if match else ""
    return Detection("csw", endpoint, title=title, evidence=evidence)


def confirm(prober: Prober, base: str) -> Detection | None:
    seen = prober.get(f"{base}{ENDPOINT}{CAPABILITIES}", accept="application/xml")
    if not _capabilities(seen):
        return None
    return _found(seen, f"{base}{ENDPOINT}", f"{ENDPOINT} answers GetCapabilities (OGC CSW)")


def identify(seen: Seen, pasted: str) -> Detection | None:
    """The pasted URL answered with a CSW capabilities document: its endpoint, no query."""
    if not _capabilities(seen):
        return None
    parts = urlsplit(seen.url)
    endpoint = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
    return _found(seen, endpoint, "the URL answers with a CSW capabilities document")


SIGNATURE = Signature("csw", "csw", MARKERS, geonetwork_page, confirm, identify=identify)
