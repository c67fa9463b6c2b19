"""One ArcGIS Hub feed entry (DCAT-AP 2.x/3 JSON-LD or DCAT-US 1.1 JSON) as a PartnerRecord.

Hub writes the same dataset under prefixed keys (``dct:title``, ``dcat:distribution``) in
its DCAT-AP feeds and bare ones (``title``, ``distribution``) in DCAT-US, so every field is
looked up under both. Real feeds carry quirks this module absorbs: ``dcat:accessUrl`` spelt
with a lower-case "rl", literal themes and publishers, unrendered ``{{…}}`` template text
where a site's metadata is missing, ``mailto:…?subject=`` contacts, keywords padded with
no-break or zero-width spaces, host names in mixed case, and no licence or modified date.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from ckanext.partnercity.harvesters.base import Distribution, MalformedRecord, PartnerRecord
from ckanext.partnercity.harvesters.dates import iso_date
from ckanext.partnercity.harvesters.sanitize import clean_text
from ckanext.partnercity.harvesters.urls import is_http_url

TITLE = ("dct:title", "title", "dcterms:title")
DESCRIPTION = ("dct:description", "description", "dcterms:description")
IDENTIFIER = ("dct:identifier", "identifier", "dcterms:identifier")
LANDING_PAGE = ("dcat:landingPage", "landingPage")
KEYWORD = ("dcat:keyword", "keyword")
THEME = ("dcat:theme", "theme")
PUBLISHER = ("dct:publisher", "publisher", "dcterms:publisher")
CONTACT = ("dcat:contactPoint", "contactPoint")
ISSUED = ("dct:issued", "issued", "dcterms:issued")
MODIFIED = ("dct:modified", "modified", "dcterms:modified")
LICENSE = ("dct:license", "license", "dcterms:license")
LANGUAGE = ("dct:language", "language", "dcterms:language")
DISTRIBUTION = ("dcat:distribution", "distribution")
ACCESS_URL = ("dcat:accessURL", "dcat:accessUrl", "accessURL", "accessUrl")
DOWNLOAD_URL = ("dcat:downloadURL", "dcat:downloadUrl", "downloadURL", "downloadUrl")
FORMAT = ("dct:format", "format", "dcterms:format")
MEDIA_TYPE = ("dcat:mediaType", "mediaType")
NAME = ("foaf:name", "name", "vcard:fn", "fn", "@value")
EMAIL = ("vcard:hasEmail", "hasEmail")
LANGUAGE_AUTHORITY = "http://publications.europa.eu/resource/authority/language/"

# Spaces str.strip() keeps, and format characters that print as nothing.
_INVISIBLE = "\u00a0\u2007\u202f\u200b\u200c\u200d\u2060\ufeff"
_TEMPLATE = re.compile(r"\{\{.*?\}\}", re.S)
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"')]+")


def clean(value: Any) -> str:
    """A text value as published, trimmed of invisible padding; "" for a ``{{…}}`` template
    Hub left unrendered (it shows where the site has no such metadata, not the data's)."""
    if not isinstance(value, str):
        return ""
    text = value.strip().strip(_INVISIBLE).strip()
    while text and (text[0] in _INVISIBLE or text[-1] in _INVISIBLE):
        text = text.strip(_INVISIBLE).strip()
    return "" if _TEMPLATE.search(text) else text


def normal_url(value: Any) -> str:
    """An http(s) URL with its scheme and host in lower case (hosts are case-insensitive,
    and a partner writing ``OpenData.City.example`` must not make two links of one)."""
    text = clean(value)
    if not is_http_url(text):
        return ""
    parts = urlsplit(text)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(scheme=parts.scheme.lower(), netloc=host.lower()))


def contact_address(value: Any) -> str:
    """The address of a ``mailto:`` contact, without ``?subject=`` or other parameters."""
    text = clean(value)
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    address = unquote(text.split("?", 1)[0]).strip()
    return address if "@" in address and " " not in address else ""


def _first(entry: dict, keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = entry.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def _items(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _literal(value: Any) -> str:
    """Text of a JSON-LD value: a string, ``{"@value": …}``, or the first of a list."""
    for item in _items(value):
        text = clean(item.get("@value")) if isinstance(item, dict) else clean(item)
        if text:
            return text
    return ""


def _reference(value: Any) -> str:
    """A node reference or literal: ``{"@id": …}`` or a plain string."""
    if isinstance(value, dict):
        return clean(value.get("@id")) or _literal(value)
    return clean(value)


def _values(value: Any) -> list[str]:
    """Distinct texts of a repeating field (literals or node references), in order."""
    return list(dict.fromkeys(t for t in (_reference(v) for v in _items(value)) if t))


def _name(value: Any) -> str:
    """An agent's name: a literal, or an object with ``name``/``foaf:name``/``vcard:fn``."""
    for item in _items(value):
        text = _literal(_first(item, NAME)) if isinstance(item, dict) else clean(item)
        if text:
            return text
    return ""


def contact_of(entry: dict) -> tuple[str, str]:
    """The dataset's contact point as (name, e-mail address), either possibly ""."""
    for item in _items(_first(entry, CONTACT)):
        if isinstance(item, dict):
            email = contact_address(_reference(_first(item, EMAIL)))
            name = _name(item)
            if name or email:
                return name, email
    return "", ""


def _language(value: Any) -> list[str]:
    out = []
    for code in _values(value):
        if code.startswith("lang:"):
            code = LANGUAGE_AUTHORITY + code[len("lang:") :]
        out.append(code)
    return out


def _license(entry: dict) -> tuple[str, str]:
    """(title, URL) of the licence: a URI, or text, often HTML in DCAT-US, naming a URL."""
    value = _first(entry, LICENSE)
    url = normal_url(_reference(value))
    if url:
        return "", url
    text = clean_text(_literal(value))
    if _TEMPLATE.search(text):
        return "", ""
    found = _URL_IN_TEXT.search(text)
    return text, normal_url(found.group(0).rstrip(".,;")) if found else ""


def _distribution(item: Any) -> Distribution | None:
    if not isinstance(item, dict):
        return None
    download = normal_url(_reference(_first(item, DOWNLOAD_URL)))
    access = normal_url(_reference(_first(item, ACCESS_URL)))
    url = download or access
    if not url:
        return None
    media_type = _literal(_first(item, MEDIA_TYPE))
    return Distribution(
        url=url,
        format=_reference(_first(item, FORMAT)),
        media_type=media_type,
        title=_literal(_first(item, TITLE)),
        description=_literal(_first(item, DESCRIPTION)),
        license=_reference(_first(item, LICENSE)),
        access_service=access if download and access != download else "",
    )


def entry_to_record(entry: Any) -> PartnerRecord:
    """Map one feed entry; MalformedRecord when it is no object or names no dataset."""
    if not isinstance(entry, dict):
        raise MalformedRecord(f"feed entry is a {type(entry).__name__}, not an object")
    identifier = _literal(_first(entry, IDENTIFIER)) or clean(entry.get("@id"))
    landing_page = normal_url(_reference(_first(entry, LANDING_PAGE)))
    identifier = identifier or landing_page
    if not identifier:
        raise MalformedRecord("feed entry has no identifier, @id or landing page")
    try:
        return _record(entry, identifier, landing_page)
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        raise MalformedRecord(f"unreadable feed entry: {exc}", identifier) from None


def _record(entry: dict, identifier: str, landing_page: str) -> PartnerRecord:
    uri = normal_url(entry.get("@id")) or normal_url(identifier) or landing_page
    license_title, license_url = _license(entry)
    distributions = [_distribution(item) for item in _items(_first(entry, DISTRIBUTION))]
    return PartnerRecord(
        identifier=identifier,
        title=_literal(_first(entry, TITLE)) or identifier,
        # HTML as published: the adapter sanitizes descriptions for every portal type.
        description=_literal(_first(entry, DESCRIPTION)),
        uri=uri,
        # DCAT-AP feeds name the Hub's dataset page as the node's @id, not as a landing page.
        landing_page=landing_page or normal_url(entry.get("@id")),
        license_title=license_title,
        license_url=license_url,
        publisher=_name(_first(entry, PUBLISHER)),
        issued=iso_date(_literal(_first(entry, ISSUED))),
        modified=iso_date(_literal(_first(entry, MODIFIED))),
        categories=_values(_first(entry, THEME)),
        keywords=_values(_first(entry, KEYWORD)),
        language=_language(_first(entry, LANGUAGE)),
        distributions=[d for d in distributions if d is not None],
    )


def is_dataset(entry: Any) -> bool:
    """In a flattened ``@graph``, only nodes typed as datasets are catalogue entries."""
    if not isinstance(entry, dict):
        return True  # reported as malformed, not silently dropped
    types = _values(entry.get("@type"))
    return not types or any(t.rsplit(":", 1)[-1].rsplit("#", 1)[-1] == "Dataset" for t in types)
