"""An Opendatasoft portal's DCAT export, read with the DCAT portal type's machinery.

``/api/explore/v2.1/catalog/exports/dcat`` is one RDF/XML document listing the whole
catalogue (data.gouv.fr harvests every Opendatasoft portal this way). It is parsed by
ckanext-dcat exactly as a ``dcat`` partner is (entity refusal, streaming above the
threshold, per-dataset caps); what follows reads the export's Opendatasoft habits:

- a dataset is ``…/explore/dataset/<dataset_id>/``; its identifier is that ``dataset_id``,
  as the Explore API gives it, so a partner moving between the two ways in keeps its
  references (the older v2 export wrote ``<dataset_id>@<domain>`` as ``dct:identifier``);
- ``dcat:theme`` values are the portal's own themes (``…/explore/?refine.theme=Transports``
  with a ``skos:prefLabel``), not EU data themes: they become categories by their label,
  which the partner's theme mapping then maps onto shared themes;
- languages are id.loc.gov ISO 639-1 URIs, read as the code;
- an export's format is its URL's last segment (``exports/geojson`` is GeoJSON although
  its media type says ``application/json``).
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCAT, SKOS

from ckanext.partnercity.harvesters.base import (
    HarvestError,
    PartnerRecord,
    PartnerSource,
    RecordError,
)
from ckanext.partnercity.harvesters.dcat.harvester import DcatHarvester, NotDcat
from ckanext.partnercity.harvesters.formats import format_label
from ckanext.partnercity.harvesters.values import phrase

EXPORT_PATH = "/api/explore/v2.1/catalog/exports/dcat"
#: the exports each dataset lists: those the Explore API fallback links to
INCLUDE_EXPORTS = "csv,json,geojson"
_DATASET_PAGE = re.compile(r"/explore/dataset/([^/]+)/?$")
_API_DATASET = re.compile(r"/catalog/datasets/([^/]+)/?$")
_EXPORT_SEGMENT = re.compile(r"/exports/([A-Za-z0-9_]+)/?$")
_ISO_639_1 = "http://id.loc.gov/vocabulary/iso639-1/"
# The ``lang`` values Explore v2.1 accepts (its OpenAPI enum); another one would be refused.
EXPORT_LANGUAGES = ("en", "fr", "nl", "pt", "it", "ar", "de", "es", "ca", "eu", "sv")
# HTTP statuses that mean "this portal has no DCAT export for us": 4xx but a timeout or
# rate limit, which say nothing about the export's existence.
_NO_EXPORT = re.compile(r"^HTTP (4(?!08|29)\d\d)\b")
# The plain "no such export" answers: falling back after them is routine, not news.
_ROUTINE = re.compile(r"^HTTP (404|410)\b")
# HttpClient's words for a body over ``max_bytes``: a whole large catalogue in one
# document, while the Explore API pages it within the cap.
_TOO_LARGE = "exceeds the limit"


def export_url(
    portal: str,
    publisher: str = "",
    language: str = "",
    since: datetime.datetime | None = None,
    include_exports: str = INCLUDE_EXPORTS,
) -> str:
    """The export's URL: ``where`` narrows it to a publisher and, incrementally, to recent
    datasets (ODSQL, as on ``catalog/datasets``); ``lang`` picks the labels' language."""
    params: dict[str, str] = {}
    where = []
    if publisher:
        where.append(f"publisher = {phrase(publisher)}")
    if since is not None:
        if since.tzinfo is not None:
            since = since.astimezone(datetime.UTC)
        where.append(f"modified >= date'{since.date().isoformat()}'")
    if where:
        params["where"] = " AND ".join(where)
    if include_exports:
        params["include_exports"] = include_exports
    if language:
        params["lang"] = language
    query = f"?{urlencode(params)}" if params else ""
    return f"{portal}{EXPORT_PATH}{query}"


def export_missing(exc: HarvestError) -> bool:
    """True when the export is not there for us (refused, unknown, no DCAT catalogue, larger
    than ``max_response_bytes``), so the Explore API is read instead; False when it is there
    but broken (5xx, cut, malformed, too slow, hostile), which must fail the run rather
    than hide behind the fallback."""
    return (
        isinstance(exc, NotDcat) or bool(_NO_EXPORT.match(exc.message)) or _TOO_LARGE in exc.message
    )


def fallback_notice(exc: HarvestError) -> RecordError | None:
    """The run's warning when the export was there but not usable (an HTML page, too large);
    None for a plain 404/410, the usual answer of a portal without the export."""
    if _ROUTINE.match(exc.message):
        return None
    return RecordError(
        f"DCAT export not used ({exc.message}); read the Explore API instead", exc.url
    )


class OdsDcatExport(DcatHarvester):
    """The DCAT portal type reading one Opendatasoft export (see the module docstring)."""

    portal_type = "opendatasoft-dcat"  # not registered: only OpendatasoftHarvester uses it

    @classmethod
    def for_portal(
        cls, source: PartnerSource, portal: str, since: datetime.datetime | None, client
    ) -> OdsDcatExport:
        options = dict(source.options or {})
        languages = [str(lang).lower() for lang in options.get("languages") or []]
        url = export_url(
            portal,
            source.source_filter.strip(),
            next((lang for lang in languages if lang in EXPORT_LANGUAGES), ""),
            since,
            str(options.get("include_exports", INCLUDE_EXPORTS)),
        )
        return cls(dataclasses.replace(source, portal_url=url, options=options), client)

    def listed_identifier(self, graph: rdflib.Graph, ref: URIRef | BNode) -> str:
        landing = graph.value(ref, DCAT.landingPage)
        uri = str(ref) if isinstance(ref, URIRef) else ""
        listed = super().listed_identifier(graph, ref)
        return dataset_id(PartnerRecord(listed, uri=uri, landing_page=str(landing or "")))

    def may_be_empty(self, since: datetime.datetime | None) -> bool:
        # ``where=modified >= …`` leaves an empty catalogue when nothing changed; a full
        # export without datasets still falls back to the Explore API.
        return since is not None

    def adjust(self, record: PartnerRecord, graph: rdflib.Graph, ref: URIRef | BNode) -> None:
        record.identifier = dataset_id(record)
        languages = (self.source.options or {}).get("languages") or []
        record.categories = theme_labels(graph, ref, str(languages[0]) if languages else "")
        record.language = [_language_code(lang) for lang in record.language]
        record.distributions = [_export_format(d) for d in record.distributions]


def dataset_id(record: PartnerRecord) -> str:
    """The Explore API's ``dataset_id``, from the dataset's page or API URL."""
    for url, pattern in (
        (record.landing_page, _DATASET_PAGE),
        (record.uri, _DATASET_PAGE),
        (record.uri, _API_DATASET),
    ):
        found = pattern.search(urlsplit(url).path) if url else None
        if found:
            return unquote(found.group(1))
    identifier = record.identifier
    if "@" in identifier and "/" not in identifier:  # Explore v2's ``<dataset_id>@<domain>``
        return identifier.split("@", 1)[0]
    return identifier


def theme_labels(graph: rdflib.Graph, ref: URIRef | BNode, language: str = "") -> list[str]:
    """The portal's themes by label: ``skos:prefLabel`` (the partner's language first),
    else the ``refine.theme`` value of the concept's URL, else a literal theme itself."""
    labels: list[str] = []
    for theme in graph.objects(ref, DCAT.theme):
        label = _label(graph, theme, language)
        if label and label not in labels:
            labels.append(label)
    return labels


def _label(graph: rdflib.Graph, theme: object, language: str) -> str:
    if isinstance(theme, Literal):
        return str(theme).strip()
    names = sorted(
        (lit.language != language, lit.language is not None, str(lit).strip())
        for lit in graph.objects(theme, SKOS.prefLabel)
        if isinstance(lit, Literal) and str(lit).strip()
    )
    if names:
        return names[0][2]
    if isinstance(theme, URIRef):
        values = parse_qs(urlsplit(str(theme)).query).get("refine.theme")
        if values:
            return values[0].strip()
    return ""


def _language_code(value: str) -> str:
    return value[len(_ISO_639_1) :].strip("/") if value.startswith(_ISO_639_1) else value


def _export_format(distribution):
    found = _EXPORT_SEGMENT.search(urlsplit(distribution.url).path)
    label = format_label(found.group(1)) if found else ""
    if not label or label == distribution.format:
        return distribution
    return dataclasses.replace(distribution, format=label)
