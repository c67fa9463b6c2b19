"""Attestations on the HVD report page and the admin tab: record, revoke, read the history.

The forms post here; each calls its action (which checks who may, and runs the latest check
again so the report shows the change) and returns to the page it came from.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.partnercity.hvd.rules import engine
from ckanext.partnercity.language import ui_language_code
from ckanext.partnercity.views import csrf

hvd_attest = Blueprint("partnercity_hvd_attest", __name__)

ATTEST_OUTCOMES = ("attest", "attested")


def _context() -> dict:
    return {"user": tk.current_user.name if tk.current_user else None}


def _refuse():
    return tk.abort(403, tk._("Only sysadmins and HVD auditors may attest"))


def _allowed(action: str) -> bool:
    try:
        tk.check_access(action, _context())
    except tk.NotAuthorized:
        return False
    return True


def panel(report: dict | None, lang: str) -> dict | None:
    """What the attestation section shows: every attest item of our datasets in ``report``,
    each with its active attestation (from the database, so a revocation shows at once)."""
    if not report or report.get("scope", "own") != "own":
        return None
    try:
        active = tk.get_action("partnercity_hvd_attestation_list")(_context(), {})
    except tk.NotAuthorized:
        return None
    by_key = {(a["dataset_id"], a["rule"]): a for a in active}
    rules = engine.rules_by_id(report["rule_set"]) if report["rule_set"] in engine.RULE_SETS else {}
    datasets = []
    for ds in report["datasets"]:
        if not ds.get("ckan_id") or ds.get("ckan_type", "dataset") != "dataset":
            continue
        items = [
            {
                "result": r,
                "attestation": by_key.get((ds["ckan_id"], r["rule"])),
                "title": _title(rules.get(r["rule"]), r["rule"], lang),
            }
            for r in ds["results"]
            if r["outcome"] in ATTEST_OUTCOMES
        ]
        if items:
            datasets.append({"dataset": ds, "items": items})
    return {"datasets": datasets, "can_attest": _allowed("partnercity_hvd_attest")}


def _title(rule, rule_id: str, lang: str) -> str:
    return rule.title.get(lang, rule.title["en"]) if rule else rule_id


def _back():
    """To the admin tab or the report page the form was on, at the attestation section."""
    if tk.request.form.get("return_to") == "admin":
        return tk.redirect_to("partnercity_hvd.admin_status", _anchor="attestations")
    return tk.redirect_to("partnercity_hvd.report_page", _anchor="attestations")


def _flash_errors(exc: tk.ValidationError) -> None:
    messages = [m for msgs in exc.error_dict.values() for m in (msgs or [])]
    tk.h.flash_error(" ".join(str(m) for m in messages) or tk._("The attestation was refused."))


def _post(action: str, data: dict, done: str):
    if not _allowed(action):
        return _refuse()
    csrf.require_token()
    try:
        tk.get_action(action)(_context(), data)
    except tk.NotAuthorized:
        return _refuse()
    except tk.ObjectNotFound as exc:
        return tk.abort(404, str(exc))
    except tk.ValidationError as exc:
        _flash_errors(exc)
    else:
        tk.h.flash_success(done)
    return _back()


@hvd_attest.route("/hvd/attest", methods=["POST"])
def attest():
    """An auditor attests one item of one of our datasets."""
    form = tk.request.form
    data = {key: form.get(key, "") for key in ("dataset", "rule", "evidence_url", "note")}
    return _post("partnercity_hvd_attest", data, tk._("The attestation has been recorded."))


@hvd_attest.route("/hvd/attestations/<attestation_id>/revoke", methods=["POST"])
def revoke(attestation_id: str):
    """An auditor revokes an attestation, with a reason; it stays in the history."""
    data = {"id": attestation_id, "reason": tk.request.form.get("reason", "")}
    done = tk._("The attestation has been revoked.")
    return _post("partnercity_hvd_attestation_revoke", data, done)


@hvd_attest.route("/hvd/attestations")
def history():
    """Every attestation (revoked ones too), newest first; ``?dataset=`` for one dataset."""
    dataset = tk.request.args.get("dataset") or None
    data = {"include_revoked": True, **({"dataset": dataset} if dataset else {})}
    try:
        rows = tk.get_action("partnercity_hvd_attestation_list")(_context(), data)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("The HVD report is visible to auditors only"))
    except tk.ValidationError:
        return tk.abort(404, tk._("Dataset not found"))
    return tk.render(
        "partnercity/hvd_attestations.html",
        extra_vars={"rows": rows, "dataset": dataset, "titles": _rule_titles()},
    )


def ui_lang() -> str:
    """The report languages: English and German."""
    return ui_language_code() if ui_language_code() in ("en", "de") else "en"


def _rule_titles() -> dict[str, str]:
    lang = ui_lang()
    rules = {}
    for rule_set in reversed(engine.RULE_SETS):
        rules.update(engine.rules_by_id(rule_set))
    return {rule_id: _title(rule, rule_id, lang) for rule_id, rule in rules.items()}
