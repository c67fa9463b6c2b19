"""The HVD compliance report in the portal (/hvd/report) and its downloads."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response

from ckanext.partnercity.hvd.rules import report as core_report
from ckanext.partnercity.language import ui_language_code
from ckanext.partnercity.views import csrf, hvd_attest

hvd = Blueprint("partnercity_hvd", __name__)

DOWNLOADS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
}


def _context() -> dict:
    return {"user": tk.current_user.name if tk.current_user else None}


def _report(data: dict) -> dict:
    try:
        return tk.get_action("partnercity_hvd_report")(_context(), data)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("The HVD report is visible to auditors only"))


@hvd.route("/hvd/report")
def report_page():
    """The latest report of a scope (ours by default), inside the portal's layout."""
    scope = tk.request.args.get("scope", "own")
    if scope not in ("own", "partners"):
        return tk.abort(404)
    data = {"scope": scope, "format": "json", "run_id": tk.request.args.get("run_id")}
    try:
        result = _report(data)
    except tk.ObjectNotFound:
        result = None
    except tk.ValidationError as exc:
        return tk.abort(404, str(exc.error_dict))
    body = None
    if result:
        runs = tk.get_action("partnercity_hvd_run_list")(_context(), {"scope": scope})
        history = [r for r in runs if r["status"] == "succeeded"][::-1]
        lang = ui_language_code()
        body = core_report.to_html(
            result["report"],
            lang if lang in ("en", "de") else "en",
            history=history,
            fragment=True,
            dataset_url=_dataset_url,
        )
    return tk.render(
        "partnercity/hvd_report.html",
        extra_vars={
            "scope": scope,
            "run": result["run"] if result else None,
            "report_body": tk.h.literal(body) if body else None,
            "attest": hvd_attest.panel(result and result["report"], hvd_attest.ui_lang()),
        },
    )


def _dataset_url(ds: dict) -> str:
    return tk.h.url_for(f"{ds.get('ckan_type') or 'dataset'}.read", id=ds["ckan_name"])


@hvd.route("/hvd/report.<ext>")
def report_download(ext: str):
    if ext not in DOWNLOADS:
        return tk.abort(404)
    scope = tk.request.args.get("scope", "own")
    data = {"scope": scope, "format": ext, "run_id": tk.request.args.get("run_id")}
    if ext == "html":
        data["lang"] = ui_language_code() if ui_language_code() in ("en", "de") else "en"
    try:
        result = _report(data)
    except tk.ObjectNotFound as exc:
        return tk.abort(404, str(exc))
    except tk.ValidationError as exc:
        return tk.abort(400, str(exc.error_dict))
    body = core_report.to_json(result["report"]) if ext == "json" else result["content"]
    filename = f"hvd-report-{scope}.{ext}"
    return Response(
        body,
        mimetype=DOWNLOADS[ext],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@hvd.route("/hvd/check", methods=["POST"])
def check_now():
    """Sysadmins start a check from the report page; it runs on the job queue."""
    try:
        tk.check_access("partnercity_hvd_check", _context())
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only sysadmins may run HVD checks"))
    csrf.require_token()
    scope = tk.request.form.get("scope", "own")
    try:
        tk.get_action("partnercity_hvd_check")(_context(), {"scope": scope, "background": True})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only sysadmins may run HVD checks"))
    except tk.ValidationError as exc:
        return tk.abort(400, str(exc.error_dict))
    tk.h.flash_success(tk._("The HVD check has been queued; reload this page in a moment."))
    if tk.request.form.get("return_to") == "admin":
        return tk.redirect_to("partnercity_hvd.admin_status")
    return tk.redirect_to("partnercity_hvd.report_page", scope=scope)


@hvd.route("/ckan-admin/partner-cities/hvd")
def admin_status():
    """The admin tab: the latest check of our datasets and of the partners, with history."""
    try:
        tk.check_access("sysadmin", {"user": tk.current_user.name})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Need to be system administrator to administer"))
    context = _context()
    scopes = {}
    for scope in ("own", "partners"):
        runs = tk.get_action("partnercity_hvd_run_list")(dict(context), {"scope": scope})
        latest = next((r for r in runs if r["status"] == "succeeded"), None)
        scopes[scope] = {"runs": runs[:10], "latest": latest}
    try:
        own = tk.get_action("partnercity_hvd_report")(dict(context), {"scope": "own"})
    except (tk.ObjectNotFound, tk.ValidationError):
        own = None
    attest = hvd_attest.panel(own and own["report"], hvd_attest.ui_lang())
    return tk.render(
        "partnercity/admin/hvd.html",
        extra_vars={"scopes": scopes, "admin_tab": "hvd", "attest": attest},
    )
