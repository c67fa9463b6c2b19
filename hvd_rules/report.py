"""Render a check report (the dict of :func:`engine.check_catalogue`) as JSON, CSV or HTML."""

from __future__ import annotations

import csv
import io
import json

from .engine import RULE_SETS, rules_by_id

CSV_COLUMNS = (
    "dataset", "title", "status", "categories", "rule", "outcome", "severity", "kind",
    "message", "source", "fix", "evidence",
)  # fmt: skip


def to_json(report: dict, pretty: bool = True) -> str:
    if pretty:
        return json.dumps(report, ensure_ascii=False, indent=2)
    # a report is a tree (pass results may share one dict), so no cycle check is needed
    return json.dumps(report, ensure_ascii=False, separators=(",", ":"), check_circular=False)


def to_csv(report: dict) -> str:
    """One row per dataset and rule; out-of-scope datasets get one row without a rule."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for ds in report["datasets"]:
        base = [ds["uri"], ds["title"], ds["status"], " ".join(ds["categories"])]
        if not ds["results"]:
            writer.writerow(base + [""] * (len(CSV_COLUMNS) - len(base)))
        for r in ds["results"]:
            writer.writerow(
                base
                + [
                    r["rule"],
                    r["outcome"],
                    r["severity"],
                    r["kind"],
                    r["message"],
                    r["source"],
                    r.get("fix", ""),
                    " | ".join(r.get("evidence", ())),
                ]  # fmt: skip
            )
    return buf.getvalue()


def to_html(report: dict, lang: str = "en") -> str:
    from ckanext.partnercity.report_templates import environment

    rule_set = report["rule_set"] if report["rule_set"] in RULE_SETS else RULE_SETS[0]
    rules = rules_by_id(rule_set)
    failed, attest = [], []
    for ds in report["datasets"]:
        for r in ds["results"]:
            rule = rules.get(r["rule"])
            row = {
                "dataset": ds,
                "result": r,
                "title": rule.title.get(lang, rule.title["en"]) if rule else r["rule"],
                "fix": rule.fix.get(lang, rule.fix["en"]) if rule else r["fix"],
            }
            if r["outcome"] == "fail":
                failed.append(row)
            elif r["outcome"] == "attest":
                attest.append(row)
    template = environment().get_template("hvd_report.html")
    return template.render(report=report, failed=failed, attest=attest, lang=lang)


RENDERERS = {"json": to_json, "csv": to_csv, "html": to_html}
