"""Run an HVD rule set (YAML, one file per rule group) over the normalized model.

Rules are data, so legal changes are edits to ``rules/*.yaml``; each names a predicate
(:mod:`.predicates`) and the target it runs on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from . import attestations as att
from . import eu_reporting
from .markers import find as find_markers
from .model import ELI_HVD, Catalogue, DatasetRecord, Node, ident
from .predicates import PREDICATES
from .results import ATTEST, FAIL, NA, OUT_OF_SCOPE, PASS, Result, summarize, verdict
from .vocabulary import concept_index

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
RULES_DIR = Path(__file__).resolve().parent / "rules"
RULE_SETS = ("dcat-ap-hvd-3.0.0", "dcat-ap-hvd-2.2.0", "dcat-ap-hvd-3.0.1-draft")
DEFAULT_RULE_SET = "dcat-ap-hvd-3.0.0"
SEVERITIES = ("violation", "warning", "info")
KINDS = ("metadata", "probe", "attestation")
TARGETS = ("dataset", "distribution", "service", "service_contact", "licence")
#: Report layers: official shapes · EU reporting view · beyond (docs/hvd.md "Three layers").
LAYERS = ("shapes", "eu_reporting", "beyond")


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
    layer: str = "beyond"
    #: rule ids whose failure makes this rule moot (n/a), e.g. no "confirm free of charge"
    #: item once the fees rule has found a fee in the licence text
    superseded_by: tuple = ()

    def applies_to(self, categories: Iterable[str]) -> bool:
        if "all" in self.scope:
            return True
        index = concept_index()
        for cat in categories:
            for c in [cat, *index.ancestors(cat)]:
                if c in self.scope:
                    return True
        return False


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
    for key in ("title", "fix"):
        odd = [k for k, v in raw[key].items() if len(str(k)) > 3 or not isinstance(v, str)]
        if odd:  # e.g. an unquoted comma in a YAML flow mapping split the text
            raise RuleError(f"rule {raw['id']}: {key} has keys that are no language: {odd}")
    unknown = set(raw["rule_sets"]) - set(RULE_SETS)
    if unknown:
        raise RuleError(f"rule {raw['id']}: unknown rule sets {unknown}")
    scope = raw["scope"]
    layer = raw.get("layer") or ("shapes" if raw.get("shape") else "beyond")
    if layer not in LAYERS:
        raise RuleError(f"rule {raw['id']}: unknown layer {layer!r}")
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
        layer=layer,
        superseded_by=tuple(raw.get("superseded_by") or ()),
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
    for rule in rules:
        unknown = set(rule.superseded_by) - seen
        if unknown:
            raise RuleError(f"rule {rule.id}: superseded_by names unknown rules {sorted(unknown)}")
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
    """HVD scope: the ELI of 2023/138 as applicable legislation, any HVD category, or a
    national HVD marker (:mod:`.markers`)."""
    return (
        ELI_HVD in record.legislation() or bool(record.categories()) or bool(find_markers(record))
    )


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


def _supersede(results: list[Result]) -> list[Result]:
    """A rule superseded by a failed rule is moot: its result becomes n/a, saying why."""
    moot = [i for i, r in enumerate(results) if r.rule.superseded_by]
    if not moot:
        return results
    failed = {r.rule.id for r in results if r.outcome == FAIL}
    for i in moot:
        rule = results[i].rule
        by = [f for f in rule.superseded_by if f in failed]
        if by:
            results[i] = Result(rule, NA, f"superseded: {', '.join(by)} failed")
    return results


def evaluate_record(
    record: DatasetRecord, rules: list[Rule], prober=None, attested=None, used=None
) -> dict:
    """One dataset's report entry; ``attested`` is :func:`attestations.index` of the
    recorded attestations, ``used`` collects the (dataset, rule) keys applied."""
    cats = record.categories()
    out = {
        "uri": record.uri,
        "title": record.title(),
        "in_scope": in_scope(record),
        "categories": cats,
        "markers": find_markers(record),
        "status": OUT_OF_SCOPE,
        "results": [],
    }
    if not out["in_scope"]:
        return out
    results = _supersede([evaluate_rule(rule, record, cats, prober) for rule in rules])
    dicts = [r.as_dict() for r in results]
    if attested:
        dicts = att.apply(record.uri, dicts, attested, set() if used is None else used)
    out["status"] = verdict(dicts)
    out["results"] = dicts
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
    attestations: Iterable[dict] | None = None,
) -> dict:
    """The JSON-ready report of a catalogue (shape documented in docs/hvd.md).

    ``attestations``: recorded attestations (see :mod:`.attestations`), validated here
    (:class:`attestations.AttestationError` for a bad item; fields beyond the six are
    ignored); each covers the ``attest``
    result of its rule on its dataset, or of its API (``dataset`` = the API's URI).
    """
    if probes and prober is None:
        from .probes import Prober

        prober = Prober()
    rules = list(rules) if rules is not None else None
    selected = select_rules(rule_set, only_shapes, probes, rules)
    # stored records may carry more fields (id, revoked_at …): only the known ones are used
    given = att.validate(list(attestations or ()), known_rule_ids(rules), strict=False)
    by_key, used = att.index(given), set()
    datasets = [evaluate_record(rec, selected, prober, by_key, used) for rec in catalogue.datasets]
    service_rules = [r for r in selected if r.target in ("service", "service_contact")]
    loose = []
    for svc in catalogue.services:
        rec = _service_record(svc)
        results = [evaluate_rule(r, rec, None, prober).as_dict() for r in service_rules]
        results = att.apply(svc.id, results, by_key, used) if by_key else results
        loose.append({"uri": svc.id, "status": verdict(results), "results": results})
    summary = summarize(datasets, selected, loose, only_shapes)
    if not only_shapes:  # the official shapes alone: no other layer
        summary["eu_reporting"] = eu_reporting.annotate(catalogue, datasets)
    summary["attestations"]["unused"] = [
        {**a, "reason": "no open item of this rule on this dataset (or no such dataset)"}
        for key, a in by_key.items()
        if key not in used
    ]
    return {
        "catalogue": catalogue.uri or catalogue.source,
        "rule_set": rule_set,
        "datasets": datasets,
        "summary": summary,
    }


def known_rule_ids(rules: Iterable[Rule] | None = None) -> set[str]:
    """Every rule id an attestation may name (all rule sets, probes included)."""
    return {r.id for r in (rules if rules is not None else _default_rules())}


def rules_by_id(rule_set: str = DEFAULT_RULE_SET) -> dict[str, Rule]:
    return {r.id: r for r in select_rules(rule_set, probes=True)}
