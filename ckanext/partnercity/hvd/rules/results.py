"""One rule's outcome on a dataset, and the summary of a whole check report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .vocabulary import concept_index

if TYPE_CHECKING:
    from .engine import Rule

PASS, FAIL, NA, ATTEST, ATTESTED = "pass", "fail", "n/a", "attest", "attested"
OUTCOMES = (PASS, FAIL, NA, ATTEST, ATTESTED)
COMPLIANT, NON_COMPLIANT = "compliant", "non_compliant"
NEEDS_ATTESTATION, OUT_OF_SCOPE = "needs_attestation", "out_of_scope"
STATUSES = (COMPLIANT, NON_COMPLIANT, NEEDS_ATTESTATION, OUT_OF_SCOPE)


def verdict(results: list[dict]) -> str:
    """The status of an in-scope dataset (or API) from its result dicts.

    ``non_compliant``: a violation failed. ``needs_attestation``: none failed, but a
    violation-level item only a person can judge (``attest``) has no recorded attestation.
    ``compliant``: neither. Warnings and info findings never block, open or not: an
    auditor signs "compliant" only when every binding item is met or attested.
    """
    waiting = False
    for r in results:  # one pass: this runs for every dataset of large catalogues
        if r["severity"] == "violation":
            outcome = r["outcome"]
            if outcome == FAIL:
                return NON_COMPLIANT
            waiting = waiting or outcome == ATTEST
    return NEEDS_ATTESTATION if waiting else COMPLIANT


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


def _category_rows(datasets: list[dict]) -> list[dict]:
    """Per top category: in scope, fully compliant (every item met or attested), and the
    datasets still waiting for an attestation."""
    index = concept_index()
    per_cat: dict[str, dict] = {}
    for ds in datasets:
        if not ds["in_scope"]:
            continue
        tops = {index.top(c) for c in ds["categories"]} or {"(no category)"}
        for top in tops:
            row = per_cat.setdefault(
                top,
                {
                    "category": top,
                    "label": index.labels.get(top, top),
                    "in_scope": 0,
                    "compliant": 0,
                    "needs_attestation": 0,
                },
            )
            row["in_scope"] += 1
            row["compliant"] += ds["status"] == COMPLIANT
            row["needs_attestation"] += ds["status"] == NEEDS_ATTESTATION
    for row in per_cat.values():
        row["percent_compliant"] = round(100 * row["compliant"] / row["in_scope"], 1)
    return sorted(per_cat.values(), key=lambda r: r["category"])


def summarize(datasets: list[dict], rules: list[Rule], loose=(), only_shapes=False) -> dict:
    """Catalogue counts; ``compliant`` / ``percent_compliant`` mean *fully* compliant."""
    counts = dict.fromkeys(OUTCOMES, 0)
    ignored = 0  # attestations the metadata contradicts (a failed violation stays failed)
    for ds in datasets:
        for r in ds["results"]:
            outcome = r["outcome"]
            counts[outcome] += 1
            if outcome == FAIL and "ignored_attestation" in r:
                ignored += 1
    in_scope_n = sum(ds["in_scope"] for ds in datasets)
    compliant = sum(ds["status"] == COMPLIANT for ds in datasets)
    return {
        "datasets": len(datasets),
        "in_scope": in_scope_n,
        "compliant": compliant,
        "non_compliant": sum(ds["status"] == NON_COMPLIANT for ds in datasets),
        "needs_attestation": sum(ds["status"] == NEEDS_ATTESTATION for ds in datasets),
        "out_of_scope": len(datasets) - in_scope_n,
        "percent_compliant": round(100 * compliant / in_scope_n, 1) if in_scope_n else None,
        "outcomes": counts,
        "rules": len(rules),
        "only_shapes": only_shapes,
        "attestations": {
            "applied": counts[ATTESTED],
            "ignored": ignored,
            "open": counts[ATTEST],
        },
        "categories": _category_rows(datasets),
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
