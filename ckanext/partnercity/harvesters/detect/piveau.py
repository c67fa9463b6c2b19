"""piveau (data.europa.eu's software): the hub-search API answers a ``limit=0`` search with a
count and facets; its ``catalog`` facet (else ``publisher``) lists the publishers, so one
request both confirms the software and lists them."""

from __future__ import annotations

from typing import Any

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

SEARCH = "/api/hub/search/search"
MARKERS = ("api", "data", "datasets", "catalogues", "mqa", "sparql")
PUBLISHER_FACETS = ("catalog", "publisher")


def piveau_page(seen: Seen) -> list[str]:
    evidence = []
    if page.mentions(seen, "piveau"):
        evidence.append("page mentions piveau")
    if page.path_has(seen.url, "/api/hub/"):
        evidence.append("the URL is a piveau hub API URL")
    return evidence


def _label(value: Any) -> str:
    """piveau titles are plain or per language ({"en": .., "de": ..}): one of them."""
    if isinstance(value, dict):
        for lang in ("en", "de", *value):
            if isinstance(value.get(lang), str) and value[lang]:
                return clean(value[lang])
        return ""
    return clean(value)


def facet_publishers(facets: Any) -> list[Publisher]:
    by_id = (
        {f.get("id"): f for f in facets if isinstance(f, dict)} if isinstance(facets, list) else {}
    )
    for name in PUBLISHER_FACETS:
        items = by_id.get(name, {}).get("items")
        if not isinstance(items, list) or not items:
            continue
        publishers = [
            Publisher(
                id=clean(item["id"]),
                name=_label(item.get("title")) or clean(item["id"]),
                datasets=item.get("count") if isinstance(item.get("count"), int) else None,
            )
            for item in items
            if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"]
        ]
        publishers.sort(key=lambda p: -(p.datasets or 0))
        return publishers[:MAX_PUBLISHERS]
    return []


def confirm(prober: Prober, base: str) -> Detection | None:
    seen = prober.get(f"{base}{SEARCH}?filter=dataset&limit=0")
    data = seen.json() if seen is not None else None
    result = data.get("result") if isinstance(data, dict) else None
    if not (isinstance(result, dict) and isinstance(result.get("count"), int)):
        return None
    return Detection(
        "piveau",
        base,
        evidence=[f"{SEARCH} answers: {result['count']} datasets"],
        publishers=facet_publishers(result.get("facets")),
    )


SIGNATURE = Signature("piveau", "piveau", MARKERS, piveau_page, confirm)
