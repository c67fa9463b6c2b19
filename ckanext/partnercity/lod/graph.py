"""The partnership graph: our city, its partner cities, their portals and our references.

Built from plain dicts (the CKAN adapter, ``views/linked_data.py``, reads them from actions),
so it runs and is tested without CKAN. The model, with the reasons for each vocabulary, is in
docs/linked-data.md; in short:

- a city is a ``schema:City`` (the place) and an ``org:Organization`` (the municipality that
  publishes data), named with ``foaf:name`` and ``schema:name``, its country as
  ``schema:addressCountry`` (ISO 3166-1 alpha-2), its metadata languages as
  ``schema:knowsLanguage`` (ISO 639-1), its Wikidata item, when known, as ``owl:sameAs``;
- a partnership is an ``org:OrganizationalCollaboration`` with both cities as
  ``org:hasMember`` and the year it began as ``schema:foundingDate`` (``xsd:gYear``); the
  cities are also ``org:linkedTo`` each other, for simple queries;
- a partner's portal is a ``dcat:Catalog`` (its URL, ``foaf:homepage``) published
  (``dct:publisher``) by the partner city;
- our references form a ``dcat:Catalog`` of ours, separate from our own catalogue
  (``/catalog.*``, which leaves references out): its ``dcat:dataset``s are the partner's own
  dataset URIs, each with ``foaf:page`` and ``rdfs:seeAlso`` our reference page, its
  ``dcat:landingPage`` on the partner's portal, and ``dcat:theme`` the shared themes;
- the shared-theme mappings are the SKOS export of themes/export.py, merged in;
- confirmed counterparts (one of our datasets and a partner's about the same subject) are
  ``dct:relation`` both ways.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import rdflib
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, RDF, RDFS, SKOS, XSD

SCHEMA = Namespace("https://schema.org/")
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"

_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_QID = re.compile(r"^Q[1-9][0-9]{0,11}$")
_WIKIDATA_URL = re.compile(
    r"^https?://(?:www\.)?wikidata\.org/(?:wiki|entity)/(Q[1-9][0-9]{0,11})$"
)
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_LANG = re.compile(r"^[a-z]{2,3}$")


@dataclass
class Site:
    """Our portal and our city."""

    url: str  # ckan.site_url, no trailing slash
    title: str  # the city's (or portal's) name
    country: str | None = None
    languages: list[str] = field(default_factory=list)
    wikidata: str | None = None


@dataclass
class Uris:
    """Where the graph's resources live on our portal: one place, so links stay stable."""

    site: str

    @property
    def document(self) -> str:
        return f"{self.site}/partner-cities"

    @property
    def our_city(self) -> str:
        return f"{self.site}/partner-cities#city"

    @property
    def references(self) -> str:
        return f"{self.site}/partner-cities#references"

    def partner_page(self, name: str) -> str:
        return f"{self.site}/partner-cities/{name}"

    def partner_city(self, name: str) -> str:
        return f"{self.partner_page(name)}#city"

    def partnership(self, name: str) -> str:
        return f"{self.partner_page(name)}#partnership"

    def reference_page(self, name: str) -> str:
        return f"{self.site}/partner_dataset/{name}"


def wikidata_uri(value: str | None) -> str | None:
    """The Wikidata entity URI of ``Q123`` or a Wikidata item URL; None for anything else."""
    if not value:
        return None
    value = value.strip()
    if _QID.match(value):
        return WIKIDATA_ENTITY + value
    match = _WIKIDATA_URL.match(value)
    return WIKIDATA_ENTITY + match.group(1) if match else None


def http_iri(value: str | None) -> URIRef | None:
    """An http(s) IRI, or None: a partner's malformed link is left out, not a broken triple."""
    if isinstance(value, str) and _IRI.match(value.strip()):
        return URIRef(value.strip())
    return None


def _city(graph: rdflib.Graph, node: URIRef, city: dict) -> None:
    graph.add((node, RDF.type, SCHEMA.City))
    graph.add((node, RDF.type, ORG.Organization))
    title = (city.get("title") or city.get("name") or "").strip()
    if title:
        graph.add((node, FOAF.name, Literal(title)))
        graph.add((node, SCHEMA.name, Literal(title)))
    country = (city.get("country") or "").strip().upper()
    if _COUNTRY.match(country):
        graph.add((node, SCHEMA.addressCountry, Literal(country)))
    for lang in city.get("languages") or []:
        lang = str(lang).strip().lower()
        if _LANG.match(lang):
            graph.add((node, SCHEMA.knowsLanguage, Literal(lang)))
    same = wikidata_uri(city.get("wikidata"))
    if same:
        graph.add((node, OWL.sameAs, URIRef(same)))


def _partner(graph: rdflib.Graph, uris: Uris, partner: dict) -> URIRef:
    name = partner["name"]
    city = URIRef(uris.partner_city(name))
    ours = URIRef(uris.our_city)
    _city(graph, city, partner)
    graph.add((city, FOAF.page, URIRef(uris.partner_page(name))))
    graph.add((ours, ORG.linkedTo, city))
    graph.add((city, ORG.linkedTo, ours))
    partnership = URIRef(uris.partnership(name))
    graph.add((partnership, RDF.type, ORG.OrganizationalCollaboration))
    graph.add((partnership, ORG.hasMember, ours))
    graph.add((partnership, ORG.hasMember, city))
    since = partner.get("partnership_since")
    if since not in (None, ""):
        try:
            year = int(since)
        except (TypeError, ValueError):
            year = None
        if year is not None and 0 < year < 10000:
            graph.add(
                (partnership, SCHEMA.foundingDate, Literal(f"{year:04d}", datatype=XSD.gYear))
            )
    portal = http_iri(partner.get("portal_url"))
    if portal is not None:
        graph.add((portal, RDF.type, DCAT.Catalog))
        graph.add((portal, DCTERMS.title, Literal(graph.value(city, FOAF.name) or name)))
        graph.add((portal, DCTERMS.publisher, city))
        graph.add((portal, FOAF.homepage, portal))
    return city


def reference_uri(reference: dict) -> URIRef | None:
    """The partner's own URI of a dataset; its page on the partner's portal if it has none."""
    return http_iri(reference.get("uri")) or http_iri(reference.get("landing_page"))


def _reference(
    graph: rdflib.Graph, uris: Uris, catalog: URIRef, reference: dict, cities: dict
) -> None:
    dataset = reference_uri(reference)
    city = cities.get(reference.get("partner"))
    if dataset is None or city is None:
        return  # without the partner's URI or its partner there is nothing to link
    graph.add((catalog, DCAT.dataset, dataset))
    graph.add((dataset, RDF.type, DCAT.Dataset))
    title = (reference.get("title") or "").strip()
    if title:
        graph.add((dataset, DCTERMS.title, Literal(title, lang=_lang_tag(reference.get("lang")))))
    graph.add((dataset, DCTERMS.publisher, city))
    page = URIRef(uris.reference_page(reference["name"]))
    graph.add((dataset, FOAF.page, page))
    graph.add((dataset, RDFS.seeAlso, page))
    landing = http_iri(reference.get("landing_page"))
    if landing is not None:
        graph.add((dataset, DCAT.landingPage, landing))
    for portal in graph.subjects(DCTERMS.publisher, city):
        if (portal, RDF.type, DCAT.Catalog) in graph and portal != dataset:
            graph.add((portal, DCAT.dataset, dataset))
    for theme in reference.get("themes") or []:
        node = http_iri(theme)
        if node is not None:
            graph.add((dataset, DCAT.theme, node))


def _lang_tag(value: str | None) -> str | None:
    value = (value or "").strip().lower()
    return value if _LANG.match(value) else None


def add_counterparts(graph: rdflib.Graph, pairs: Iterable[tuple[str, str]]) -> int:
    """Confirmed counterparts as ``dct:relation`` both ways; returns how many pairs went in.

    The hook for the counterpart review (issue 15, §2): the adapter passes (our dataset's
    URI, the partner dataset's URI) for every confirmed pair; rejected and unreviewed
    suggestions are not facts of the partnership and stay out.
    """
    added = 0
    for own, theirs in pairs:
        a, b = http_iri(own), http_iri(theirs)
        if a is None or b is None or a == b:
            continue
        graph.add((a, DCTERMS.relation, b))
        graph.add((b, DCTERMS.relation, a))
        added += 1
    return added


def partnership_graph(
    site: Site,
    partners: Iterable[dict],
    references: Iterable[dict] = (),
    themes: rdflib.Graph | None = None,
    counterparts: Iterable[tuple[str, str]] = (),
    theme_scheme: str | None = None,
) -> rdflib.Graph:
    """The whole partnership as one graph (see the module doc).

    ``partners``: dicts with ``name`` (our URL name), ``title``, ``country``, ``languages``,
    ``wikidata`` (``Q…`` or its URL, optional), ``partnership_since`` (a year) and
    ``portal_url``. ``references``: dicts with ``name`` (our reference page), ``partner`` (a
    partner's ``name``), ``uri`` (the partner's dataset URI), ``landing_page``, ``title``,
    ``lang`` and ``themes`` (shared-theme URIs). ``themes``: the SKOS mappings graph.
    """
    uris = Uris(site.url.rstrip("/"))
    graph = rdflib.Graph()
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("org", ORG),
        ("owl", OWL),
        ("schema", SCHEMA),
        ("skos", SKOS),
    ):
        graph.bind(prefix, namespace, replace=True)
    ours = URIRef(uris.our_city)
    _city(
        graph,
        ours,
        {
            "title": site.title,
            "country": site.country,
            "languages": site.languages,
            "wikidata": site.wikidata,
        },
    )
    graph.add((ours, FOAF.homepage, URIRef(uris.site + "/")))
    cities = {p["name"]: _partner(graph, uris, p) for p in partners if p.get("name")}
    catalog = URIRef(uris.references)
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add(
        (catalog, DCTERMS.title, Literal(f"{site.title}: partner cities' datasets", lang="en"))
    )
    graph.add(
        (
            catalog,
            DCTERMS.description,
            Literal(
                "Links to datasets published by our partner cities on their own portals; "
                "the data stays with them.",
                lang="en",
            ),
        )
    )
    graph.add((catalog, DCTERMS.publisher, ours))
    graph.add((catalog, FOAF.homepage, URIRef(uris.document)))
    scheme = http_iri(theme_scheme)
    if scheme is not None:
        graph.add((catalog, DCAT.themeTaxonomy, scheme))
    for reference in references:
        if reference.get("name"):
            _reference(graph, uris, catalog, reference, cities)
    if themes is not None:
        graph += themes
    add_counterparts(graph, counterparts)
    return graph


def reference_catalog_datasets(graph: rdflib.Graph, site_url: str) -> set[str]:
    """The dataset URIs in our reference catalogue (what must stay out of ``/catalog.*``)."""
    catalog = URIRef(Uris(site_url.rstrip("/")).references)
    return {str(d) for d in graph.objects(catalog, DCAT.dataset)}


__all__ = [
    "SCHEMA",
    "Site",
    "Uris",
    "add_counterparts",
    "partnership_graph",
    "reference_catalog_datasets",
    "reference_uri",
    "wikidata_uri",
]
