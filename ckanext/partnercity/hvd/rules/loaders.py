"""Feed the normalized model from RDF (pyoxigraph) or from CKAN dataset dicts.

No CKAN import: CKAN dicts are plain ``dict`` objects as ``package_show`` returns
them with the ckanext-dcat / ckanext-scheming field names.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from ckanext.partnercity.harvesters.rdf_syntax import (
    EntityDeclarationError,
    guess_syntax,
    refuse_entity_declarations,
)
from ckanext.partnercity.harvesters.urls import is_http_url
from ckanext.partnercity.harvesters.values import json_list, loads

from . import markers
from .eu_reporting import catalogue_node, ckan_catalogue_record
from .model import RDF_TYPE, Catalogue, DatasetRecord, Lit, Node, compact
from .parse_errors import ckan_packages, describe, not_json_ld, one_line

DCAT_DATASET = "http://www.w3.org/ns/dcat#Dataset"
DCAT_SERVICE = "http://www.w3.org/ns/dcat#DataService"
DCAT_CATALOG = "http://www.w3.org/ns/dcat#Catalog"
DCAT_RECORD = "http://www.w3.org/ns/dcat#CatalogRecord"
N_TRIPLES = ox.RdfFormat.N_TRIPLES


class LoadError(ValueError):
    """The input could not be read as RDF or as CKAN dataset dicts."""


# -- RDF ---------------------------------------------------------------------


def nodes_from_rdf(data: bytes, fmt: ox.RdfFormat, base_iri: str | None = None) -> dict[str, Node]:
    """Every subject/object of the RDF as :class:`Node` objects keyed by id.

    RDF/XML declaring entities is refused unparsed: pyoxigraph would expand them.
    """
    if fmt == ox.RdfFormat.RDF_XML:
        try:
            refuse_entity_declarations(data)
        except EntityDeclarationError as exc:
            raise LoadError(f"refused RDF/XML: {exc}") from None
    nodes: dict[str, Node] = {}
    keys: dict[str, str] = {}
    literal, blank = ox.Literal, ox.BlankNode

    def node_for(term) -> Node:
        key = "_:" + term.value if type(term) is blank else term.value
        node = nodes.get(key)
        if node is None:
            node = nodes[key] = Node(key)
        return node

    try:
        for quad in ox.parse(data, format=fmt, base_iri=base_iri):
            subject = node_for(quad.subject)
            predicate = quad.predicate.value
            key = keys.get(predicate)
            if key is None:
                key = keys[predicate] = "rdf:type" if predicate == RDF_TYPE else compact(predicate)
            obj = quad.object
            value = Lit(obj.value, obj.language or "") if type(obj) is literal else node_for(obj)
            values = subject.props.get(key)
            if values is None:
                subject.props[key] = [value]
            elif value not in values:
                values.append(value)
    except (SyntaxError, ValueError) as exc:
        raise LoadError(describe(exc, data, fmt.name)) from exc
    return nodes


def _typed(nodes: dict[str, Node], cls: str) -> list[Node]:
    cls_node = nodes.get(cls)
    if cls_node is None:
        return []
    return [n for n in nodes.values() if cls_node in n.props.get("rdf:type", ())]


def catalogue_from_nodes(nodes: dict[str, Node], source: str = "") -> Catalogue:
    """Attach distributions and APIs to every ``dcat:Dataset``.

    An API of a dataset is, as in the official 3.0.0-hvd shape, any resource that
    ``dcat:servesDataset`` it or is the ``dcat:accessService`` of one of its
    distributions.
    """
    served_by: dict[str, list[Node]] = {}
    for node in nodes.values():
        for target in node.props.get("dcat:servesDataset", ()):
            if isinstance(target, Node):
                served_by.setdefault(target.id, []).append(node)
    records = []
    attached: set[str] = set()
    for ds in _typed(nodes, DCAT_DATASET):
        dists = [d for d in ds.props.get("dcat:distribution", ()) if isinstance(d, Node)]
        services = list(served_by.get(ds.id, ()))
        for dist in dists:
            for svc in dist.props.get("dcat:accessService", ()):
                if isinstance(svc, Node) and svc not in services:
                    services.append(svc)
        attached.update(s.id for s in services)
        records.append(DatasetRecord(ds, dists, services))
    # dcat:Catalog; the official HVD examples write dcat:Catalogue (not a DCAT class)
    catalogues = _typed(nodes, DCAT_CATALOG) or _typed(nodes, DCAT_CATALOG + "ue")
    uri = title = None
    if catalogues:
        uri = catalogues[0].id
        titles = catalogues[0].props.get("dct:title", [])
        title = titles[0].value if titles and isinstance(titles[0], Lit) else None
    loose = [s for s in _typed(nodes, DCAT_SERVICE) if s.id not in attached]
    return Catalogue(
        uri=uri,
        title=title,
        datasets=records,
        services=loose,
        source=source,
        node=catalogues[0] if catalogues else None,
        records=catalogue_records(nodes, catalogues),
        catalogue_of=catalogue_of(catalogues),
    )


def catalogue_of(catalogues: list[Node]) -> dict[str, Node]:
    """Dataset id → a catalogue listing it (``dcat:dataset``), one with ``dct:spatial`` first."""
    out: dict[str, Node] = {}
    for cat in sorted(catalogues, key=lambda c: bool(c.props.get("dct:spatial"))):
        out.update((d.id, cat) for d in cat.props.get("dcat:dataset", ()) if isinstance(d, Node))
    return out


def catalogue_records(nodes: dict[str, Node], catalogues: list[Node]) -> dict[str, list[Node]]:
    """Dataset id → its catalogue records: typed ``dcat:CatalogRecord`` or a catalogue's
    ``dcat:record``, each with ``foaf:primaryTopic`` → the dataset."""
    candidates = _typed(nodes, DCAT_RECORD)
    for cat in catalogues:
        candidates += [r for r in cat.props.get("dcat:record", ()) if isinstance(r, Node)]
    out: dict[str, list[Node]] = {}
    for rec in candidates:
        for topic in rec.props.get("foaf:primaryTopic", ()):
            if isinstance(topic, Node) and rec not in out.get(topic.id, ()):
                out.setdefault(topic.id, []).append(rec)
    return out


def load_rdf(data: bytes, fmt: ox.RdfFormat | None = None, name: str = "", base_iri=None):
    fmt = fmt or guess_syntax(name=name, head=data).oxigraph
    return catalogue_from_nodes(nodes_from_rdf(data, fmt, base_iri), source=name)


# -- CKAN dataset dicts (ckanext-dcat / ckanext-scheming field names) -------------------


def as_list(value) -> list:
    """A repeating field (see json_list); a comma-separated run of URLs is several values."""
    if isinstance(value, str):
        text = value.strip()
        if "," in text and text.startswith("http") and " " not in text:
            return [p.strip() for p in text.split(",") if p.strip()]
    return json_list(value)


def _extras(pkg: dict) -> dict:
    return {e.get("key"): e.get("value") for e in pkg.get("extras") or [] if isinstance(e, dict)}


def _field(pkg: dict, name: str, extras: dict | None = None):
    value = pkg.get(name)
    if value in (None, "", []) and extras is not None:
        value = extras.get(name)
    return value


def _ref(value: str, nodes: dict[str, Node]) -> Node | Lit:
    """A URI string becomes a node (shared by id), anything else a literal."""
    if isinstance(value, str) and value.startswith(("http://", "https://", "mailto:", "urn:")):
        node = nodes.get(value)
        if node is None:
            node = nodes[value] = Node(value)
        return node
    return Lit(str(value))


class _Blank:
    def __init__(self, prefix: str):
        self.prefix = prefix
        self.n = 0

    def __call__(self) -> Node:
        self.n += 1
        return Node(f"_:{self.prefix}{self.n}")


def _contact(raw, nodes, blank) -> Node | None:
    if isinstance(raw, str):
        raw = {"email": raw} if "@" in raw else {"url": raw}
    if not isinstance(raw, dict):
        return None
    uri = raw.get("uri")
    node = _ref(uri, nodes) if uri and str(uri).startswith("http") else blank()
    node.add("rdf:type", _ref("http://www.w3.org/2006/vcard/ns#Kind", nodes))
    if raw.get("name"):
        node.add("vcard:fn", Lit(raw["name"]))
    email = raw.get("email")
    if email:
        email = email if email.startswith("mailto:") else "mailto:" + email
        node.add("vcard:hasEmail", _ref(email, nodes))
    if raw.get("url"):
        node.add("vcard:hasURL", _ref(raw["url"], nodes))
    return node


def _licence(value, nodes) -> Node | Lit | None:
    return _ref(value, nodes) if value else None


def _service(raw: dict, nodes, blank, dataset: Node) -> Node:
    uri = raw.get("uri")
    svc = _ref(uri, nodes) if uri and str(uri).startswith("http") else blank()
    svc.add("rdf:type", _ref("http://www.w3.org/ns/dcat#DataService", nodes))
    if raw.get("title"):
        svc.add("dct:title", Lit(raw["title"]))
    for key, prop in (
        ("endpoint_url", "dcat:endpointURL"),
        ("endpoint_description", "dcat:endpointDescription"),
        ("applicable_legislation", "dcatap:applicableLegislation"),
        ("hvd_category", "dcatap:hvdCategory"),
        ("documentation", "foaf:page"),
        ("page", "foaf:page"),
        ("rights", "dct:rights"),
        ("access_rights", "dct:accessRights"),
        ("format", "dct:format"),
    ):
        for v in as_list(raw.get(key)):
            svc.add(prop, _ref(v, nodes))
    if raw.get("license"):
        svc.add("dct:license", _licence(raw["license"], nodes))
    for contact in as_list(raw.get("contact")) + as_list(raw.get("contact_point")):
        node = _contact(contact, nodes, blank)
        if node is not None:
            svc.add("dcat:contactPoint", node)
    served = as_list(raw.get("serves_dataset"))
    for v in served:
        svc.add("dcat:servesDataset", _ref(v, nodes))
    if not served:  # an access service of this dataset's resource serves this dataset
        svc.add("dcat:servesDataset", dataset)
    return svc


def record_from_ckan(pkg: dict, site_url: str = "") -> DatasetRecord:
    """One CKAN dataset dict → a :class:`DatasetRecord`."""
    nodes: dict[str, Node] = {}
    extras = _extras(pkg)
    uri = _field(pkg, "uri", extras) or (
        f"{site_url.rstrip('/')}/dataset/{pkg.get('id') or pkg.get('name')}"
        if site_url
        else f"urn:ckan:dataset:{pkg.get('id') or pkg.get('name')}"
    )
    blank = _Blank(f"{pkg.get('name') or pkg.get('id') or 'ds'}-")
    ds = nodes.setdefault(uri, Node(uri))
    ds.add("rdf:type", _ref("http://www.w3.org/ns/dcat#Dataset", nodes))
    if pkg.get("title"):
        ds.add("dct:title", Lit(pkg["title"]))
    if pkg.get("notes"):
        ds.add("dct:description", Lit(pkg["notes"]))
    for lang, text in (pkg.get("title_translated") or {}).items():
        if text:
            ds.add("dct:title", Lit(text, lang))
    for lang, text in (pkg.get("notes_translated") or {}).items():
        if text:
            ds.add("dct:description", Lit(text, lang))
    for tag in pkg.get("tags") or []:  # the duties finder reads keywords as evidence
        name = tag.get("display_name") or tag.get("name") if isinstance(tag, dict) else tag
        if isinstance(name, str) and name:
            ds.add("dcat:keyword", Lit(name))
    # partnercity's dataset schema keeps the English text for reporting in these fields
    for key, prop in (("title_en", "dct:title"), ("notes_en", "dct:description")):
        if _field(pkg, key, extras):
            ds.add(prop, Lit(_field(pkg, key, extras), "en"))
    for key, prop in (
        ("applicable_legislation", "dcatap:applicableLegislation"),
        ("hvd_category", "dcatap:hvdCategory"),
        ("documentation", "foaf:page"),
        ("conforms_to", "dct:conformsTo"),
        ("access_rights", "dct:accessRights"),
    ):
        for v in as_list(_field(pkg, key, extras)):
            ds.add(prop, _ref(v, nodes))
    contacts = as_list(_field(pkg, "contact", extras))
    if not contacts:
        for key in ("contact_email", "maintainer_email", "author_email"):
            if _field(pkg, key, extras):
                contacts = [{"email": _field(pkg, key, extras), "name": pkg.get("maintainer")}]
                break
    for contact in contacts:
        node = _contact(contact, nodes, blank)
        if node is not None:
            ds.add("dcat:contactPoint", node)
    dataset_licence = pkg.get("license_url") or pkg.get("license_id")
    licence_node = _licence(dataset_licence, nodes)
    if isinstance(licence_node, Node) and pkg.get("license_title"):
        # CKAN's title of the licence is its own text (an unknown licence is judged by it)
        licence_node.add("rdfs:label", Lit(pkg["license_title"]))

    services: list[Node] = []
    for raw in as_list(_field(pkg, "access_services", extras)):
        if isinstance(raw, dict):
            services.append(_service(raw, nodes, blank, ds))

    dists: list[Node] = []
    for res in pkg.get("resources") or []:
        rid = res.get("uri") or (f"{uri}/resource/{res['id']}" if res.get("id") else None)
        dist = _ref(rid, nodes) if rid else blank()
        dist.add("rdf:type", _ref("http://www.w3.org/ns/dcat#Distribution", nodes))
        if res.get("name"):
            dist.add("dct:title", Lit(res["name"]))
        access = res.get("access_url") or res.get("url")
        if access:
            dist.add("dcat:accessURL", _ref(access, nodes))
        if res.get("download_url"):
            dist.add("dcat:downloadURL", _ref(res["download_url"], nodes))
        if res.get("format"):
            dist.add("dct:format", _ref(res["format"], nodes))
        if res.get("mimetype"):
            dist.add("dcat:mediaType", _ref(res["mimetype"], nodes))
        licence = res.get("license") or dataset_licence
        if licence:
            dist.add("dct:license", _licence(licence, nodes))
        if res.get("rights"):
            dist.add("dct:rights", _ref(res["rights"], nodes))
        for v in as_list(res.get("applicable_legislation")):
            dist.add("dcatap:applicableLegislation", _ref(v, nodes))
        for raw in as_list(res.get("access_services")):
            if isinstance(raw, dict):
                svc = _service(raw, nodes, blank, ds)
                dist.add("dcat:accessService", svc)
                if svc not in services:
                    services.append(svc)
        ds.add("dcat:distribution", dist)
        dists.append(dist)
    return DatasetRecord(ds, dists, services, markers.stated_in_ckan(pkg, extras))


def catalogue_from_ckan(
    packages: Iterable[dict], site_url: str = "", title=None, country: str | None = None
) -> Catalogue:
    datasets, records = [], {}
    for pkg in packages:
        rec = record_from_ckan(pkg, site_url)
        datasets.append(rec)
        cat_record = ckan_catalogue_record(pkg, rec)
        if cat_record is not None:
            records.setdefault(rec.uri, []).append(cat_record)
    return Catalogue(
        uri=site_url or None,
        title=title,
        datasets=datasets,
        source=site_url,
        node=catalogue_node(site_url or None, country),
        records=records,
    )


def load(data: bytes, name: str = "", media_type: str = "") -> Catalogue:
    """Any DCAT-AP RDF serialization or CKAN JSON → :class:`Catalogue`.

    A failure is a :class:`LoadError` in one line: ``name``, the format and, where the parser
    tells, the line and column.
    """
    try:
        return _load(data, name, media_type)
    except LoadError as exc:
        raise LoadError(one_line(f"{name}: {exc}" if name else str(exc))) from exc


def _load(data: bytes, name: str, media_type: str) -> Catalogue:
    head = data[:64].lstrip()
    if head.startswith((b"{", b"[")) and "ld+json" not in media_type:
        try:
            doc = loads(data)
        except ValueError as exc:
            raise LoadError(describe(exc, data, "JSON")) from exc
        packages = ckan_packages(doc)
        if packages is not None:
            return catalogue_from_ckan(packages, title=name)
        if not_json_ld(doc):
            raise LoadError(not_json_ld(doc))
        return load_rdf(data, ox.RdfFormat.JSON_LD, name)
    base = name if is_http_url(name) else None
    return load_rdf(data, guess_syntax(media_type, name, data).oxigraph, name, base)
