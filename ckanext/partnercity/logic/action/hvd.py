"""Action API of the HVD checks: run a check, list runs, get a report in any format."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.partnercity.hvd import checks as hvd_checks
from ckanext.partnercity.hvd import visibility
from ckanext.partnercity.hvd.rules import engine
from ckanext.partnercity.hvd.rules import report as core_report
from ckanext.partnercity.logic import schema
from ckanext.partnercity.model import HvdCheckRun

__all__ = ["partnercity_hvd_check", "partnercity_hvd_run_list", "partnercity_hvd_report"]

#: Above this many datasets (or with probes) a check goes to the job queue by default.
BACKGROUND_ABOVE = 200
RDF_FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml"}


def partnercity_hvd_check(context: dict, data_dict: dict) -> dict[str, Any]:
    """Check datasets against the HVD rules and store the run.

    ``ids``: datasets to check (default: every dataset in HVD scope); ``scope``: ``own``
    (our datasets) or ``partners`` (partner references); ``probe``: also test the URLs;
    ``rule_set``; ``background``: queue for ``ckan jobs worker`` (default: with probes, or
    when many datasets are asked for).
    """
    tk.check_access("partnercity_hvd_check", context, data_dict)
    data_dict = schema.check("partnercity_hvd_check", data_dict, context)
    scope, ids = data_dict["scope"], data_dict.get("ids") or []
    rule_set = data_dict.get("rule_set") or engine.DEFAULT_RULE_SET
    if rule_set not in engine.RULE_SETS:
        raise tk.ValidationError({"rule_set": [tk._("Unknown rule set: {}").format(rule_set)]})
    probe = data_dict.get("probe", False)
    background = data_dict.get("background")
    background = (probe or len(ids) > BACKGROUND_ABOVE) if background is None else background
    user = model.User.get(context.get("user") or "")
    run = hvd_checks.queue_run(scope, rule_set, probe, ids, user.id if user else None)
    if background:
        return hvd_checks.enqueue(run).as_dict()
    return hvd_checks.execute(run).as_dict()


@tk.side_effect_free
def partnercity_hvd_run_list(context: dict, data_dict: dict) -> list[dict]:
    """The newest check runs of a scope (summaries only), newest first."""
    tk.check_access("partnercity_hvd_run_list", context, data_dict)
    data_dict = schema.check("partnercity_hvd_run_list", data_dict, context)
    limit = data_dict.get("limit") or 20
    return [run.as_dict() for run in hvd_checks.history(data_dict["scope"], limit)]


def _run(data_dict: dict, scope: str) -> HvdCheckRun:
    run_id = data_dict.get("run_id")
    run = model.Session.get(HvdCheckRun, run_id) if run_id else hvd_checks.latest(scope)
    if run is None:
        raise tk.ObjectNotFound(tk._("No finished HVD check run yet; run partnercity_hvd_check"))
    if run.status != "succeeded":
        raise tk.ValidationError({"run_id": [tk._("Run {} is {}").format(run.id, run.status)]})
    return run


@tk.side_effect_free
def partnercity_hvd_report(context: dict, data_dict: dict) -> dict[str, Any]:
    """A check run's report (default: the latest of the scope).

    ``format`` ``json`` returns the report itself under ``report``; ``html`` and ``csv`` return
    the rendered text under ``content``; ``ttl``/``jsonld``/``rdf`` return the DCAT-AP HVD RDF of
    our datasets in HVD scope as they are now (Art. 5 reporting; scope ``own`` only). A report
    holds only the datasets package_show would show the caller, and counts only those.
    """
    tk.check_access("partnercity_hvd_report", context, data_dict)
    data_dict = schema.check("partnercity_hvd_report", data_dict, context)
    scope, fmt = data_dict["scope"], data_dict["format"]
    if fmt in RDF_FORMATS:
        if scope != "own":
            raise tk.ValidationError(
                {"scope": [tk._("The RDF export covers our own datasets only")]}
            )
        from ckanext.partnercity.hvd import export as hvd_export

        return {"format": fmt, "content": hvd_export.in_scope_rdf(RDF_FORMATS[fmt])}
    run = _run(data_dict, scope)
    report = visibility.visible_report(run.report, context)
    out: dict[str, Any] = {"run": _run_as_seen(run, report), "format": fmt}
    if fmt == "json":
        out["report"] = report
    elif fmt == "csv":
        out["content"] = core_report.to_csv(report)
    else:
        lang = data_dict.get("lang") or "en"
        trend = [r.as_dict() for r in hvd_checks.history(scope) if r.status == "succeeded"]
        out["content"] = core_report.to_html(report, lang, history=trend[::-1])
    return out


def _run_as_seen(run: HvdCheckRun, report: dict) -> dict:
    """The run with the summary of the report as the caller sees it."""
    out = run.as_dict()
    if report is not run.report:
        out["summary"] = hvd_checks.short_summary(report)
    return out
