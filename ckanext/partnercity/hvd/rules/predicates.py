"""Rule predicates: ``fn(node, record, **args) -> (ok, evidence)``.

Rules name a predicate in YAML, so each stays small and generic. ``ok`` is True, False,
``"attest"`` (a person has to confirm) or None (not applicable to this node).
"""

from __future__ import annotations

from collections.abc import Callable

from . import licences as lic
from . import texts
from .model import ELI_HVD, HVD_SCHEME, DatasetRecord, Lit, Node, ident
from .vocabulary import concept_index

Predicate = Callable[..., tuple]


def has_property(node: Node, record, path: str, min: int = 1, max: int | None = None):
    n = len(node.values(path))
    ok = n >= min and (max is None or n <= max)
    return ok, f"{path}: {n} value(s)"


def has_value(node: Node, record, path: str, value: str = ELI_HVD):
    values = [ident(v) for v in node.values(path)]
    return value in values, f"{path} = {values or 'none'}"


def any_of(node: Node, record, paths: list[str]):
    found = [p for p in paths if node.values(p)]
    return bool(found), f"present: {found or 'none of ' + ', '.join(paths)}"


def in_scheme(node: Node, record, path: str, scheme: str = HVD_SCHEME):
    """Each value is a concept of the scheme (bundled vocabulary or ``skos:inScheme``)."""
    index = concept_index()
    bad = []
    for v in node.values(path):
        if isinstance(v, Node) and v.id in index:
            continue
        declared = isinstance(v, Node) and any(
            ident(s) == scheme for s in v.values("skos:inScheme")
        )
        if not declared:
            bad.append(ident(v))
    if not node.values(path):
        return None, f"{path}: no value"
    return not bad, f"not in {scheme}: {bad}" if bad else f"{path} in {scheme}"


def most_specific(node: Node, record, path: str = "dcatap:hvdCategory"):
    index = concept_index()
    cats = [ident(v) for v in node.values(path) if ident(v) in index]
    if not cats:
        return None, "no known HVD category"
    broad = [
        c for c in cats if index.narrower.get(c) and not any(c in index.ancestors(o) for o in cats)
    ]
    return not broad, f"broad concept(s) with narrower ones: {broad}" if broad else str(cats)


def has_api(node: Node, record: DatasetRecord, iri_only: bool = False):
    services = [s for s in record.services if not (iri_only and s.is_blank)]
    return bool(services), f"APIs: {[s.id for s in services] or 'none'}"


def has_bulk(node: Node, record: DatasetRecord, except_categories=()):
    """A distribution that is not only an API front (download URL or no access service).

    Not applicable when every category of the dataset is in ``except_categories``
    (or below one), e.g. NWP model data: API only (Annex §3).
    """
    index = concept_index()
    cats = record.categories()
    if (
        except_categories
        and cats
        and all(
            c in except_categories or set(index.ancestors(c)) & set(except_categories) for c in cats
        )
    ):
        return None, "API only for these categories"
    bulk = [
        d.id
        for d in record.distributions
        if d.values("dcat:downloadURL") or not d.values("dcat:accessService")
    ]
    return bool(bulk), f"bulk distributions: {bulk or 'none'}"


def bulk_download_url(node: Node, record):
    """A bulk distribution has a download URL; API fronts (access service only) are n/a."""
    if node.values("dcat:accessService") and not node.values("dcat:downloadURL"):
        return None, "API access distribution"
    return has_property(node, record, "dcat:downloadURL")


def _own_text(value) -> list[Lit]:
    """A node's labels and descriptions; a literal only when it is prose, not an id."""
    if isinstance(value, Lit):
        return [value] if " " in value.value.strip() else []
    return texts.node_texts(value)


def _licence_by_text(value, known: lic.Licence) -> tuple[lic.Licence, str]:
    """An unknown or unsettled licence judged by its own text: not open when the text asks
    for a fee, names a non-commercial / no-derivatives condition or a licence that is not
    open; otherwise as before (a person attests), with the text quoted for them."""
    own = _own_text(value)
    quotes = texts.find_fees(own) + texts.find_not_open(own)
    if quotes:
        reason = "its own text says it is not open: " + "; ".join(map(str, quotes))
        return lic.Licence(known.key, known.label, lic.NOT_OPEN, reason), reason
    named = [lic.classify(lic.ckan_licence_id(t.value, "")) for t in own]
    closed = [n for n in named if n.status == lic.NOT_OPEN]
    if closed:
        reason = f"its own text names {closed[0].label}: {closed[0].reason}"
        return lic.Licence(known.key, known.label, lic.NOT_OPEN, reason), reason
    if own:
        return known, f"{known.reason}; its own text: {texts.describe(own)}"
    return known, f"{known.reason}; no text describes it (rdfs:label, dct:title, dct:description …)"


def licence_open(node: Node, record, paths=("dct:license",)):
    """Open in the sense of Art. 4(3). A licence neither the table nor a SKOS mapping knows
    is never open by default: its own text decides (not open), or a person does (attest,
    with the text quoted)."""
    values = [v for p in paths for v in node.values(p)]
    if not values:
        return None, "no licence"
    statuses, notes = set(), []
    for v in values:
        c = lic.classify_node(v)
        reason = c.reason
        if c.status in (lic.UNKNOWN, lic.REVIEW):
            c, reason = _licence_by_text(v, c)
        statuses.add(c.status)
        notes.append(f"{ident(v)} → {c.status}: {reason}")
    evidence = "; ".join(notes)
    if lic.NOT_OPEN in statuses:
        return False, evidence
    if statuses == {lic.OPEN}:
        return True, evidence
    return "attest", evidence


def licence_mapped(node: Node, record):
    """A licence is in the table, or maps to the EU licence NAL (usage-note warning)."""
    if lic.classify(ident(node)).status != lic.UNKNOWN:
        return True, f"{ident(node)} is a known licence"
    props = [
        "skos:exactMatch", "owl:sameAs", "skos:broadMatch", "skos:narrowMatch",
        "skos:closeMatch", "rdfs:seeAlso",
    ]  # fmt: skip
    return any_of(node, record, props)


#: Where a dataset's legal texts are: on it, its distributions and its APIs.
LEGAL_PATHS = ("dct:license", "dct:rights", "dct:accessRights")


def _legal_values(record: DatasetRecord) -> list[tuple[str, object]]:
    seen, out = set(), []
    for res in [record.node, *record.distributions, *record.services]:
        for path in LEGAL_PATHS:
            for v in res.values(path):
                key = (ident(v), path)
                if key not in seen:
                    seen.add(key)
                    out.append((path, v))
    return out


def free_of_charge(node: Node, record: DatasetRecord):
    """Directive (EU) 2019/1024 Art. 14(1): no licence or rights text asks for a fee.

    Quotes the sentence that does. Known open licences hold no fee; n/a when nothing
    legal is stated or only unknown licences without text (the attestation remains).
    """
    quotes, read = [], 0
    for path, value in _legal_values(record):
        own = _own_text(value)
        if own or lic.classify_node(value).status == lic.OPEN:
            read += 1
        quotes += [f"{path} {ident(value)}: {q}" for q in texts.find_fees(own)]
    if quotes:
        return False, " | ".join(quotes)
    if not read:
        return None, "no licence or rights text to read"
    return True, f"{read} licence/rights text(s) read, none asks for a fee"


ACCESS_RIGHT = "http://publications.europa.eu/resource/authority/access-right/"
#: EU access-right NAL codes and the spellings of them seen as literals (a value outside
#: these, e.g. NORMAL or free text, is left to a person: attest, quoted).
_ACCESS = {
    "PUBLIC": ("public", "öffentlich", "offentlich", "publique", "openbaar", "pubblico"),
    "RESTRICTED": ("restricted", "eingeschränkt", "eingeschraenkt", "restreint", "beperkt"),
    "NON_PUBLIC": ("non_public", "non-public", "nonpublic", "not public", "nicht öffentlich",
                   "non public"),
    # later values of the same NAL; neither is public
    "CONFIDENTIAL": ("confidential", "vertraulich", "confidentiel"),
    "SENSITIVE": ("sensitive", "sensibel"),
}  # fmt: skip


def _access_code(value) -> str | None:
    """PUBLIC / RESTRICTED / NON_PUBLIC for an access-right URI, literal or labelled node."""
    text = ident(value).strip()
    if text.startswith(ACCESS_RIGHT):
        code = text[len(ACCESS_RIGHT) :].strip("/").upper()
        return code if code in _ACCESS else None
    candidates = [text] + [t.value for t in texts.node_texts(value)]
    for candidate in candidates:
        low = " ".join(candidate.lower().replace("_", " ").split())
        for code, spellings in _ACCESS.items():
            if low == code.lower().replace("_", " ") or low in spellings:
                return code
    return None


def access_public(node: Node, record):
    """The dataset's ``dct:accessRights`` is the EU access-right PUBLIC (a high-value
    dataset is a public document for re-use); n/a when none is stated."""
    values = node.values("dct:accessRights")
    if not values:
        return None, "no dct:accessRights stated"
    codes = [(_access_code(v), v) for v in values]
    closed = [f"{ident(v)} ({c})" for c, v in codes if c and c != "PUBLIC"]
    if closed:
        return False, f"access rights not public: {', '.join(closed)}"
    unknown = [v for c, v in codes if c is None]
    if unknown:
        return "attest", "access rights a person must judge: " + "; ".join(
            f"{ident(v)} {texts.describe(texts.node_texts(v))}".strip() for v in unknown
        )
    return True, "dct:accessRights PUBLIC"


def lang_literal(node: Node, record, path: str, lang: str = "en"):
    values = node.values(path)
    ok = any(isinstance(v, Lit) and v.lang.lower().startswith(lang) for v in values)
    langs = sorted({v.lang or "(none)" for v in values if isinstance(v, Lit)})
    return ok, f"{path} languages: {langs or 'none'}"


MACHINE_READABLE = {
    "CSV", "TSV", "JSON", "GEOJSON", "JSON_LD", "XML", "GML", "KML", "KMZ", "RDF", "RDF_XML",
    "RDF_TURTLE", "TURTLE", "N_TRIPLES", "NT", "N3", "NQUADS", "TRIG", "SHP", "GPKG", "NETCDF",
    "HDF5", "HDF", "GRIB", "GRIB2", "BUFR", "SDMX", "SDMX_ML", "XLSX", "ODS", "PARQUET",
    "GTFS", "NETEX", "SIRI", "DATEX_II", "XHTML", "GEOTIFF", "TIFF", "LAS", "LAZ", "WFS",
    "WMS", "WCS", "WMTS", "OAPIF", "SOS", "ATOM", "YAML", "XLS", "DBF", "ZIP", "GZIP",
}  # fmt: skip
_MIME_HINTS = ("json", "xml", "csv", "geo+", "zip", "sheet", "netcdf", "hdf", "turtle", "n-triples")


def format_code(value) -> str:
    text = ident(value).rstrip("/")
    tail = text.rsplit("/", 1)[-1] if "/" in text else text
    return tail.replace("-", "_").replace("+", "_").upper()


def machine_readable(node: Node, record, formats=None):
    fmts = [format_code(v) for v in node.values("dct:format")]
    mimes = [ident(v).lower() for v in node.values("dcat:mediaType")]
    if not fmts and not mimes:
        return False, "no dct:format or dcat:mediaType"
    allowed = set(formats) if formats else MACHINE_READABLE
    ok = any(f in allowed for f in fmts) or (
        not formats and any(h in m for m in mimes for h in _MIME_HINTS)
    )
    return ok, f"formats {fmts}, media types {mimes}"


def dataset_has_format(node: Node, record: DatasetRecord, formats: list[str]):
    """Some distribution or API of the dataset offers one of ``formats`` (Annex)."""
    allowed = {f.upper() for f in formats}
    found = []
    for res in [*record.distributions, *record.services]:
        codes = [format_code(v) for v in res.values("dct:format")]
        mimes = [ident(v).lower() for v in res.values("dcat:mediaType")]
        codes += [m.rsplit("/", 1)[-1].upper() for m in mimes]
        found += [c for c in codes if c in allowed or c.replace("_ML", "") in allowed]
    return bool(found), f"needs one of {sorted(allowed)}; found {sorted(set(found)) or 'none'}"


def attest(node: Node, record, text: str = ""):
    return "attest", text


def probe_url(node: Node, record, prober=None, **args):
    """Live probe (opt-in); implemented in :mod:`.probes`."""
    from .probes import probe_url as _probe

    return _probe(node, record, prober=prober, **args)


PREDICATES: dict[str, Predicate] = {
    "has_property": has_property,
    "has_value": has_value,
    "any_of": any_of,
    "in_scheme": in_scheme,
    "most_specific": most_specific,
    "has_api": has_api,
    "has_bulk": has_bulk,
    "bulk_download_url": bulk_download_url,
    "licence_open": licence_open,
    "licence_mapped": licence_mapped,
    "free_of_charge": free_of_charge,
    "access_public": access_public,
    "lang_literal": lang_literal,
    "machine_readable": machine_readable,
    "dataset_has_format": dataset_has_format,
    "attest": attest,
    "probe_url": probe_url,
}
