"""The EU reporting view: would data.europa.eu count this dataset in the Art. 5 HVD report?

data.europa.eu does not count HVDs with SHACL but with SPARQL reporting queries over what it
harvested (data provider manual, "Reporting guidelines for HVDs"; sources in docs/hvd.md,
"Three layers"). A dataset the official shapes accept can still be missing from that count,
so this second layer reproduces the queries' conditions on the normalized model:

- the dataset names the HVD ELI (the queries select ``?d dcatap:applicableLegislation <ELI>``);
- its catalogue has ``dct:spatial`` = an EU Member State of the EU country NAL;
- a ``dcat:CatalogRecord`` has ``foaf:primaryTopic`` → the dataset and a ``dct:identifier``;
- an HVD category of the scheme with no narrower concept (the most granular one);
- an English ``dct:title`` and ``dct:description``;
- a route: an HVD-tagged distribution with access URL, download URL and an EU licence, or an
  HVD-tagged data service with endpoint URL, contact point, documentation page, category and
  an EU licence. "EU licence" = CC BY 4.0 or CC0, or mapped to one of them.

No CKAN import: the engine calls :func:`annotate` after the rules have run.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from . import licences as lic
from .model import ELI_HVD, Catalogue, DatasetRecord, Lit, Node, ident
from .vocabulary import concept_index

COUNTRY_NAL = "http://publications.europa.eu/resource/authority/country/"
#: The 27 Member States in the EU country NAL (ISO 3166-1 alpha-3 codes): Art. 5 reports
#: are per Member State.
EU_ALPHA3 = dict(
    pair.split("=")
    for pair in (
        "AT=AUT BE=BEL BG=BGR HR=HRV CY=CYP CZ=CZE DK=DNK EE=EST FI=FIN FR=FRA DE=DEU GR=GRC "
        "HU=HUN IE=IRL IT=ITA LV=LVA LT=LTU LU=LUX MT=MLT NL=NLD PL=POL PT=PRT RO=ROU SK=SVK "
        "SI=SVN ES=ESP SE=SWE"
    ).split()
)  # ISO 3166-1 alpha-2 (partner cities' country field) → alpha-3 (the NAL's codes)
EU_MEMBER_STATES = frozenset(EU_ALPHA3.values())
#: The licences the reporting accepts as they are; others count when mapped to one.
EU_LICENCES = (lic.EU_NAL + "CC_BY_4_0", lic.EU_NAL + "CC0")
#: Mappings that say "as permissive as" (exact) or "more permissive than" (narrowMatch).
_MAPPINGS = ("skos:exactMatch", "owl:sameAs", "skos:narrowMatch")
NOT_IN_SCOPE = "not in HVD scope"
#: At most this many failing resources are named per route, to keep reasons short.
MAX_NAMED = 3


def country_uri(value: str | None) -> str | None:
    """``DEU``, ``deu``, ``DE`` or the NAL URI → the EU country NAL URI (None when empty)."""
    text = (value or "").strip()
    if not text:
        return None
    if "/" not in text:
        return COUNTRY_NAL + EU_ALPHA3.get(text.upper(), text.upper())
    return text


def catalogue_node(uri: str | None, country: str | None = None) -> Node:
    """The portal's own ``dcat:Catalog``; ``country`` (``DEU`` or the EU country NAL URI,
    e.g. from ``ckanext.partnercity.hvd.country``) becomes its ``dct:spatial``."""
    node = Node(uri or "urn:ckan:catalogue")
    spatial = country_uri(country)
    if spatial:
        node.add("dct:spatial", Node(spatial))
    return node


def default_country(catalogue: Catalogue, country: str | None) -> None:
    """Give the catalogue ``country`` as ``dct:spatial`` where it names none itself (CKAN
    JSON, or RDF without it): data.europa.eu takes it from the catalogue's registration."""
    spatial = country_uri(country)
    if not spatial:
        return
    if catalogue.node is None:
        catalogue.node = catalogue_node(catalogue.uri, spatial)
    elif not catalogue.node.values("dct:spatial"):
        catalogue.node.add("dct:spatial", Node(spatial))


def ckan_catalogue_record(pkg: dict, record: DatasetRecord) -> Node | None:
    """A CKAN dataset dict is the portal's catalogue record of the dataset: its package id
    is the record's ``dct:identifier`` (None without an id)."""
    if not pkg.get("id"):
        return None
    node = Node(f"{record.uri}#record")
    node.add("foaf:primaryTopic", record.node)
    node.add("dct:identifier", Lit(str(pkg["id"])))
    return node


def is_member_state(uri: str) -> bool:
    return uri.startswith(COUNTRY_NAL) and uri[len(COUNTRY_NAL) :] in EU_MEMBER_STATES


def country_reasons(node: Node | None) -> list[str]:
    """Why a catalogue's ``dct:spatial`` names no EU Member State (empty when it does)."""
    if node is None:
        return ["no dcat:Catalog describes the datasets, so no dct:spatial country"]
    values = [ident(v) for v in node.values("dct:spatial")]
    if not values:
        return ["catalogue has no dct:spatial (country)"]
    if any(is_member_state(v) for v in values):
        return []
    named = ", ".join(values)
    return [f"catalogue dct:spatial {named} is not an EU Member State of the country NAL"]


def eu_licence(node) -> bool:
    """CC BY 4.0 or CC0 (any spelling the licence table knows), or mapped to one."""
    if _is_eu_licence(ident(node)):
        return True
    if isinstance(node, Node):
        return any(_is_eu_licence(ident(t)) for p in _MAPPINGS for t in node.values(p))
    return False


_EU_KEYS = frozenset(lic.normalize(u) for u in EU_LICENCES)


@lru_cache(maxsize=4096)
def _is_eu_licence(value: str) -> bool:
    return lic.normalize(lic.eu_nal(value) or value) in _EU_KEYS


def _hvd_tagged(node: Node) -> bool:
    return ELI_HVD in (ident(v) for v in node.values("dcatap:applicableLegislation"))


def _english(node: Node, path: str) -> bool:
    """SPARQL ``langMatches(lang(?x), "en")``: en, en-GB, en-IE … all count."""
    return any(
        isinstance(v, Lit) and (v.lang.lower() == "en" or v.lang.lower().startswith("en-"))
        for v in node.values(path)
    )


def _licence_gap(node: Node) -> str | None:
    licences = node.values("dct:license")
    if not licences:
        return "no dct:license"
    if any(eu_licence(v) for v in licences):
        return None
    named = ", ".join(ident(v) for v in licences)
    return f"licence {named} is not CC BY 4.0 or CC0 nor mapped to one"


def distribution_gaps(dist: Node) -> list[str]:
    """What keeps a distribution from being a counted bulk download (empty: it counts)."""
    gaps = [] if _hvd_tagged(dist) else ["not HVD-tagged (no ELI)"]
    gaps += [f"no {p}" for p in ("dcat:accessURL", "dcat:downloadURL") if not dist.values(p)]
    licence = _licence_gap(dist)
    return gaps + ([licence] if licence else [])


def service_gaps(service: Node) -> list[str]:
    """What keeps a data service from being a counted API (empty: it counts)."""
    gaps = [] if _hvd_tagged(service) else ["not HVD-tagged (no ELI)"]
    for path, what in (
        ("dcat:endpointURL", "dcat:endpointURL"),
        ("dcat:contactPoint", "dcat:contactPoint"),
        ("foaf:page", "documentation page (foaf:page)"),
        ("dcatap:hvdCategory", "dcatap:hvdCategory"),
    ):
        if not service.values(path):
            gaps.append(f"no {what}")
    licence = _licence_gap(service)
    return gaps + ([licence] if licence else [])


def category_reasons(record: DatasetRecord) -> list[str]:
    """Empty when some category is a concept of the scheme without narrower concepts."""
    index = concept_index()
    cats = record.categories()
    if not cats:
        return ["no dcatap:hvdCategory"]
    if any(c in index and not index.narrower.get(c) for c in cats):
        return []
    return [
        f"category {_short(c)} has narrower concepts"
        if c in index
        else f"category {c} is not in the HVD category scheme"
        for c in cats
    ]


def _short(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


def name(node: Node) -> str:
    """A resource as a reader finds it: its IRI; a blank node by its URL or title."""
    if not node.is_blank:
        return node.id
    for path in ("dcat:accessURL", "dcat:endpointURL", "dcat:downloadURL", "dct:title"):
        values = node.values(path)
        if values:
            return f"{node.id} ({ident(values[0])})"
    return node.id


def _route_reasons(kind: str, gaps: dict[str, list[str]]) -> list[str]:
    if not gaps:
        return [f"no {kind}"]
    named = [f"{kind} {rid}: {'; '.join(g)}" for rid, g in list(gaps.items())[:MAX_NAMED]]
    more = len(gaps) - MAX_NAMED
    return named + ([f"… and {more} more {kind}s"] if more > 0 else [])


def assess(record: DatasetRecord, catalogue: Catalogue, country: list[str] | None = None) -> dict:
    """``{"counted", "reasons", "criteria"}`` for one in-scope dataset.

    ``criteria`` keeps each condition's outcome so the catalogue summary needs no re-check.
    """
    node = record.node
    dists = {name(d): distribution_gaps(d) for d in record.distributions}
    services = {name(s): service_gaps(s) for s in record.services}
    identified = [
        r for r in catalogue.records.get(record.uri, ()) if r.values("dct:identifier")
    ]  # fmt: skip
    if country is None:
        country = country_reasons(catalogue.catalogue_of.get(record.uri, catalogue.node))
    categories = category_reasons(record)
    criteria = {
        "legislation": _hvd_tagged(node),
        "country": not country,
        "catalogue_record": bool(identified),
        "granular_category": not categories,
        "title_en": _english(node, "dct:title"),
        "description_en": _english(node, "dct:description"),
        "bulk_download": any(not g for g in dists.values()),
        "api": any(not g for g in services.values()),
    }
    reasons = [] if criteria["legislation"] else ["dataset does not name the HVD ELI"]
    reasons += country
    if not criteria["catalogue_record"]:
        reasons.append("no dcat:CatalogRecord with foaf:primaryTopic and dct:identifier")
    reasons += categories
    reasons += [] if criteria["title_en"] else ["no English dct:title"]
    reasons += [] if criteria["description_en"] else ["no English dct:description"]
    if not (criteria["bulk_download"] or criteria["api"]):
        reasons += _route_reasons("distribution", dists) + _route_reasons("data service", services)
    return {"counted": not reasons, "reasons": reasons, "criteria": criteria}


def out_of_scope() -> dict:
    return {"counted": False, "reasons": [NOT_IN_SCOPE], "criteria": {}}


def annotate(catalogue: Catalogue, datasets: list[dict]) -> dict:
    """Give each report dataset (aligned with ``catalogue.datasets``) its ``eu_reporting``
    and return the catalogue-level counts for ``summary["eu_reporting"]``."""
    reasons: dict[str | None, list[str]] = {}  # catalogue id → its country reasons
    used: dict[str | None, Node | None] = {}  # the catalogues of in-scope datasets
    in_scope = []
    for record, ds in zip(catalogue.datasets, datasets, strict=True):
        if ds["in_scope"]:
            cat = catalogue.catalogue_of.get(record.uri, catalogue.node)
            key = cat.id if cat is not None else None
            if key not in reasons:
                reasons[key], used[key] = country_reasons(cat), cat
            ds["eu_reporting"] = assess(record, catalogue, reasons[key])
            in_scope.append(record)
        else:
            ds["eu_reporting"] = out_of_scope()
    views = [d["eu_reporting"] for d in datasets if d["in_scope"]]
    countries = sorted({c for cat in used.values() for c in _member_states(cat)})
    if not used:
        countries = _member_states(catalogue.node)
    summary = summarize(in_scope, views, countries)
    summary["categories"] = per_category([r.categories() for r in in_scope], views)
    return summary


def per_category(categories: list[list[str]], views: list[dict]) -> list[dict]:
    """Datasets in scope and counted per top HVD category (the dashboard's six thematic
    categories); a dataset in two categories counts in both."""
    index = concept_index()
    rows: dict[str, dict] = {}
    for cats, view in zip(categories, views, strict=True):
        for top in {index.top(c) for c in cats if c in index} or {""}:
            row = rows.setdefault(top, {"category": top, "datasets": 0, "counted": 0})
            row["datasets"] += 1
            row["counted"] += view["counted"]
    return sorted(rows.values(), key=lambda r: r["category"])


def _member_states(node: Node | None) -> list[str]:
    spatial = node.values("dct:spatial") if node is not None else []
    return [ident(v) for v in spatial if is_member_state(ident(v))]


def summarize(records: Iterable[DatasetRecord], views: list[dict], countries: list[str]) -> dict:
    """Counts in the style of the EU HVD reporting dashboard, over in-scope datasets and
    over their distinct HVD-tagged bulk downloads (distributions that are not an API's front)
    and data services (APIs).
    ``country`` is the reporting country when there is exactly one (else ``countries``)."""
    dists: dict[str, Node] = {}
    services: dict[str, Node] = {}
    for record in records:
        dists.update((d.id, d) for d in record.distributions if _hvd_tagged(d) and _bulk(d))
        services.update((s.id, s) for s in record.services if _hvd_tagged(s))
    return {
        **dataset_counts(views, countries),
        "bulk_downloads": len(dists),
        "bulk_downloads_without_download_url": _count(dists, "dcat:downloadURL"),
        "bulk_downloads_without_eu_licence": _without_licence(dists),
        "apis": len(services),
        "apis_without_documentation": _count(services, "foaf:page"),
        "apis_without_endpoint_url": _count(services, "dcat:endpointURL"),
        "apis_without_contact_point": _count(services, "dcat:contactPoint"),
        "apis_without_eu_licence": _without_licence(services),
    }


def dataset_counts(views: list[dict], countries: list[str]) -> dict:
    """The counts that need only each dataset's ``eu_reporting`` (not its resources)."""
    crit = [v["criteria"] for v in views]
    return {
        "country": countries[0] if len(countries) == 1 else None,
        "countries": countries,
        "datasets": len(views),
        "counted": sum(v["counted"] for v in views),
        "not_counted": sum(not v["counted"] for v in views),
        "without_hvd_eli": sum(not c["legislation"] for c in crit),
        "without_catalogue_record": sum(not c["catalogue_record"] for c in crit),
        "without_english_title": sum(not c["title_en"] for c in crit),
        "without_english_description": sum(not c["description_en"] for c in crit),
        "without_granular_category": sum(not c["granular_category"] for c in crit),
        "without_route": sum(not (c["bulk_download"] or c["api"]) for c in crit),
    }


def recount(datasets: list[dict], previous: dict) -> dict:
    """``summary["eu_reporting"]`` for fewer report datasets (a viewer's share of a stored
    run): the dataset counts anew; the resource counts, which the dataset dicts cannot give,
    are left out rather than told for datasets the viewer may not see."""
    shown = [d for d in datasets if d.get("in_scope") and d.get("eu_reporting")]
    views = [d["eu_reporting"] for d in shown]
    out = dataset_counts(views, list(previous.get("countries") or []))
    out["country"] = previous.get("country")
    out["categories"] = per_category([d["categories"] for d in shown], views)
    return out


def _bulk(dist: Node) -> bool:
    """A bulk download, not an API's front (an access service and no download URL), as the
    rule hvd.report.download-url sees it."""
    return bool(dist.values("dcat:downloadURL")) or not dist.values("dcat:accessService")


def _count(nodes: dict[str, Node], path: str) -> int:
    return sum(not n.values(path) for n in nodes.values())


def _without_licence(nodes: dict[str, Node]) -> int:
    return sum(_licence_gap(n) is not None for n in nodes.values())
