"""Render a check report (the dict of :func:`engine.check_catalogue`) as JSON, CSV or HTML."""

from __future__ import annotations

import json
from collections.abc import Iterator
from html import escape

from ckanext.partnercity.harvesters.csv_safe import csv_text

from .engine import LAYERS, RULE_SETS, rules_by_id
from .vocabulary import concept_index

CSV_COLUMNS = (
    "dataset", "title", "status", "categories", "rule", "outcome", "severity", "kind",
    "message", "source", "fix", "evidence", "attestation", "attested_by", "attested_at",
    "attestation_evidence_url", "attestation_note", "layer", "eu_counted", "eu_reasons",
)  # fmt: skip


def to_json(report: dict, pretty: bool = True) -> str:
    if pretty:
        return json.dumps(report, ensure_ascii=False, indent=2)
    # a report is a tree (pass results may share one dict), so no cycle check is needed
    return json.dumps(report, ensure_ascii=False, separators=(",", ":"), check_circular=False)


def to_csv(report: dict) -> str:
    """One row per dataset and rule; out-of-scope datasets get one row without a rule.

    Titles, messages and evidence come from the checked catalogue: formula-safe cells."""
    return csv_text([CSV_COLUMNS, *_csv_rows(report)], lineterminator="\n")


def _csv_rows(report: dict) -> Iterator[list]:
    layer_of = _layer_lookup(report)
    for ds in report["datasets"]:
        base = [ds["uri"], ds["title"], ds["status"], " ".join(ds["categories"])]
        view = ds.get("eu_reporting")  # runs stored before the EU view have none
        eu = (
            ["", ""]
            if view is None
            else [str(view["counted"]).lower(), " | ".join(view["reasons"])]
        )
        if not ds["results"]:
            # no rule: empty up to the layer column, then the EU view, no attestation
            blank = CSV_COLUMNS.index("eu_counted") - len(base)
            yield base + [""] * blank + eu + [""] * (len(CSV_COLUMNS) - len(base) - blank - 2)
        for r in ds["results"]:
            yield base + [
                r["rule"],
                r["outcome"],
                r["severity"],
                r["kind"],
                r["message"],
                r["source"],
                r.get("fix", ""),
                " | ".join(r.get("evidence", ())),
                *_attestation_cells(r),
                layer_of(r),
                *eu,
            ]  # fmt: skip


def _attestation_cells(result: dict) -> list[str]:
    """``applied`` with who/when/evidence/note, or ``ignored: why`` (a violation stands)."""
    if "attestation" in result:
        a, state = result["attestation"], "applied"
    elif "ignored_attestation" in result:
        a = result["ignored_attestation"]
        state = f"ignored: {a['reason']}"
    else:
        return [""] * 5
    return [state, a["by"], a["at"], a.get("evidence_url") or "", a.get("note") or ""]


def _layer_lookup(report: dict):
    """A result's layer; results of runs stored before layers existed get their rule's."""
    rule_set = report["rule_set"] if report["rule_set"] in RULE_SETS else RULE_SETS[0]
    rules = rules_by_id(rule_set)

    def layer_of(result: dict) -> str:
        rule = rules.get(result["rule"])
        return result.get("layer") or (rule.layer if rule else "beyond")

    return layer_of


def layer_cells(ds: dict, layer_of) -> dict:
    """Per layer, what the datasets table shows side by side: failed violations and
    warnings of the official shapes and of the rules beyond them (with open attestations),
    and whether the EU reporting view counts the dataset (None when it was not assessed)."""
    cells = {layer: {"violation": 0, "warning": 0, "attest": 0} for layer in LAYERS}
    for r in ds["results"]:
        cell = cells[layer_of(r)]
        if r["outcome"] == "fail" and r["severity"] in ("violation", "warning"):
            cell[r["severity"]] += 1
        elif r["outcome"] == "attest":
            cell["attest"] += 1
    view = ds.get("eu_reporting")
    cells["eu_reporting"]["counted"] = None if view is None else view["counted"]
    cells["eu_reporting"]["reasons"] = [] if view is None else view["reasons"]
    return cells


def to_html(
    report: dict,
    lang: str = "en",
    history: list[dict] | None = None,
    fragment: bool = False,
    dataset_url=None,
) -> str:
    """The auditor report; ``history`` (check runs, oldest first) draws the trend charts.

    ``fragment`` renders only the body, for embedding in a portal page; ``dataset_url``
    turns dataset titles into links there.
    """
    from markupsafe import Markup

    from ckanext.partnercity.hvd.report_templates import environment

    rule_set = report["rule_set"] if report["rule_set"] in RULE_SETS else RULE_SETS[0]
    rules = rules_by_id(rule_set)
    layer_of = _layer_lookup(report)
    failed, attest, attested, ignored = [], [], [], []
    for ds in report["datasets"]:
        for r in ds["results"]:
            rule = rules.get(r["rule"])
            row = {
                "dataset": ds,
                "result": r,
                "layer": layer_of(r),
                "title": rule.title.get(lang, rule.title["en"]) if rule else r["rule"],
                "fix": rule.fix.get(lang, rule.fix["en"]) if rule else r["fix"],
            }
            if r["outcome"] == "fail":
                failed.append(row)
                if "ignored_attestation" in r:
                    ignored.append(row)
            elif r["outcome"] == "attest":
                attest.append(row)
            elif r["outcome"] == "attested":
                attested.append(row)
    trend = trend_charts(history or [])
    trend = {
        "runs": trend["runs"],
        "overall": Markup(trend["overall"]),
        "categories": {k: Markup(v) for k, v in trend["categories"].items()},
    }
    name = "hvd_report_body.html" if fragment else "hvd_report.html"
    labels = category_labels(lang)
    return (
        environment(lang)
        .get_template(name)
        .render(
            report=report,
            failed=failed,
            attest=attest,
            attested=attested,
            ignored=ignored,
            unused=report["summary"].get("attestations", {}).get("unused", []),
            lang=lang,
            trend=trend,
            fragment=fragment,
            dataset_url=dataset_url,
            category_label=lambda uri, label: labels.get(uri, label),
            layer_cells=lambda ds: layer_cells(ds, layer_of),
        )
    )


def category_labels(lang: str) -> dict[str, str]:
    """HVD category labels in ``lang`` (English where the vocabulary has none)."""
    return concept_index().labels_in(lang)


def trend_charts(history: list[dict]) -> dict:
    """SVG charts of % compliant over runs: one overall, one sparkline per category.

    Drawn here, not by a script library, so the report stays one self-contained file.
    """
    summaries = [h["summary"] for h in history if h.get("summary")]
    overall = [s.get("percent_compliant") for s in summaries]
    per_cat: dict[str, list] = {}
    for i, s in enumerate(summaries):
        for row in s.get("categories", []):
            per_cat.setdefault(row["category"], [None] * len(summaries))[i] = row.get(
                "percent_compliant"
            )
    return {
        "runs": len(summaries),
        "overall": _svg(overall, 480, 120, "% compliant per run") if len(summaries) > 1 else "",
        "categories": {
            cat: _svg(points, 120, 24, "% compliant per run")
            for cat, points in per_cat.items()
            if len(summaries) > 1
        },
    }


def _svg(points: list, width: int, height: int, label: str) -> str:
    """A polyline of percentages (0–100, None for gaps) scaled into width × height."""
    pad = 3
    step = (width - 2 * pad) / max(len(points) - 1, 1)
    coords = [
        f"{pad + i * step:.1f},{pad + (height - 2 * pad) * (1 - p / 100):.1f}"
        for i, p in enumerate(points)
        if p is not None
    ]
    last = next((p for p in reversed(points) if p is not None), None)
    title = f"{label}: " + ", ".join("–" if p is None else f"{p:g}" for p in points)
    return (
        f'<svg class="hvd-chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>"
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f7f7f7"/>'
        f'<polyline fill="none" stroke="#1f6f43" stroke-width="2" points="{" ".join(coords)}"/>'
        + (f'<text x="{width - pad}" y="{height - pad}" font-size="10" text-anchor="end">'
           f"{last:g} %</text>" if last is not None and height >= 60 else "")
        + "</svg>"
    )  # fmt: skip


RENDERERS = {"json": to_json, "csv": to_csv, "html": to_html}
