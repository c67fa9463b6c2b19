"""One piveau hub-search dataset document as a PartnerRecord.

piveau indexes DCAT-AP in Elasticsearch and answers with that index's documents: text fields
are language maps (``{"en": .., "de": ..}``), vocabulary values are objects
(``{"id", "label", "resource"}``), URLs come as lists. Older hub-search versions wrote
``licence``, ``title`` (for label), ``release_date``/``modification_date`` and a single
``access_url``; both shapes are read. Every language version of title and description is kept
whole in ``translations``; ``title``/``description`` are the partner's language's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote, urlsplit

from ckanext.partnercity.harvesters.base import Distribution, MalformedRecord, PartnerRecord
from ckanext.partnercity.harvesters.base import json_text as _text
from ckanext.partnercity.harvesters.dates import iso_date
from ckanext.partnercity.harvesters.urls import is_http_url

FALLBACK_LANGUAGE = "en"
#: The HVD category vocabulary; its concepts are ``c_`` and eight hex digits.
HVD_CATEGORIES = "http://data.europa.eu/bna/"
_HVD_CONCEPT = re.compile(r"c_[0-9a-f]{8}")
#: Where a piveau UI shows a dataset: data.europa.eu under /data, other instances at the root.
EDP_HOST = "data.europa.eu"


def dataset_to_record(
    document: Any, portal_url: str, languages: Sequence[str] = ()
) -> PartnerRecord:
    """Map one hub-search dataset document; MalformedRecord when it cannot be read."""
    if not isinstance(document, dict):
        raise MalformedRecord(f"dataset entry is a {type(document).__name__}, not an object")
    identifier = _text(document.get("id"))
    if not identifier:
        raise MalformedRecord("dataset has no id")
    try:
        return _record(document, identifier, portal_url.rstrip("/"), list(languages))
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        raise MalformedRecord(f"unreadable dataset: {exc}", identifier) from None


def _record(doc: dict, identifier: str, portal: str, languages: list[str]) -> PartnerRecord:
    titles, descriptions = language_map(doc.get("title")), language_map(doc.get("description"))
    resource = _text(doc.get("resource"))
    uri = resource if is_http_url(resource) else ""
    mapped = (_distribution(item, languages) for item in _list(doc, "distributions"))
    distributions = [dist for dist in mapped if dist is not None]
    licence = _dominant_licence(_list(doc, "distributions"))
    translations = {
        name: versions
        for name, versions in (
            ("title", titles),
            ("description", descriptions),
            ("machine_translated", machine_translated(doc.get("translation_meta"))),
        )
        if versions
    }
    return PartnerRecord(
        identifier=identifier,
        title=pick(titles, languages) or identifier,
        description=pick(descriptions, languages),
        uri=uri,
        landing_page=_first_url(doc.get("landing_page")) or uri or dataset_page(portal, identifier),
        license_title=licence[0],
        license_url=licence[1],
        publisher=_publisher(doc.get("publisher"), languages),
        issued=iso_date(doc.get("issued") or doc.get("release_date")),
        modified=iso_date(doc.get("modified") or doc.get("modification_date")),
        categories=_unique(_concept(c, prefer_uri=True) for c in _list(doc, "categories")),
        keywords=_unique(_concept(k) for k in _list(doc, "keywords")),
        language=_unique(_language(v) for v in _list(doc, "language", "languages")),
        hvd_category=_unique(_hvd_category(v) for v in _list(doc, "hvd_category")),
        applicable_legislation=_unique(_uri(v) for v in _list(doc, "applicable_legislation")),
        hvd_markers=["piveau: is_hvd"] if doc.get("is_hvd") is True else [],
        translations=translations,
        distributions=distributions,
    )


def machine_translated(meta: Any) -> dict[str, str]:
    """Languages data.europa.eu translated by machine (``translation_meta.details``)."""
    details = meta.get("details") if isinstance(meta, dict) else None
    if not isinstance(details, dict):
        return {}
    return {
        str(lang): "machine"
        for lang, info in details.items()
        if isinstance(info, dict) and info.get("machine_translated") is True
    }


def language_map(value: Any) -> dict[str, str]:
    """A piveau language map as {language: text}, empty texts dropped; a plain string is
    one version without a language (``@none``, as piveau writes it)."""
    if isinstance(value, str):
        return {"@none": value.strip()} if value.strip() else {}
    if not isinstance(value, dict):
        return {}
    return {str(lang): _text(text) for lang, text in value.items() if _text(text)}


def pick(versions: dict[str, str], languages: Sequence[str]) -> str:
    """The version in the first of the partner's languages there is, else English, else the
    first the partner published."""
    lowered = {lang.lower(): text for lang, text in versions.items()}
    for lang in [*languages, FALLBACK_LANGUAGE]:
        if lang.lower() in lowered:
            return lowered[lang.lower()]
    return next(iter(versions.values()), "")


def dataset_page(portal: str, identifier: str) -> str:
    """The instance's page for a dataset that names no landing page and no URI of its own."""
    prefix = "/data" if urlsplit(portal).hostname == EDP_HOST else ""
    return f"{portal}{prefix}/datasets/{quote(identifier, safe='')}"


def _distribution(value: Any, languages: list[str]) -> Distribution | None:
    if not isinstance(value, dict):
        return None
    url = _first_url(value.get("download_url") or value.get("download_urls"))
    url = url or _first_url(value.get("access_url"))
    if not url:
        return None
    licence = value.get("license") or value.get("licence")
    return Distribution(
        url=url,
        format=_format(value.get("format")),
        media_type=_text(value.get("media_type")),
        title=pick(language_map(value.get("title")), languages),
        description=pick(language_map(value.get("description")), languages),
        access_service=_first_url(value.get("access_service")),
        license=_concept(licence),
    )


def _format(value: Any) -> str:
    """The EU file-type URI when given (formats.py labels it), else the label or id."""
    if isinstance(value, dict):
        resource = _text(value.get("resource"))
        if is_http_url(resource):
            return resource
        return _text(value.get("label") or value.get("title") or value.get("id"))
    return _text(value)


def _dominant_licence(distributions: list) -> tuple[str, str]:
    """(title, URL) of the licence most distributions carry: DCAT-AP puts it there."""
    found: list[tuple[str, str]] = []
    for dist in distributions:
        licence = (dist.get("license") or dist.get("licence")) if isinstance(dist, dict) else None
        if isinstance(licence, dict):
            resource = _text(licence.get("resource"))
            url = resource if is_http_url(resource) else ""
            title = _text(licence.get("label") or licence.get("title") or licence.get("id"))
            if title or url:
                found.append((title, url))
        elif _text(licence):
            text = _text(licence)
            found.append((text, text if is_http_url(text) else ""))
    if not found:
        return "", ""
    counts = Counter(found)
    return min(counts, key=lambda pair: (-counts[pair], pair))


def _publisher(value: Any, languages: list[str]) -> str:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, dict):
            return pick(language_map(name), languages)
        return _text(name) or _text(value.get("resource"))
    return _text(value)


def _concept(value: Any, *, prefer_uri: bool = False) -> str:
    """A vocabulary value (theme, keyword, licence): its URI if asked and given, else its
    label (a language map too), else its id."""
    if not isinstance(value, dict):
        return _text(value)
    resource = _text(value.get("resource"))
    if prefer_uri and is_http_url(resource):
        return resource
    label = value.get("label") if value.get("label") is not None else value.get("title")
    if isinstance(label, dict):
        label = pick(language_map(label), ())
    return _text(label) or _text(value.get("id")) or resource


def _language(value: Any) -> str:
    if isinstance(value, dict):
        return _text(value.get("id")).lower() or _text(value.get("resource"))
    return _text(value).lower()


def _uri(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("resource") or value.get("id")
    text = _text(value)
    return text if is_http_url(text) else ""


def _hvd_category(value: Any) -> str:
    """An HVD category URI; data.europa.eu's index may give only the concept id (``c_…``)."""
    uri = _uri(value)
    if uri:
        return uri
    concept = _text(value.get("id") if isinstance(value, dict) else value)
    return f"{HVD_CATEGORIES}{concept}" if _HVD_CONCEPT.fullmatch(concept) else ""


def _first_url(value: Any) -> str:
    """The first http(s) URL of a piveau URL field: a string, a list, or objects with
    ``resource`` (``landing_page``)."""
    for item in value if isinstance(value, list) else [value]:
        text = _text(item.get("resource") if isinstance(item, dict) else item)
        if is_http_url(text):
            return text
    return ""


def _list(doc: dict, *keys: str) -> list:
    for key in keys:
        value = doc.get(key)
        if isinstance(value, list):
            return value
        if value not in (None, "", {}):
            return [value]
    return []


def _unique(values: Any) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))
