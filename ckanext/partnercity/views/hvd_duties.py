"""The admin tab "HVD duties": our datasets that are probably HVD but not declared, with
Accept / Reject forms (sysadmins) and the decisions taken so far.

Auditors (``ckanext.partnercity.hvd.auditors``) read the page, since judging what a city
must publish is their job; deciding changes a dataset, so the forms are for sysadmins
(``partnercity_hvd_duty_decide``).
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint, request

from ckanext.partnercity.views import csrf

duties = Blueprint("partnercity_hvd_duties", __name__, url_prefix="/ckan-admin/partner-cities")


def _context() -> dict:
    return {"user": tk.current_user.name if tk.current_user else None}


def may_decide() -> bool:
    return tk.h.check_access("partnercity_hvd_duty_decide")


@duties.route("/hvd-duties")
def page() -> str:
    """Candidates (best first) and past decisions, in the UI language."""
    try:
        candidates = tk.get_action("partnercity_hvd_duty_list")(_context(), {})
        decisions = tk.get_action("partnercity_hvd_duty_decision_list")(_context(), {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("HVD duties are visible to auditors only"))
    return tk.render(
        "partnercity/admin/hvd_duties.html",
        extra_vars={
            "candidates": candidates,
            "decisions": decisions,
            "may_decide": may_decide(),
            "is_sysadmin": tk.h.check_access("sysadmin"),
            "admin_tab": "hvd_duties",
        },
    )


@duties.route("/hvd-duties/decide", methods=["POST"])
def decide():
    """Accept or reject one suggested category of one dataset."""
    if not may_decide():
        return tk.abort(403, tk._("Only sysadmins may decide on HVD duties"))
    csrf.require_token()
    form = request.form
    data = {key: form.get(key, "") for key in ("dataset", "category", "decision", "reason")}
    try:
        result = tk.get_action("partnercity_hvd_duty_decide")(_context(), data)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only sysadmins may decide on HVD duties"))
    except tk.ObjectNotFound as exc:
        tk.h.flash_error(str(exc))
    except tk.ValidationError as exc:
        tk.h.flash_error(_error_text(exc))
    else:
        message = (
            tk._("Accepted: {dataset} is now declared as {category}.")
            if result["decision"] == "accepted"
            else tk._("Rejected: {category} for {dataset}; it will not be suggested again.")
        )
        tk.h.flash_success(
            message.format(dataset=result["dataset_title"], category=result["label"])
        )
    return tk.redirect_to("partnercity_hvd_duties.page")


def _error_text(exc: tk.ValidationError) -> str:
    errors = exc.error_dict if isinstance(exc.error_dict, dict) else {}
    return "; ".join(
        f"{field}: {message}"
        for field, messages in errors.items()
        for message in (messages if isinstance(messages, list) else [messages])
    ) or str(exc)
