"""ISO 19139 (``gmd:MD_Metadata``) records as PartnerRecords: what a CSW catalogue such as
GeoNetwork answers with ``outputSchema=http://www.isotc211.org/2005/gmd``.

Keywords are read with their thesaurus, because in INSPIRE metadata the thesaurus says what a
keyword is: an INSPIRE spatial-data theme (a category), an EU High-Value Dataset category
(the ``http://data.europa.eu/bna/c_…`` anchors of the HVD category thesaurus), or a free or
GEMET keyword. Only the element tree is read; parsing (and its safety) is the caller's.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from lxml import etree

from ckanext.partnercity.harvesters.base import Distribution, MalformedRecord, PartnerRecord
from ckanext.partnercity.harvesters.dates import iso_date
from ckanext.partnercity.harvesters.urls import is_http_url

NS = {
    "gmd": "http://www.isotc211.org/2005/gmd",
    "gco": "http://www.isotc211.org/2005/gco",
    "gmx": "http://www.isotc211.org/2005/gmx",
    "xlink": "http://www.w3.org/1999/xlink",
    "srv": "http://www.isotc211.org/2005/srv",
}
METADATA_TAGS = frozenset(
    {f"{{{NS['gmd']}}}MD_Metadata", "{http://www.isotc211.org/2005/gmi}MI_Metadata"}
)
_HREF = f"{{{NS['xlink']}}}href"
_TEXT_TAGS = frozenset({f"{{{NS['gco']}}}CharacterString", f"{{{NS['gmx']}}}Anchor"})

HVD_THESAURUS = "http://data.europa.eu/bna/asd487ae75"
HVD_LEGISLATION = "http://data.europa.eu/eli/reg_impl/2023/138/oj"
HVD_THESAURUS_MARKER = "INSPIRE: HVD category thesaurus"
HVD_LEGISLATION_MARKER = "INSPIRE: HVD regulation keyword"
HVD_KEYWORD_MARKER = "ISO 19139: hvd keyword"
_HVD_CATEGORY = re.compile(
    r"https?://(?:data\.europa\.eu|publications\.europa\.eu/resource/authority)/bna/(c_[0-9a-f]{8})"
)
INSPIRE_THEME_PREFIX = "http://inspire.ec.europa.eu/theme/"
# Publisher roles, most telling first (CI_RoleCode values).
PUBLISHER_ROLES = ("publisher", "owner", "custodian", "distributor", "pointOfContact")
# Online-resource protocols (OGC and GeoNetwork spellings, INSPIRE anchor names) -> label.
PROTOCOL_LABELS = (
    ("wmts", "WMTS"),
    ("web map tile", "WMTS"),
    ("wms", "WMS"),
    ("web map service", "WMS"),
    ("wfs", "WFS"),
    ("web feature service", "WFS"),
    ("wcs", "WCS"),
    ("web coverage service", "WCS"),
    ("esri", "Esri REST"),
    ("atom", "Atom"),
)
_METADATA_VIEWS = ("getrecordbyid", "catalog.search", "/api/records/", "/metadata/")
_SERVICE_PARAM = re.compile(r"[?&]service=(wms|wmts|wfs|wcs)(?:&|$)", re.IGNORECASE)
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+")
# ISO 639-2 codes (as PT_Locale writes them) of the languages our partners publish in.
_LANGUAGES = {
    "eng": "en",
    "fre": "fr",
    "fra": "fr",
    "ger": "de",
    "deu": "de",
    "dut": "nl",
    "nld": "nl",
    "ita": "it",
    "spa": "es",
    "pol": "pl",
    "rum": "ro",
    "ron": "ro",
    "por": "pt",
    "bul": "bg",
    "gre": "el",
    "ell": "el",
}


def is_metadata(element: etree._Element) -> bool:
    return isinstance(element.tag, str) and element.tag in METADATA_TAGS


def metadata_to_record(
    element: etree._Element, landing_page: Callable[[str], str]
) -> PartnerRecord:
    """One ``gmd:MD_Metadata`` as a PartnerRecord; MalformedRecord when it cannot be read.

    ``landing_page`` gives the catalogue's page for a file identifier.
    """
    if not is_metadata(element):
        raise MalformedRecord(f"not an ISO 19139 record: {etree.QName(element).localname}")
    identifier = text(element.find("gmd:fileIdentifier", NS))
    if not identifier:
        raise MalformedRecord("ISO 19139 record without a fileIdentifier")
    try:
        return _record(element, identifier, landing_page(identifier))
    except (TypeError, ValueError, AttributeError) as exc:
        raise MalformedRecord(f"unreadable ISO 19139 record: {exc}", identifier) from None


def _record(md: etree._Element, identifier: str, landing: str) -> PartnerRecord:
    info = _identification(md)
    citation = info.find("gmd:citation/gmd:CI_Citation", NS)
    dates = _citation_dates(citation)
    uri = next((u for u in _citation_identifiers(citation) if is_http_url(u)), "")
    title_el = citation.find("gmd:title", NS) if citation is not None else None
    abstract_el = info.find("gmd:abstract", NS)
    licence_title, licence_url = _licence(info)
    record = PartnerRecord(
        identifier=identifier,
        title=text(title_el) or identifier,
        description=text(abstract_el),
        uri=uri or landing,
        landing_page=landing,
        license_title=licence_title,
        license_url=licence_url,
        publisher=_publisher(info) or _publisher(md, "gmd:contact"),
        issued=dates.get("publication") or dates.get("creation", ""),
        modified=dates.get("revision", ""),
        language=_unique(_code(c) for c in info.findall("gmd:language/*", NS)),
        categories=_unique(
            (c.text or "").strip() for c in info.iterfind(".//gmd:MD_TopicCategoryCode", NS)
        ),
        distributions=_distributions(md, identifier),
    )
    _keywords(info, record)
    locales = _locales(md)
    for field, element in (("title", title_el), ("description", abstract_el)):
        versions = _translations(element, locales)
        if versions:
            record.translations[field] = versions
    return record


def _identification(md: etree._Element) -> etree._Element:
    for path in ("gmd:identificationInfo/gmd:MD_DataIdentification", "gmd:identificationInfo/*"):
        found = md.find(path, NS)
        if found is not None:
            return found
    raise ValueError("no identificationInfo")


# -- text ------------------------------------------------------------------------------


def text(prop: etree._Element | None) -> str:
    """The text of a property (its ``gco:CharacterString`` or ``gmx:Anchor`` child), trimmed;
    "" when absent or nil (``gco:nilReason``)."""
    if prop is None:
        return ""
    for child in prop:
        if child.tag in _TEXT_TAGS:
            return (child.text or "").strip()
    return ""


def href(prop: etree._Element | None) -> str:
    """The ``xlink:href`` of a property's ``gmx:Anchor`` (or of the property itself)."""
    if prop is None:
        return ""
    for child in prop:
        if child.tag == f"{{{NS['gmx']}}}Anchor":
            return (child.get(_HREF) or "").strip()
    return (prop.get(_HREF) or "").strip()


def _code(element: etree._Element) -> str:
    """A code list value (``codeListValue``, else the element's text)."""
    return (element.get("codeListValue") or element.text or "").strip()


def _unique(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        if value and value not in out:
            out.append(value)
    return out


# -- parts -----------------------------------------------------------------------------


def _citation_dates(citation: etree._Element | None) -> dict[str, str]:
    """creation/publication/revision -> ISO date (the first of each kind)."""
    dates: dict[str, str] = {}
    if citation is None:
        return dates
    for ci_date in citation.iterfind("gmd:date/gmd:CI_Date", NS):
        kind = ci_date.find("gmd:dateType/gmd:CI_DateTypeCode", NS)
        value = ci_date.find("gmd:date/*", NS)
        if kind is None or value is None:
            continue
        when = iso_date((value.text or "").strip())
        if when:
            dates.setdefault(_code(kind), when)
    return dates


def _citation_identifiers(citation: etree._Element | None) -> list[str]:
    if citation is None:
        return []
    codes = citation.iterfind("gmd:identifier/*/gmd:code", NS)
    return [href(code) or text(code) for code in codes]


def _publisher(parent: etree._Element, path: str = "gmd:pointOfContact") -> str:
    parties = []
    for party in parent.iterfind(f"{path}/gmd:CI_ResponsibleParty", NS):
        name = text(party.find("gmd:organisationName", NS))
        role = party.find("gmd:role/gmd:CI_RoleCode", NS)
        if name:
            parties.append((_code(role) if role is not None else "", name))
    for wanted in PUBLISHER_ROLES:
        for role, name in parties:
            if role == wanted:
                return name
    return parties[0][1] if parties else ""


def _keywords(info: etree._Element, record: PartnerRecord) -> None:
    """Sort each keyword by its thesaurus: HVD category, INSPIRE theme, or plain keyword."""
    for group in info.iterfind("gmd:descriptiveKeywords/gmd:MD_Keywords", NS):
        thesaurus = group.find("gmd:thesaurusName/gmd:CI_Citation/gmd:title", NS)
        name, link = text(thesaurus).lower(), href(thesaurus)
        hvd_thesaurus = link == HVD_THESAURUS or "high-value dataset categor" in name
        inspire_themes = "inspire themes" in name or "inspire_themes" in link
        for keyword in group.iterfind("gmd:keyword", NS):
            label, anchor = text(keyword), href(keyword)
            category = hvd_category_uri(anchor)
            if category or (hvd_thesaurus and is_http_url(anchor)):
                _add(record.hvd_category, category or anchor)
                _add(record.hvd_markers, HVD_THESAURUS_MARKER)
            elif anchor == HVD_LEGISLATION:
                _add(record.applicable_legislation, anchor)
                _add(record.hvd_markers, HVD_LEGISLATION_MARKER)
            elif inspire_themes or anchor.startswith(INSPIRE_THEME_PREFIX):
                _add(record.categories, anchor or label)
            else:
                _add(record.keywords, label)
                if label.lower() == "hvd":
                    _add(record.hvd_markers, HVD_KEYWORD_MARKER)


def hvd_category_uri(anchor: str) -> str:
    """The HVD category URI as DCAT-AP HVD writes it (``http://data.europa.eu/bna/c_…``),
    also from the Publications Office form some catalogues use
    (``http://publications.europa.eu/resource/authority/bna/c_…``); "" for anything else."""
    found = _HVD_CATEGORY.fullmatch(anchor)
    return f"http://data.europa.eu/bna/{found.group(1)}" if found else ""


def _add(values: list[str], value: str) -> None:
    if value and value not in values:
        values.append(value)


def _licence(info: etree._Element) -> tuple[str, str]:
    """The conditions for access and use: INSPIRE puts them in the ``otherConstraints`` of a
    ``useConstraints`` block (``accessConstraints`` is about public access, not a licence);
    many catalogues write them as ``useLimitation``. A text naming a licence wins."""
    candidates: list[tuple[str, str]] = []
    for legal in info.iterfind("gmd:resourceConstraints/gmd:MD_LegalConstraints", NS):
        if legal.find("gmd:useConstraints", NS) is None:
            continue
        candidates += [(text(o), href(o)) for o in legal.iterfind("gmd:otherConstraints", NS)]
    for limitation in info.iterfind("gmd:resourceConstraints/*/gmd:useLimitation", NS):
        candidates.append((text(limitation), href(limitation)))
    candidates = [(t, h) for t, h in candidates if t or h]
    if not candidates:
        return "", ""
    named = [c for c in candidates if "licen" in f"{c[0]} {c[1]}".lower()]
    title, link = (named or candidates)[0]
    if not is_http_url(link):
        found = _URL_IN_TEXT.search(title)
        link = found.group(0).rstrip(".,;)") if found else ""
    return title, link


def _distributions(md: etree._Element, identifier: str) -> list[Distribution]:
    """The record's online resources, but not its own metadata views (GeoNetwork lists the
    record's XML and HTML pages among them; the landing page already links the record)."""
    formats = _unique(
        text(f) for f in md.iterfind(".//gmd:distributionFormat/gmd:MD_Format/gmd:name", NS)
    )
    out: list[Distribution] = []
    seen: set[str] = set()
    for online in md.iterfind(".//gmd:distributionInfo//gmd:onLine/gmd:CI_OnlineResource", NS):
        url = (online.findtext("gmd:linkage/gmd:URL", "", NS) or "").strip()
        if not is_http_url(url) or url in seen or _metadata_view(url, identifier):
            continue
        seen.add(url)
        protocol = online.find("gmd:protocol", NS)
        label = _protocol_label(f"{text(protocol)} {href(protocol)}") or _service_of(url)
        if not label and "download" in text(protocol).lower() and len(formats) == 1:
            label = formats[0]  # a download of the record's one declared format
        out.append(
            Distribution(
                url=url,
                format=label,
                media_type="" if label else _file_type(url),
                title=text(online.find("gmd:name", NS)),
                description=text(online.find("gmd:description", NS)),
                access_service=url if label in {"WMS", "WMTS", "WFS", "WCS", "Esri REST"} else "",
            )
        )
    return out


def _metadata_view(url: str, identifier: str) -> bool:
    lowered = url.lower()
    return identifier in url and any(view in lowered for view in _METADATA_VIEWS)


def _file_type(url: str) -> str:
    """The media type a link's file name tells (``…/REF_CULTURES_2023.csv``), else ""."""
    guessed, _ = mimetypes.guess_type(urlsplit(url).path, strict=False)
    return guessed or ""


def _service_of(url: str) -> str:
    """An OGC service named by the URL's ``service`` parameter (``…?service=WMS&…``)."""
    found = _SERVICE_PARAM.search(url)
    return found.group(1).upper() if found else ""


def _protocol_label(protocol: str) -> str:
    lowered = protocol.lower()
    for needle, label in PROTOCOL_LABELS:
        if needle in lowered:
            return label
    return ""


def _locales(md: etree._Element) -> dict[str, str]:
    """PT_Locale id -> two-letter language, for the translations of free text."""
    out = {}
    for locale in md.iterfind("gmd:locale/gmd:PT_Locale", NS):
        code = locale.find("gmd:languageCode/gmd:LanguageCode", NS)
        if locale.get("id") and code is not None:
            out[locale.get("id")] = _LANGUAGES.get(_code(code).lower(), _code(code).lower())
    return out


def _translations(prop: etree._Element | None, locales: dict[str, str]) -> dict[str, str]:
    if prop is None:
        return {}
    out = {}
    for string in prop.iterfind("gmd:PT_FreeText/gmd:textGroup/gmd:LocalisedCharacterString", NS):
        locale = (string.get("locale") or "").lstrip("#")
        language = locales.get(locale) or _LANGUAGES.get(locale.lower(), locale.lower())
        value = (string.text or "").strip()
        if language and value:
            out.setdefault(language, value)
    return out
