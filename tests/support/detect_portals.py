"""Fake partner portals for detection tests: a route table served by tests.support.http_server.

Each portal answers only the paths its software has, with files from tests/fixtures/detect/
(real where one was found, SYNTHETIC_* otherwise); everything else is a 404, as on a real
portal, so a probe for another software finds nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from tests.support.http_server import Handler, Query, not_found

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "detect"
HTML = "text/html; charset=utf-8"
JSON = "application/json; charset=utf-8"
XML = "application/xml; charset=utf-8"

Route = tuple[str, str] | tuple[int, str, str]


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def routes(table: Mapping[str, Route]) -> Handler:
    """A handler answering ``path`` (exactly, query ignored) with ``(file, content type)``
    or ``(status, file, content type)``; the file ``""`` is an empty body."""

    def handler(method: str, path: str, query: Query):
        route = table.get(path)
        if route is None:
            return not_found(method, path, query)
        status, name, media = route if len(route) == 3 else (200, *route)
        return status, {"Content-Type": media}, fixture(name) if name else b""

    return handler


CKAN = {
    "/": ("SYNTHETIC_ckan_home.html", HTML),
    "/dataset/luftqualitaet": ("SYNTHETIC_ckan_home.html", HTML),
    "/api/3/action/status_show": ("SYNTHETIC_ckan_status_show.json", JSON),
    "/api/3/action/organization_list": ("SYNTHETIC_ckan_organization_list.json", JSON),
}
DKAN = {
    "/": ("SYNTHETIC_dkan_home.html", HTML),
    "/api/3/action/package_list": ("SYNTHETIC_dkan_package_list.json", JSON),
}
ODS = {
    "/": ("SYNTHETIC_ods_home.html", HTML),
    "/explore/dataset/arbres/information/": ("SYNTHETIC_ods_home.html", HTML),
    "/api/explore/v2.1/catalog/datasets": ("SYNTHETIC_ods_catalog_datasets_limit0.json", JSON),
    "/api/explore/v2.1/catalog/facets": ("SYNTHETIC_ods_catalog_facets_publisher.json", JSON),
}
UDATA = {
    "/fr/": ("SYNTHETIC_udata_home.html", HTML),
    "/api/1/site/": ("SYNTHETIC_udata_site.json", JSON),
    "/api/1/organizations/": ("SYNTHETIC_udata_organizations.json", JSON),
}
PIVEAU = {
    "/": ("SYNTHETIC_piveau_home.html", HTML),
    "/api/hub/search/search": ("SYNTHETIC_piveau_search_limit0.json", JSON),
}
ARCGIS_HUB = {
    "/": ("SYNTHETIC_arcgis_hub_home.html", HTML),
    "/api/feed/dcat-ap/2.0.1.json": ("SYNTHETIC_arcgis_hub_dcat-ap_2.0.1_feed_head.json", JSON),
    "/api/feed/dcat-us/1.1.json": ("../arcgis_hub/evian_arcgis-hub_dcat-us-1.1_feed.json", JSON),
}
GEONETWORK = {
    "/geonetwork/srv/fre/catalog.search": ("SYNTHETIC_geonetwork_home.html", HTML),
    "/geonetwork/srv/eng/csw": ("SYNTHETIC_geonetwork_csw_capabilities.xml", XML),
}
DCAT_FILES = {
    "/catalog.ttl": ("demo-ckan_dcat_catalog.ttl", "text/turtle"),
    "/catalog.jsonld": ("demo-ckan_dcat_catalog.jsonld", "application/ld+json"),
    "/dataset.rdf": (
        "../dcat/rostock_opendata-hro_ckan_dcat-ap-de_dataset.rdf",
        "application/rdf+xml",
    ),
}
PLAIN = {"/": ("SYNTHETIC_plain_home.html", HTML)}
