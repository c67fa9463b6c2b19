"""ArcGIS Hub: every Hub site serves its catalogue as feeds under ``/api/feed/`` (DCAT-AP
2.0.1, DCAT-US 1.1); its pages load from ``hub.arcgis.com``/``arcgis.com``. Hub has no
publisher listing of its own, so none is offered."""

from __future__ import annotations

from ckanext.partnercity.harvesters.detect import page
from ckanext.partnercity.harvesters.detect.model import Detection, Prober, Seen, Signature

FEED = "/api/feed/dcat-ap/2.0.1.json"
MARKERS = ("api", "datasets", "maps", "search", "pages", "content", "explore", "items")


def hub_page(seen: Seen) -> list[str]:
    evidence = []
    word = page.mentions(seen, "hub.arcgis.com", "hubcdn.arcgis.com", "arcgis hub")
    if word:
        evidence.append(f"page mentions {word}")
    if page.path_has(seen.url, "/api/feed/"):
        evidence.append("the URL is an ArcGIS Hub feed URL")
    return evidence


def _is_feed(seen: Seen | None) -> bool:
    """A DCAT feed in JSON; only its start is read (a whole Hub feed can be large)."""
    if seen is None or not seen.ok:
        return False
    start = seen.body[:4096].lstrip()
    return start[:1] == b"{" and b"@context" in start and b"dcat" in start.lower()


def confirm(prober: Prober, base: str) -> Detection | None:
    seen = prober.get(f"{base}{FEED}")
    if not _is_feed(seen):
        return None
    return Detection("arcgis_hub", base, evidence=[f"{FEED} answers with a DCAT-AP feed"])


def identify(seen: Seen, pasted: str) -> Detection | None:
    """The pasted URL is one of the site's feeds (any of them)."""
    if not (page.path_has(seen.url, "/api/feed/") and _is_feed(seen)):
        return None
    base = page.base_url(seen.url, MARKERS)
    return Detection("arcgis_hub", base, evidence=["the URL is an ArcGIS Hub DCAT feed"])


SIGNATURE = Signature("arcgis_hub", "arcgis_hub", MARKERS, hub_page, confirm, identify=identify)
