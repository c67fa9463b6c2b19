"""CKAN, and DKAN through its CKAN-compatible ``/api/3/action`` shim (harvested as ``ckan``).

CKAN answers ``status_show`` with its version and site title; DKAN's shim does not have
``status_show`` but answers ``package_list``. Publishers are CKAN organizations (their
``name`` is the source filter the CKAN harvester puts into ``organization:``).
"""

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

ACTION = "/api/3/action"
MARKERS = ("api", "dataset", "organization", "group", "showcase", "harvest", "user", "ckan-admin")


def _result(seen: Seen | None) -> Any:
    data = seen.json() if seen is not None else None
    if isinstance(data, dict) and data.get("success") is True:
        return data.get("result")
    return None


def ckan_page(seen: Seen) -> list[str]:
    evidence = []
    found = page.generator(seen)
    if found.lower().startswith("ckan"):
        evidence.append(f"page generator: {found}")
    if page.path_has(seen.url, ACTION):
        evidence.append("the URL is a CKAN Action API URL")
    data = seen.json()
    if isinstance(data, dict) and "help_show" in str(data.get("help", "")):
        evidence.append("the URL answers like the CKAN Action API")
    return evidence


def dkan_page(seen: Seen) -> list[str]:
    found = page.generator(seen)
    word = page.mentions(seen, "dkan")
    if word:
        return [f"page mentions DKAN{f' (generator: {found})' if found else ''}"]
    return []


def confirm_ckan(prober: Prober, base: str) -> Detection | None:
    result = _result(prober.get(f"{base}{ACTION}/status_show"))
    if not isinstance(result, dict) or "ckan_version" not in result:
        return None
    version = clean(result.get("ckan_version"), 40)
    return Detection(
        "ckan",
        base,
        title=clean(result.get("site_title")),
        evidence=[f"{ACTION}/status_show answers: CKAN {version}"],
    )


def confirm_dkan(prober: Prober, base: str) -> Detection | None:
    result = _result(prober.get(f"{base}{ACTION}/package_list"))
    if not isinstance(result, list):
        return None
    return Detection(
        "ckan",
        base,
        evidence=[
            f"{ACTION}/package_list answers ({len(result)} datasets) but status_show does not: "
            "a CKAN-compatible API such as DKAN's, harvested as CKAN"
        ],
    )


def organizations(prober: Prober, found: Detection) -> list[Publisher]:
    """``organization_list`` with counts, the biggest first; [] where it is missing (DKAN)."""
    url = (
        f"{found.portal_url}{ACTION}/organization_list?all_fields=true"
        f"&limit={MAX_PUBLISHERS}&sort=package_count%20desc"
    )
    result = _result(prober.get(url))
    if not isinstance(result, list):
        return []
    publishers = []
    for org in result[:MAX_PUBLISHERS]:
        if isinstance(org, dict) and org.get("name"):
            count = org.get("package_count")
            publishers.append(
                Publisher(
                    id=clean(org["name"]),
                    name=clean(org.get("title") or org.get("display_name") or org["name"]),
                    datasets=count if isinstance(count, int) else None,
                )
            )
        elif isinstance(org, str) and org:  # an old CKAN ignoring all_fields
            publishers.append(Publisher(id=clean(org), name=clean(org)))
    return publishers


CKAN = Signature("ckan", "ckan", MARKERS, ckan_page, confirm_ckan, organizations)
DKAN = Signature(
    "dkan", "ckan", (*MARKERS, "node", "search"), dkan_page, confirm_dkan, organizations
)
