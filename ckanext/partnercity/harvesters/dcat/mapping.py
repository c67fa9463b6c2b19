"""ckanext-dcat dataset dicts to PartnerRecords.

The profiles give extras-shaped dicts outside CKAN and scheming-shaped ones
inside it, so every field is read from both places.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDFS, SKOS

from ckanext.partnercity.harvesters.base import Distribution, PartnerRecord
from ckanext.partnercity.harvesters.dates import changed_before
from ckanext.partnercity.harvesters.urls import is_http_url
from ckanext.partnercity.harvesters.values import json_list, loads


def _value(dataset: dict, key: str) -> Any:
    """A root field (scheming) or an extra (plain ckanext-dcat) of a dataset dict."""
    value = dataset.get(key)
    if value not in (None, "", [], {}):
        return value
    for extra in dataset.get("extras") or []:
        if extra.get("key") == key:
            return extra.get("value")
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _list(value: Any) -> list[str]:
    """Lists arrive as lists (scheming) or as JSON dumps (extras)."""
    return [_text(item) for item in json_list(value)]


def _unique(values: Iterable[str]) -> list[str]:
    return [value for value in dict.fromkeys(values) if value]


def _labeller(graph: rdflib.Graph) -> Callable[[str], str]:
    """Blank-node ids that ckanext-dcat passes through become their label.

    GeoNetwork publishes themes and licences as anonymous skos:Concepts or
    LicenseDocuments; their id means nothing outside the document.
    """

    def label(value: str) -> str:
        node = BNode(value)
        if not value or (node, None, None) not in graph:
            return value
        for predicate in (SKOS.prefLabel, DCTERMS.title, RDFS.label, FOAF.name):
            labels = sorted((o.language or "", str(o)) for o in graph.objects(node, predicate))
            if labels:
                return labels[0][1]
        return ""

    return label


def _publisher(dataset: dict) -> str:
    publisher = dataset.get("publisher")
    if isinstance(publisher, list):
        publisher = publisher[0] if publisher else None
    if isinstance(publisher, dict):
        return _text(publisher.get("name") or publisher.get("uri"))
    if isinstance(publisher, str) and publisher:
        return publisher
    return _text(_value(dataset, "publisher_name") or _value(dataset, "publisher_uri"))


def _access_service(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = loads(value)
        except ValueError:
            return ""
    for service in value if isinstance(value, list) else []:
        if not isinstance(service, dict):
            continue
        for candidate in (
            service.get("uri"),
            *_list(service.get("endpoint_url")),
            service.get("endpoint_description"),
        ):
            if candidate:
                return _text(candidate)
    return ""


def _dominant(values: list[str]) -> str:
    """The most frequent value, ties alphabetical: RDF has no order to take "the first" from."""
    counts = Counter(values)
    return min(counts, key=lambda value: (-counts[value], value)) if counts else ""


def record_from_dataset(
    dataset: dict, graph: rdflib.Graph, ref: URIRef | BNode | None = None
) -> PartnerRecord:
    """Turn one ckanext-dcat dataset dict (extras- or scheming-shaped) into a PartnerRecord.

    ``graph`` resolves blank-node themes and licences to labels and supplies
    dct:subject (GeoDCAT-AP topic categories, DCAT-AP_IT sub-themes), which
    ckanext-dcat does not map but which are the partner's own categories.
    """
    label = _labeller(graph)
    uri = _text(_value(dataset, "uri")) or (str(ref) if isinstance(ref, URIRef) else "")
    identifier = _text(_value(dataset, "identifier")) or uri
    if not identifier:
        raise ValueError("dataset has neither a dct:identifier nor a URI")

    categories = [label(theme) for theme in _list(_value(dataset, "theme"))]
    if ref is not None:
        categories += sorted(str(o) for o in graph.objects(ref, DCTERMS.subject) if o)

    distributions, licences = [], []
    for resource in dataset.get("resources") or []:
        licence = label(_text(resource.get("license")))
        if licence:
            licences.append(licence)
        url = resource.get("url") or resource.get("download_url") or resource.get("access_url")
        if not url:
            continue
        distributions.append(
            Distribution(
                url=_text(url),
                format=_text(resource.get("format")),
                media_type=_text(resource.get("mimetype")),
                title=_text(resource.get("name")),
                description=_text(resource.get("description")),
                access_service=_access_service(resource.get("access_services")),
                license=licence,
            )
        )

    licence_url = _dominant([lic for lic in licences if is_http_url(lic)])
    licence_name = _dominant([lic for lic in licences if not is_http_url(lic)])

    keywords = [_text(tag.get("name")) for tag in dataset.get("tags") or [] if tag]
    return PartnerRecord(
        identifier=identifier,
        title=_text(dataset.get("title")),
        description=_text(dataset.get("notes")),
        uri=uri,
        landing_page=_text(dataset.get("url")),
        license_id=_text(dataset.get("license_id")),
        license_title=licence_name,
        license_url=licence_url,
        publisher=_publisher(dataset),
        issued=_text(_value(dataset, "issued")),
        modified=_text(_value(dataset, "modified")),
        categories=_unique(categories),
        keywords=_unique(keywords),
        language=_unique(_list(_value(dataset, "language"))),
        hvd_category=_unique(_list(_value(dataset, "hvd_category"))),
        applicable_legislation=_unique(_list(_value(dataset, "applicable_legislation"))),
        translations=language_versions(graph, ref),
        distributions=distributions,
    )


def language_versions(graph: rdflib.Graph, ref: URIRef | BNode | None) -> dict[str, dict[str, str]]:
    """Every language-tagged dct:title and dct:description of the dataset.

    ckanext-dcat keeps one version (the portal's preferred language); DCAT-AP publishes a
    literal per language (``xml:lang``), and readers should get theirs. Untagged literals
    tell no language and stay out; of two literals in one language the first in sort order.
    """
    out: dict[str, dict[str, str]] = {}
    if ref is None:
        return out
    for name, predicate in (("title", DCTERMS.title), ("description", DCTERMS.description)):
        found: dict[str, str] = {}
        for literal in sorted(graph.objects(ref, predicate), key=str):
            if isinstance(literal, Literal) and literal.language and str(literal).strip():
                found.setdefault(literal.language.lower(), str(literal).strip())
        if found:
            out[name] = found
    return out


def older_than(record: PartnerRecord, since: datetime.datetime) -> bool:
    """True when dct:modified says the record did not change after ``since``."""
    return changed_before(record.modified, since)
