"""The partner-cities admin area for open-data teams (sysadmins), in CKAN's admin style.

Partners with their last run, a "Harvest now" button, run history with error details,
the mapping review and "Add partner city" (paste a URL, Detect). Every button posts a
CSRF-protected form that calls an action (partnercity_harvest, partnercity_mapping_decide,
partnercity_portal_detect, partnercity_partner_create).
"""

from __future__ import annotations

from urllib.parse import urlencode

import ckan.plugins.toolkit as tk
from flask import Blueprint, request

from ckanext.partnercity.partners.references import PARTNER_TYPE
from ckanext.partnercity.views import csrf, partner_form

admin = Blueprint("partnercity_admin", __name__, url_prefix="/ckan-admin/partner-cities")

REVIEW_FILTERS = ("suggested", "decided", "unmapped", "all")
RUN_HISTORY = 50


@admin.before_request
def _sysadmins_only():
    try:
        tk.check_access("sysadmin", {"user": tk.current_user.name})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Need to be system administrator to administer"))
    return None


def _context() -> dict:
    return {"user": tk.current_user.name}


@admin.route("")
def index() -> str:
    """Partners with their last run status, counts and errors."""
    partners = [
        tk.get_action("partnercity_partner_show")(_context(), {"id": partner["name"]})
        for partner in tk.get_action("partnercity_partner_list")(_context(), {})
    ]
    partners.sort(key=lambda p: (p.get("title") or p["name"]).lower())
    return tk.render("partnercity/admin/index.html", extra_vars={"partners": partners})


@admin.route("/new", methods=["GET", "POST"])
def new():
    """Add a partner city: paste a URL, Detect (a POST round trip), pick, complete, Add."""
    state: dict = {}
    if request.method == "POST":
        csrf.require_token()
        if request.form.get("step") == "create":
            partner, state = partner_form.create(_context(), request.form)
            if partner is not None:
                tk.h.flash_success(
                    tk._("Partner city added: {title}").format(title=partner["title"])
                )
                return tk.redirect_to("partnercity_admin.partner", name=partner["name"])
        else:
            state = partner_form.detect(_context(), request.form)
    return tk.render("partnercity/admin/partner_new.html", extra_vars=partner_form.variables(state))


@admin.route("/<name>/harvest", methods=["POST"])
def harvest(name: str):
    """Queue a harvest of one partner, then show its run history at the queued run.

    While a run is queued or running, the button queues nothing and points at that run.
    """
    csrf.require_token()
    full = tk.asbool(request.form.get("full", False))
    try:
        run = tk.get_action("partnercity_harvest")(_context(), {"partner": name, "full": full})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Partner city not found"))
    except tk.ValidationError as exc:
        tk.h.flash_error(_error_text(exc))
        return tk.redirect_to("partnercity_admin.partner", name=name)
    if run["existing"]:
        message = tk._("A harvest is already {status} (since {since} UTC); nothing was queued.")
        since = (run["queued_at"] or "").replace("T", " ")[:16]
        tk.h.flash_notice(message.format(status=_status_label(run["status"]), since=since))
    else:
        tk.h.flash_success(
            tk._("Harvest queued ({mode}); a jobs worker will run it.").format(
                mode=_mode_label(run["mode"])
            )
        )
    return tk.redirect_to("partnercity_admin.partner", name=name, _anchor=f"run-{run['id']}")


def _status_label(status: str) -> str:
    return {"queued": tk._("queued"), "running": tk._("running")}.get(status, status)


def _mode_label(mode: str) -> str:
    return {"full": tk._("complete listing"), "incremental": tk._("incremental")}.get(mode, mode)


def _error_text(exc: tk.ValidationError) -> str:
    errors = exc.error_dict if isinstance(exc.error_dict, dict) else {}
    messages = [
        m for value in errors.values() for m in (value if isinstance(value, list) else [value])
    ]
    return "; ".join(str(m) for m in messages) or str(exc)


@admin.route("/<name>")
def partner(name: str) -> str:
    """One partner's run history with error details."""
    try:
        partner = tk.get_action("partnercity_partner_show")(_context(), {"id": name})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Partner city not found"))
    runs = tk.get_action("partnercity_harvest_run_list")(
        _context(), {"partner": name, "limit": RUN_HISTORY}
    )
    return tk.render(
        "partnercity/admin/partner.html", extra_vars={"partner": partner, "runs": runs}
    )


def _partners_by_id() -> dict[str, dict]:
    orgs = tk.get_action("organization_list")(
        _context(), {"type": PARTNER_TYPE, "all_fields": True, "limit": 1000}
    )
    return {org["id"]: org for org in orgs}


@admin.route("/mappings")
def mappings() -> str:
    """Review of the mappings: suggested, decided or unmapped local categories."""
    status = request.args.get("status") if request.args.get("status") in REVIEW_FILTERS else None
    status = status or "suggested"
    partner_name = request.args.get("partner") or ""
    partners = _partners_by_id()
    query: dict = {"partner": partner_name} if partner_name else {}
    if status == "unmapped":
        query["unmapped"] = True
    elif status != "all":
        query["origin"] = status
    try:
        rows = tk.get_action("partnercity_mapping_list")(_context(), query)
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Partner city not found"))
    for row in rows:
        org = partners.get(row.get("partner_id") or "")
        row["partner_name"] = org["name"] if org else ""
        row["partner_title"] = org["title"] if org else tk.config.get("ckan.site_title")
    concepts = tk.get_action("partnercity_concept_list")(_context(), {})
    return tk.render(
        "partnercity/admin/mappings.html",
        extra_vars={
            "rows": rows,
            "status": status,
            "filters": REVIEW_FILTERS,
            "partner_name": partner_name,
            "partners": sorted(partners.values(), key=lambda o: o["title"].lower()),
            "concepts": concepts,
            "relations": ("exactMatch", "closeMatch", "broadMatch", "narrowMatch"),
        },
    )


@admin.route("/mappings/decide", methods=["POST"])
def decide():
    """Accept, change or reject one mapping (or map an unmapped category)."""
    csrf.require_token()
    form = request.form
    decision = form.get("decision", "accept")
    data = {"decision": decision}
    if form.get("id"):
        data["id"] = form["id"]
    else:
        data["category"] = form.get("category", "")
        if form.get("partner"):
            data["partner"] = form["partner"]
    if form.get("concept") and (decision == "change" or not form.get("id")):
        data["concept"] = form["concept"]
    if form.get("relation"):
        data["relation"] = form["relation"]
    try:
        result = tk.get_action("partnercity_mapping_decide")(_context(), data)
    except tk.ObjectNotFound as exc:
        tk.h.flash_error(str(exc) or tk._("Mapping not found"))
    except tk.ValidationError as exc:
        tk.h.flash_error(_error_text(exc))
    else:
        message = {
            "accept": tk._("Accepted: {category}"),
            "change": tk._("Changed: {category}"),
            "reject": tk._("Rejected: {category}"),
        }[decision]
        tk.h.flash_success(message.format(category=result["category"]))
    back = {
        key: form.get("return_" + key) for key in ("status", "partner") if form.get("return_" + key)
    }
    url = tk.h.url_for("partnercity_admin.mappings")
    return tk.redirect_to(url + ("?" + urlencode(back) if back else ""))
