"""The admin tab "Counterparts": our datasets, page by page, with the partner datasets the
ranker suggests as counterparts and the decisions taken; Confirm / Reject / Undo post here
and call ``partnercity_counterpart_decide``. Sysadmins only (the list names private
datasets; deciding changes what citizens and the Linked Data graph see).
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.pagination import Page
from flask import Blueprint, request

from ckanext.partnercity.logic.schema_counterparts import NAME_MAX_CHARS
from ckanext.partnercity.views import csrf

review = Blueprint("partnercity_counterparts", __name__, url_prefix="/ckan-admin/partner-cities")

DECISIONS = ("confirmed", "rejected", "undecided")


def _context() -> dict:
    return {"user": tk.current_user.name if tk.current_user else None}


def _forbidden():
    return tk.abort(403, tk._("Only sysadmins may review counterparts"))


def _page_number(value: str | None) -> int:
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return number if number >= 1 else 1


def _search(value: str | None) -> str:
    """The review's search words, cut to what the action takes."""
    return (value or "").strip()[:NAME_MAX_CHARS]


def _back(page: int, q: str) -> str:
    """The review page to return to: same page, same search."""
    return tk.h.url_for("partnercity_counterparts.page", page=page, q=q or None)


@review.route("/counterparts")
def page() -> str:
    """One page of our datasets with suggested and decided counterparts; ``q`` searches
    our datasets (the catalogue may hold hundreds)."""
    number = _page_number(request.args.get("page"))
    q = _search(request.args.get("q"))
    query = {"page": number, "q": q} if q else {"page": number}
    try:
        listing = tk.get_action("partnercity_counterpart_list")(_context(), query)
    except tk.NotAuthorized:
        return _forbidden()
    except tk.ValidationError as exc:  # a page number beyond any catalogue, unreadable words
        tk.h.flash_error(_error_text(exc))
        errors = exc.error_dict if isinstance(exc.error_dict, dict) else {}
        return tk.redirect_to(_back(1, "" if "q" in errors else q))
    pager = Page(
        collection=listing["datasets"],
        page=listing["page"],
        url=lambda q=None, page=None: _back(page, listing["q"]),  # noqa: ARG005
        item_count=listing["count"],
        items_per_page=listing["limit"],
    )
    pager.items = listing["datasets"]
    return tk.render(
        "partnercity/admin/counterparts.html",
        extra_vars={
            "listing": listing,
            "pager": pager,
            "decided": [
                (entry["dataset"], d) for entry in listing["datasets"] for d in entry["decisions"]
            ],
            "admin_tab": "counterparts",
            "q": listing["q"],
        },
    )


@review.route("/counterparts/decide", methods=["POST"])
def decide():
    """Confirm, reject (optional reason) or undo one suggestion, then back to the page."""
    if not tk.h.check_access("partnercity_counterpart_decide"):
        return _forbidden()
    csrf.require_token()
    form = request.form
    keys = ("dataset", "reference", "decision_id", "decision", "reason")
    data = {key: form.get(key, "") for key in keys if form.get(key)}
    back = _back(_page_number(form.get("page")), _search(form.get("q")))
    try:
        stored = tk.get_action("partnercity_counterpart_decide")(_context(), data)
    except tk.NotAuthorized:
        return _forbidden()
    except tk.ObjectNotFound as exc:
        tk.h.flash_error(str(exc) or tk._("Not found"))
    except tk.ValidationError as exc:
        tk.h.flash_error(_error_text(exc))
    else:
        tk.h.flash_success(_done(data, stored))
    return tk.redirect_to(back)


def _title(name: str) -> str:
    package = model.Package.get(name)
    return (package.title or package.name) if package is not None else name


def _done(data: dict, stored: dict) -> str:
    message = {
        "confirmed": tk._("Confirmed: {reference} is a counterpart of {dataset}."),
        "rejected": tk._("Rejected: {reference} is not shown as a counterpart of {dataset}."),
        "undecided": tk._("Undone: {reference} may be suggested for {dataset} again."),
    }[data["decision"]]
    # undoing a decision whose reference was purged names the partner's identifier
    reference = (
        _title(data["reference"]) if data.get("reference") else stored.get("partner_identifier", "")
    )
    return message.format(reference=reference, dataset=_title(data["dataset"]))


def _error_text(exc: tk.ValidationError) -> str:
    labels = {
        "dataset": tk._("Our dataset"),
        "reference": tk._("Partner dataset"),
        "decision": tk._("Decision"),
        "reason": tk._("Reason"),
        "page": tk._("Page"),
        "q": tk._("Search our datasets"),
    }
    errors = exc.error_dict if isinstance(exc.error_dict, dict) else {}
    return "; ".join(
        f"{labels.get(field, field)}: {message}"
        for field, messages in errors.items()
        for message in (messages if isinstance(messages, list) else [messages])
    ) or str(exc)
