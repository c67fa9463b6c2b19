"""An ArcGIS Hub site as far as our harvester sees it: one DCAT feed at Hub's feed paths.

A Hub site serves its whole catalogue as one document at ``/api/feed/dcat-ap/<version>.json``
or ``/api/feed/dcat-us/1.1.json``; every other feed version answers 404 here (a real site
answers the DCAT-AP ones with 400 or an HTML page when they are not configured, which the
harvester treats alike). Use with ``tests.support.http_server.serve`` or the demo's portals:

    serve(arcgis_hub_portal(load_feed("arcgis_hub/evian_arcgis-hub_dcat-us-1.1_feed.json"),
                            prefix="/evian"))
"""

from __future__ import annotations

from pathlib import Path

from tests.support.fake_portals import FIXTURES, Handler

DCAT_AP_PATHS = {
    "2.1.1": "/api/feed/dcat-ap/2.1.1.json",
    "2.0.1": "/api/feed/dcat-ap/2.0.1.json",
    "3.0.0": "/api/feed/dcat-ap/3.0.0.json",
}
DCAT_US_PATH = "/api/feed/dcat-us/1.1.json"
JSON = {"Content-Type": "application/json; charset=utf-8"}

EVIAN = "arcgis_hub/evian_arcgis-hub_dcat-us-1.1_feed.json"
APUR = "arcgis_hub/apur-paris_arcgis-opendata_dcat-us-1.1_feed.jsonld"
KOOP_DCAT_AP = "arcgis_hub/esri-koop_hub-qa-site_dcat-ap-2.0.1_feed.json"


def load_feed(name: str) -> bytes:
    """A feed fixture's bytes as recorded (the responder never re-serialises it)."""
    return (FIXTURES / name).read_bytes()


def feed_path(kind: str) -> str:
    """The Hub path of a feed: ``dcat-us`` or a DCAT-AP version such as ``2.0.1``."""
    return DCAT_US_PATH if kind == "dcat-us" else DCAT_AP_PATHS[kind]


def arcgis_hub_portal(feed: bytes | str | Path, kind: str = "dcat-us", prefix: str = "") -> Handler:
    """A handler answering ``feed`` at ``prefix`` + the Hub path of ``kind``, 404 elsewhere."""
    body = feed.read_bytes() if isinstance(feed, Path) else feed
    path = prefix + feed_path(kind)

    def handle(method: str, request_path: str, query: dict[str, list[str]]):
        if request_path == path:
            return 200, JSON, body
        return 404, {"Content-Type": "text/plain"}, f"no feed at {request_path}"

    return handle
