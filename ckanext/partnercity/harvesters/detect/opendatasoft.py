"""Opendatasoft: the Explore API v2.1 catalogue answers ``limit=0`` with a ``total_count``;
publishers are the catalogue's ``publisher`` facet (the harvester's source filter)."""

from __future__ import annotations

from ckanext.partnercity.harvesters.detect import page
from ckanext.partnercity.harvesters.detect.model import (
    MAX_PUBLISHERS,
    Detection,
    Prober,
    Publisher,
    Seen,
    Signature,
    clean,
)

CATALOG = "/api/explore/v2.1/catalog"
MARKERS = ("api", "explore", "pages", "page", "map", "login", "signup", "publish", "backoffice")


def ods_page(seen: Seen) -> list[str]:
    evidence = []
    word = page.mentions(seen, "opendatasoft", "ods-app", "ods-catalog")
    if word:
        evidence.append(f"page mentions {word}")
    if page.path_has(seen.url, "/api/explore/", "/explore/dataset/"):
        evidence.append("the URL is an Opendatasoft Explore URL")
    return evidence


def confirm(prober: Prober, base: str) -> Detection | None:
    seen = prober.get(f"{base}{CATALOG}/datasets?limit=0")
    data = seen.json() if seen is not None else None
    if not (isinstance(data, dict) and isinstance(data.get("total_count"), int)):
        return None
    if not isinstance(data.get("results", []), list):
        return None
    return Detection(
        "opendatasoft",
        base,
        evidence=[f"{CATALOG}/datasets answers: {data['total_count']} datasets"],
    )


def publishers(prober: Prober, found: Detection) -> list[Publisher]:
    seen = prober.get(f"{found.portal_url}{CATALOG}/facets?facet=publisher")
    data = seen.json() if seen is not None else None
    facets = data.get("facets") if isinstance(data, dict) else None
    values: list = []
    for facet in facets if isinstance(facets, list) else []:
        if isinstance(facet, dict) and facet.get("name") == "publisher":
            values = facet.get("facets") if isinstance(facet.get("facets"), list) else []
    found_publishers = []
    for value in values:
        if isinstance(value, dict) and (value.get("value") or value.get("name")):
            count = value.get("count")
            found_publishers.append(
                Publisher(
                    id=clean(value.get("value") or value.get("name")),
                    name=clean(value.get("name") or value.get("value")),
                    datasets=count if isinstance(count, int) else None,
                )
            )
    found_publishers.sort(key=lambda p: -(p.datasets or 0))
    return found_publishers[:MAX_PUBLISHERS]


SIGNATURE = Signature("opendatasoft", "opendatasoft", MARKERS, ods_page, confirm, publishers)
