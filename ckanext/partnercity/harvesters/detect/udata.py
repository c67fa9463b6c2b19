"""udata (data.gouv.fr's software): ``/api/1/site/`` answers with the site's id, title and
metrics; publishers are its organizations (their ``id`` is the datasets API's filter)."""

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

API = "/api/1"
MARKERS = ("api", "datasets", "organizations", "reuses", "dataservices", "users", "posts")


def udata_page(seen: Seen) -> list[str]:
    evidence = []
    found = page.generator(seen)
    if "udata" in found.lower():
        evidence.append(f"page generator: {found}")
    elif page.mentions(seen, "udata"):
        evidence.append("page mentions udata")
    if page.path_has(seen.url, f"{API}/"):
        evidence.append("the URL is a udata API URL")
    return evidence


def confirm(prober: Prober, base: str) -> Detection | None:
    seen = prober.get(f"{base}{API}/site/")
    data = seen.json() if seen is not None else None
    if not (isinstance(data, dict) and data.get("id") and "title" in data):
        return None
    metrics = data.get("metrics") if isinstance(data.get("metrics"), dict) else {}
    count = metrics.get("datasets")
    counted = f", {count} datasets" if isinstance(count, int) else ""
    return Detection(
        "udata",
        base,
        title=clean(data.get("title")),
        evidence=[f"{API}/site/ answers: site {clean(data.get('id'), 60)}{counted}"],
    )


def organizations(prober: Prober, found: Detection) -> list[Publisher]:
    url = f"{found.portal_url}{API}/organizations/?page_size={MAX_PUBLISHERS}&sort=-datasets"
    seen = prober.get(url)
    data = seen.json() if seen is not None else None
    items = data.get("data") if isinstance(data, dict) else None
    publishers = []
    for org in items if isinstance(items, list) else []:
        if isinstance(org, dict) and org.get("id"):
            metrics = org.get("metrics") if isinstance(org.get("metrics"), dict) else {}
            count = metrics.get("datasets")
            publishers.append(
                Publisher(
                    id=clean(org["id"]),
                    name=clean(org.get("name") or org.get("slug") or org["id"]),
                    datasets=count if isinstance(count, int) else None,
                )
            )
    return publishers[:MAX_PUBLISHERS]


SIGNATURE = Signature("udata", "udata", MARKERS, udata_page, confirm, organizations)
