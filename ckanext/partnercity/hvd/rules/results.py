"""One rule's outcome on a dataset, and the summary of a whole check report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .vocabulary import concept_index

if TYPE_CHECKING:
    from .engine import Rule

PASS, FAIL, NA, ATTEST = "pass", "fail", "n/a", "attest"


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
            "layer": rule.layer,
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
            "layer": self.rule.layer,
            "evidence": self.evidence,
            "fix": self.rule.fix.get("en", ""),
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
                "layer": r.layer,
                "scope": list(r.scope),
            }
            for r in rules
        ],  # fmt: skip
        "unattached_services": list(loose),
    }
