"""schema.org JSON-LD for the pages: a reference is a ``Dataset`` of the partner city, a
partner is a ``City``; so dataset search engines find the partner's data through us.

A reference's ``url`` and ``isBasedOn`` are the partner's page and URI (the data lives
there), its ``spatialCoverage`` the partner city, and ``mainEntityOfPage`` our reference
page. Values that are not http(s) URLs are left out. :func:`script_tag` makes the
``<script type="application/ld+json">`` element, safe inside HTML.
"""

from __future__ import annotations

import json
from typing import Any

from .graph import Uris, http_iri, wikidata_uri

CONTEXT = "https://schema.org"
DESCRIPTION_MAX = 5000
DISTRIBUTIONS_MAX = 20


def _url(value: Any) -> str | None:
    node = http_iri(value) if isinstance(value, str) else None
    return str(node) if node is not None else None


def _list(value: Any) -> list[str]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = [value]
    return [str(v) for v in value if v] if isinstance(value, list) else []


def _drop_empty(data: dict) -> dict:
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def city(partner: dict, uris: Uris) -> dict:
    """A partner as a ``schema:City``: its name, country, Wikidata item, its page here and
    its portal (``subjectOf`` a ``DataCatalog``)."""
    name = partner.get("name") or ""
    portal = _url(partner.get("portal_url"))
    country = (partner.get("country") or "").strip().upper()
    return _drop_empty(
        {
            "@type": "City",
            "@id": uris.partner_city(name) if name else None,
            "name": partner.get("title") or name,
            "url": uris.partner_page(name) if name else None,
            "sameAs": wikidata_uri(partner.get("wikidata")),
            "address": {"@type": "PostalAddress", "addressCountry": country}
            if len(country) == 2 and country.isalpha()
            else None,
            "subjectOf": {"@type": "DataCatalog", "url": portal} if portal else None,
        }
    )


def city_page(partner: dict, site_url: str) -> dict:
    """The JSON-LD of a partner's page."""
    return {"@context": CONTEXT, **city(partner, Uris(site_url.rstrip("/")))}


def reference_page(reference: dict, partner: dict | None, site_url: str) -> dict:
    """The JSON-LD of a reference page: the partner's ``Dataset``, found through us."""
    uris = Uris(site_url.rstrip("/"))
    landing = _url(reference.get("partner_landing_page"))
    uri = _url(reference.get("partner_uri"))
    notes = (reference.get("notes") or "")[:DESCRIPTION_MAX]
    distributions = [
        _drop_empty(
            {
                "@type": "DataDownload",
                "contentUrl": _url(resource.get("url")),
                "encodingFormat": resource.get("mimetype") or resource.get("format"),
                "name": resource.get("name"),
            }
        )
        for resource in (reference.get("resources") or [])[:DISTRIBUTIONS_MAX]
        if _url(resource.get("url"))
    ]
    publisher = reference.get("publisher_name") or (partner or {}).get("title")
    return _drop_empty(
        {
            "@context": CONTEXT,
            "@type": "Dataset",
            "name": reference.get("title"),
            "description": notes,
            "url": landing or uri,
            "isBasedOn": uri or landing,
            "identifier": reference.get("partner_identifier"),
            "mainEntityOfPage": uris.reference_page(reference["name"])
            if reference.get("name")
            else None,
            "spatialCoverage": city(partner, uris) if partner else None,
            "publisher": {"@type": "Organization", "name": publisher} if publisher else None,
            "license": _url(reference.get("partner_license_url")),
            "keywords": _list(reference.get("partner_keywords")),
            "inLanguage": _list(reference.get("language")),
            "dateModified": reference.get("modified"),
            "datePublished": reference.get("issued"),
            "distribution": distributions,
        }
    )


def script_tag(data: dict) -> str:
    """``<script type="application/ld+json">`` with ``data``; ``<``, ``>``, ``&`` and the
    JavaScript line separators escaped, so partner text cannot end the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return f'<script type="application/ld+json">{text}</script>'
