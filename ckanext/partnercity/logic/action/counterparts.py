"""Action API of counterparts: the open-data team confirms or rejects a partner reference as
a counterpart of one of our datasets and reviews the suggestions page by page (sysadmins);
the confirmed pairs are public, for the Linked Data graph (docs/counterparts.md). A dataset's
counterparts as citizens see them are ``partnercity_related`` (public)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.partnercity.logic import schema
from ckanext.partnercity.model import CounterpartDecision, utcnow
from ckanext.partnercity.pages import cache as page_cache
from ckanext.partnercity.pages import counterpart_review
from ckanext.partnercity.partners.references import DATASET_TYPE

__all__ = [
    "partnercity_counterpart_decide",
    "partnercity_counterpart_list",
    "partnercity_counterpart_confirmed",
]


def _show(context: dict, name: str, field: str) -> dict:
    try:
        return tk.get_action("package_show")(dict(context), {"id": name})
    except tk.ObjectNotFound:
        raise tk.ValidationError({field: [tk._("Not found")]}) from None


def partnercity_counterpart_decide(context: dict, data_dict: dict) -> dict[str, Any]:
    """``dataset`` (one of ours), ``reference`` (a partner reference), ``decision``
    ``confirmed`` (listed first on the dataset page), ``rejected`` (never listed) or
    ``undecided`` (forgets the decision; ``decision_id`` instead of ``reference`` forgets one
    whose reference was purged), optional ``reason``. Kept by the partner and the
    partner's own identifier of its dataset, so it holds across harvests. Returns the
    decision (``{"decision": "undecided"}`` after forgetting)."""
    tk.check_access("partnercity_counterpart_decide", context, data_dict)
    data = schema.check("partnercity_counterpart_decide", data_dict, context)
    own = _show(context, data["dataset"], "dataset")
    if not data.get("reference"):
        return _forget_by_id(own, data)
    ref = _show(context, data["reference"], "reference")
    if own.get("type") == DATASET_TYPE:
        raise tk.ValidationError({"dataset": [tk._("Must be one of our datasets")]})
    if ref.get("type") != DATASET_TYPE or not ref.get("partner_identifier"):
        raise tk.ValidationError({"reference": [tk._("Must be a partner reference")]})
    if data["decision"] != "undecided":  # forgetting stays possible for anything stored
        for field, pkg in (("dataset", own), ("reference", ref)):
            if pkg.get("state") != "active":
                raise tk.ValidationError({field: [tk._("Deleted meanwhile")]})
    key = {
        "dataset_id": own["id"],
        "partner_id": ref["owner_org"],
        "partner_identifier": ref["partner_identifier"],
    }
    row = model.Session.query(CounterpartDecision).filter_by(**key).one_or_none()
    if data["decision"] == "undecided":
        if row is not None:
            model.Session.delete(row)
            model.Session.commit()
            page_cache.bump("counterpart decision forgotten")
        return {**key, "decision": "undecided"}
    if row is None:
        row = CounterpartDecision(**key)
        model.Session.add(row)
    row.decision = data["decision"]
    row.reason = (data.get("reason") or "").strip()
    row.decided_by = context.get("user") or ""
    row.decided_at = utcnow()
    model.Session.commit()
    # cached partner pages (and the partnership graph) may show counterparts: out of date
    page_cache.bump("counterpart decided")
    return row.as_dict()


def _forget_by_id(own: dict, data: dict) -> dict[str, Any]:
    """Undo by the decision's id (``decision_id``): the way to forget a decision whose
    reference was purged, since no reference carries its partner identifier any more."""
    if data["decision"] != "undecided" or not data.get("decision_id"):
        raise tk.ValidationError({"reference": [tk._("Missing value")]})
    row = model.Session.get(CounterpartDecision, data["decision_id"])
    if row is None or row.dataset_id != own["id"]:
        raise tk.ValidationError({"decision_id": [tk._("Not found")]})
    forgotten = {**row.as_dict(), "decision": "undecided"}
    model.Session.delete(row)
    model.Session.commit()
    page_cache.bump("counterpart decision forgotten")
    return forgotten


@tk.side_effect_free
def partnercity_counterpart_list(context: dict, data_dict: dict) -> dict[str, Any]:
    """The review: one page (``page``, from 1) of our datasets by title, ``limit`` per page
    (default 20, at most 50), only those matching ``q`` (words, as in the dataset search)
    when given, each with its top 3 suggested counterparts not decided yet and the decisions
    taken (who, when, why; the reference that carries the partner's identifier today, or
    none). ``{"count", "page", "limit", "q", "datasets": [...]}``."""
    tk.check_access("partnercity_counterpart_list", context, data_dict)
    data = schema.check("partnercity_counterpart_list", data_dict, context)
    page = max(1, data.get("page") or 1)
    limit = data.get("limit") or counterpart_review.PAGE_SIZE
    return counterpart_review.review(page, limit, (data.get("q") or "").strip())


@tk.side_effect_free
def partnercity_counterpart_confirmed(context: dict, data_dict: dict) -> list[dict[str, str]]:
    """Confirmed counterparts the public may see, as the partnership graph names them:
    ``[{"own_uri", "partner_uri"}]`` (our dataset's DCAT URI, the partner's dataset URI)."""
    tk.check_access("partnercity_counterpart_confirmed", context, data_dict)
    schema.check("partnercity_counterpart_confirmed", data_dict, context)
    return counterpart_review.confirmed_pairs()
