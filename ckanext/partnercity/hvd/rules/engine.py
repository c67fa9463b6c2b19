"""Evaluate the HVD rule set (YAML, one file per group) over the normalized model.

Rules are data (``rules/*.yaml``); each names a small generic predicate from
:data:`PREDICATES` and the target it runs on (the dataset, each of its
distributions, each of its APIs, each API contact point, each licence).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from . import licences as lic
from .model import ELI_HVD, HVD_SCHEME, Catalogue, DatasetRecord, Lit, Node, ident

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
HVD_VOCAB_FILE = "high-value-dataset-category.rdf"
RULES_DIR = Path(__file__).resolve().parent / "rules"
RULE_SETS = ("dcat-ap-hvd-3.0.0", "dcat-ap-hvd-2.2.0", "dcat-ap-hvd-3.0.1-draft")
DEFAULT_RULE_SET = "dcat-ap-hvd-3.0.0"
SEVERITIES = ("violation", "warning", "info")
KINDS = ("metadata", "probe", "attestation")
TARGETS = ("dataset", "distribution", "service", "service_contact", "licence")
PASS, FAIL, NA, ATTEST = "pass", "fail", "n/a", "attest"


@dataclass(frozen=True)
class Rule:
    id: str
    group: str
    title: dict
    source: str
    severity: str
    scope: tuple  # ("all",) or category URIs
    kind: str
    rule_sets: tuple
    fix: dict
    check: str
    target: str = "dataset"
    args: dict = field(default_factory=dict)
    shape: str | None = None

    def applies_to(self, categories: Iterable[str]) -> bool:
        if "all" in self.scope:
            return True
        index = concept_index()
        for cat in categories:
            for c in [cat, *index.ancestors(cat)]:
                if c in self.scope:
                    return True
        return False


# pass / n/a results are identical per rule: one shared (read-only) dict each
_PLAIN_RESULTS: dict = {}


@dataclass
class Result:
    rule: Rule
    outcome: str
    message: str
    evidence: list = field(default_factory=list)

    def _plain(self) -> dict:
        rule = self.rule
        return {
            "rule": rule.id,
            "outcome": self.outcome,
            "severity": rule.severity,
            "kind": rule.kind,
            "message": self.message,
            "source": rule.source,
        }

    def as_dict(self) -> dict:
        """Evidence and fix hint are only given for ``fail`` and ``attest``."""
        rule = self.rule
        if self.outcome in (PASS, NA):
            key = (rule.id, self.outcome, self.message)
            shared = _PLAIN_RESULTS.get(key)
            if shared is None:
                shared = _PLAIN_RESULTS[key] = self._plain()
            return shared
        return {
            "rule": self.rule.id,
            "outcome": self.outcome,
            "severity": self.rule.severity,
            "kind": self.rule.kind,
            "message": self.message,
            "source": self.rule.source,
            "evidence": self.evidence,
            "fix": self.rule.fix.get("en", ""),
        }


# -- HVD category vocabulary (bundled with the themes package) ---------------------


class ConceptIndex:
    def __init__(self, concepts):
        self.broader = {c.uri: list(c.broader) for c in concepts}
        self.narrower = {c.uri: list(c.narrower) for c in concepts}
        self.labels = {c.uri: c.pref_labels.get("en", c.uri) for c in concepts}
        self._pref = {c.uri: c.pref_labels for c in concepts}

    def labels_in(self, lang: str) -> dict[str, str]:
        return {uri: labels.get(lang) or self.labels[uri] for uri, labels in self._pref.items()}

    def __contains__(self, uri: str) -> bool:
        return uri in self.broader

    def ancestors(self, uri: str) -> list[str]:
        out, todo = [], list(self.broader.get(uri, ()))
        while todo:
            b = todo.pop()
            if b not in out:
                out.append(b)
                todo.extend(self.broader.get(b, ()))
        return out

    def top(self, uri: str) -> str:
        chain = self.ancestors(uri)
        return chain[-1] if chain else uri


@dataclass
class _Concept:
    uri: str
    broader: list = field(default_factory=list)
    narrower: list = field(default_factory=list)
    pref_labels: dict = field(default_factory=dict)


def hvd_vocabulary_path() -> Path:
    """The HVD category vocabulary file shipped in ``ckanext.partnercity.themes``.

    Found through package resources so that rdflib (imported by ``themes.skos``) is not
    loaded just to learn a path.
    """
    from importlib.resources import files

    return Path(str(files("ckanext.partnercity.themes") / "vocabularies" / HVD_VOCAB_FILE))


@lru_cache(maxsize=1)
def concept_index() -> ConceptIndex:
    """The HVD category vocabulary v2.1 bundled in ``ckanext.partnercity.themes``.

    Read with pyoxigraph (the same file :func:`themes.skos.bundled_schemes` parses with
    rdflib, about ten times slower), keeping only the concepts of the HVD scheme.
    """
    import pyoxigraph as ox

    skos = "http://www.w3.org/2004/02/skos/core#"
    concepts: dict[str, _Concept] = {}
    in_scheme: set[str] = set()
    for quad in ox.parse(path=str(hvd_vocabulary_path()), format=ox.RdfFormat.RDF_XML):
        p = quad.predicate.value
        if not p.startswith(skos):
            continue
        s, o, local = quad.subject.value, quad.object, p[len(skos) :]
        if local in ("inScheme", "topConceptOf") and o.value == HVD_SCHEME:
            in_scheme.add(s)
        elif local == "broader":
            concepts.setdefault(s, _Concept(s)).broader.append(o.value)
            concepts.setdefault(o.value, _Concept(o.value)).narrower.append(s)
        elif local == "prefLabel" and isinstance(o, ox.Literal) and o.language:
            concepts.setdefault(s, _Concept(s)).pref_labels[o.language] = o.value
    return ConceptIndex([c for uri, c in concepts.items() if uri in in_scheme])


# -- predicates: fn(node, record, **args) -> (ok | None, evidence) ------------------
# ok None means "not applicable" for this node.

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


def licence_open(node: Node, record, paths=("dct:license",)):
    values = [v for p in paths for v in node.values(p)]
    if not values:
        return None, "no licence"
    verdicts = [lic.classify_node(v) for v in values]
    statuses = {v.status for v in verdicts}
    evidence = "; ".join(
        f"{ident(v)} → {c.status}: {c.reason}" for v, c in zip(values, verdicts, strict=True)
    )
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
    "lang_literal": lang_literal,
    "machine_readable": machine_readable,
    "dataset_has_format": dataset_has_format,
    "attest": attest,
    "probe_url": probe_url,
}


# -- loading rules ------------------------------------------------------------------


class RuleError(ValueError):
    pass


def _rule(raw: dict, group: str) -> Rule:
    required = ("id", "title", "source", "severity", "scope", "kind", "rule_sets", "fix", "check")
    missing = [k for k in required if k not in raw]
    if missing:
        raise RuleError(f"rule {raw.get('id', '?')} in {group}: missing {missing}")
    check = raw["check"]
    name, args = (check, {}) if isinstance(check, str) else (check["name"], check.get("args", {}))
    if name not in PREDICATES:
        raise RuleError(f"rule {raw['id']}: unknown predicate {name!r}")
    if raw["severity"] not in SEVERITIES or raw["kind"] not in KINDS:
        raise RuleError(f"rule {raw['id']}: bad severity or kind")
    target = raw.get("target", "dataset")
    if target not in TARGETS:
        raise RuleError(f"rule {raw['id']}: unknown target {target!r}")
    for lang in ("en", "de"):
        if not raw["title"].get(lang) or not raw["fix"].get(lang):
            raise RuleError(f"rule {raw['id']}: title and fix need en and de")
    unknown = set(raw["rule_sets"]) - set(RULE_SETS)
    if unknown:
        raise RuleError(f"rule {raw['id']}: unknown rule sets {unknown}")
    scope = raw["scope"]
    return Rule(
        id=raw["id"],
        group=group,
        title=dict(raw["title"]),
        source=raw["source"],
        severity=raw["severity"],
        scope=("all",) if scope == "all" else tuple(scope),
        kind=raw["kind"],
        rule_sets=tuple(raw["rule_sets"]),
        fix=dict(raw["fix"]),
        check=name,
        target=target,
        args=dict(args),
        shape=raw.get("shape"),
    )


def load_rules(directory: Path | None = None) -> list[Rule]:
    rules, seen = [], set()
    for path in sorted((directory or RULES_DIR).glob("*.yaml")):
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}
        for raw in doc.get("rules", []):
            rule = _rule(raw, path.stem)
            if rule.id in seen:
                raise RuleError(f"duplicate rule id {rule.id}")
            seen.add(rule.id)
            rules.append(rule)
    return rules


@lru_cache(maxsize=1)
def _default_rules() -> tuple[Rule, ...]:
    return tuple(load_rules())


def select_rules(
    rule_set: str = DEFAULT_RULE_SET,
    only_shapes: bool = False,
    probes: bool = False,
    rules: Iterable[Rule] | None = None,
) -> list[Rule]:
    if rule_set not in RULE_SETS:
        raise RuleError(f"unknown rule set {rule_set!r}; choose one of {RULE_SETS}")
    return [
        r
        for r in (rules if rules is not None else _default_rules())
        if rule_set in r.rule_sets
        and (not only_shapes or r.shape)
        and (probes or r.kind != "probe")
    ]


# -- evaluation ---------------------------------------------------------------------


def in_scope(record: DatasetRecord) -> bool:
    """HVD scope: the ELI of 2023/138 as applicable legislation, or any HVD category."""
    return ELI_HVD in record.legislation() or bool(record.categories())


def _targets(rule: Rule, record: DatasetRecord) -> list[Node]:
    if rule.target == "dataset":
        return [record.node]
    if rule.target == "distribution":
        return record.distributions
    if rule.target == "service":
        return record.services
    if rule.target == "service_contact":
        return [c for s in record.services for c in s.values("dcat:contactPoint")]
    if rule.target == "licence":
        return [
            v
            for res in [*record.distributions, *record.services]
            for v in res.values("dct:license")
        ]
    return []


def evaluate_rule(rule: Rule, record: DatasetRecord, categories=None, prober=None) -> Result:
    if "all" not in rule.scope and not rule.applies_to(
        record.categories() if categories is None else categories
    ):
        return Result(rule, NA, "rule scope: other HVD categories")
    nodes = _targets(rule, record)
    if not nodes:
        return Result(rule, NA, f"no {rule.target.replace('_', ' ')} to check")
    predicate = PREDICATES[rule.check]
    failed, attested, evidence, checked = [], [], [], 0
    args = rule.args if rule.kind != "probe" else {**rule.args, "prober": prober}
    for node in nodes:
        if not isinstance(node, Node):
            node = Node(ident(node))
        ok, ev = predicate(node, record, **args)
        if ok is True:
            checked += 1
            continue
        if ok is None:
            continue
        checked += 1
        if ok == "attest":
            attested.append(node.id)
            evidence.append(f"{node.id}: {ev}")
        elif not ok:
            failed.append(node.id)
            evidence.append(f"{node.id}: {ev}" if rule.target != "dataset" else ev)
    title = rule.title["en"]
    if rule.kind == "attestation":
        return Result(rule, ATTEST, f"To confirm by a person: {title}", evidence)
    if not checked:
        return Result(rule, NA, f"{title}: nothing to check")
    if failed:
        what = "" if rule.target == "dataset" else f" ({len(failed)} of {len(nodes)})"
        return Result(rule, FAIL, f"Not met{what}: {title}", evidence)
    if attested:
        return Result(rule, ATTEST, f"Needs confirmation: {title}", evidence)
    return Result(rule, PASS, title, [])


def evaluate_record(record: DatasetRecord, rules: list[Rule], prober=None) -> dict:
    cats = record.categories()
    out = {
        "uri": record.uri,
        "title": record.title(),
        "in_scope": in_scope(record),
        "categories": cats,
        "status": "out_of_scope",
        "results": [],
    }
    if not out["in_scope"]:
        return out
    results = [evaluate_rule(rule, record, cats, prober) for rule in rules]
    failed = any(r.outcome == FAIL and r.rule.severity == "violation" for r in results)
    out["status"] = "non_compliant" if failed else "compliant"
    out["results"] = [r.as_dict() for r in results]
    return out


def _service_record(service: Node) -> DatasetRecord:
    """A data service with no described dataset, checked with the service rules only."""
    return DatasetRecord(Node(service.id), [], [service])


def check_catalogue(
    catalogue: Catalogue,
    rule_set: str = DEFAULT_RULE_SET,
    only_shapes: bool = False,
    probes: bool = False,
    rules: Iterable[Rule] | None = None,
    prober=None,
) -> dict:
    """The JSON-ready report of a catalogue (shape documented in docs/hvd.md)."""
    if probes and prober is None:
        from .probes import Prober

        prober = Prober()
    selected = select_rules(rule_set, only_shapes, probes, rules)
    datasets = [evaluate_record(rec, selected, prober) for rec in catalogue.datasets]
    service_rules = [r for r in selected if r.target in ("service", "service_contact")]
    loose = []
    for svc in catalogue.services:
        rec = _service_record(svc)
        results = [evaluate_rule(r, rec, None, prober) for r in service_rules]
        loose.append(
            {
                "uri": svc.id,
                "status": "non_compliant"
                if any(r.outcome == FAIL and r.rule.severity == "violation" for r in results)
                else "compliant",
                "results": [r.as_dict() for r in results],
            }
        )
    return {
        "catalogue": catalogue.uri or catalogue.source,
        "rule_set": rule_set,
        "datasets": datasets,
        "summary": summarize(datasets, selected, loose, only_shapes),
    }


def summarize(datasets: list[dict], rules: list[Rule], loose=(), only_shapes=False) -> dict:
    index = concept_index()
    per_cat: dict[str, dict] = {}
    for ds in datasets:
        if not ds["in_scope"]:
            continue
        tops = {index.top(c) for c in ds["categories"]} or {"(no category)"}
        for top in tops:
            row = per_cat.setdefault(
                top,
                {"category": top, "label": index.labels.get(top, top), "in_scope": 0},
            )
            row["in_scope"] += 1
            row["compliant"] = row.get("compliant", 0) + (ds["status"] == "compliant")
    for row in per_cat.values():
        row["percent_compliant"] = round(100 * row["compliant"] / row["in_scope"], 1)
    counts = {"pass": 0, "fail": 0, "n/a": 0, "attest": 0}
    for ds in datasets:
        for r in ds["results"]:
            counts[r["outcome"]] += 1
    in_scope_n = sum(ds["in_scope"] for ds in datasets)
    compliant = sum(ds["status"] == "compliant" for ds in datasets)
    return {
        "datasets": len(datasets),
        "in_scope": in_scope_n,
        "compliant": compliant,
        "non_compliant": sum(ds["status"] == "non_compliant" for ds in datasets),
        "out_of_scope": len(datasets) - in_scope_n,
        "percent_compliant": round(100 * compliant / in_scope_n, 1) if in_scope_n else None,
        "outcomes": counts,
        "rules": len(rules),
        "only_shapes": only_shapes,
        "categories": sorted(per_cat.values(), key=lambda r: r["category"]),
        "rule_list": [
            {
                "id": r.id,
                "title": r.title["en"],
                "severity": r.severity,
                "kind": r.kind,
                "source": r.source,
                "shape": r.shape,
                "scope": list(r.scope),
            }
            for r in rules
        ],  # fmt: skip
        "unattached_services": list(loose),
    }


def rules_by_id(rule_set: str = DEFAULT_RULE_SET) -> dict[str, Rule]:
    return {r.id: r for r in select_rules(rule_set, probes=True)}
