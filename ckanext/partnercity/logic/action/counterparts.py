"""Action API of counterparts: the open-data team confirms or rejects a partner reference as
a counterpart of one of our datasets (docs/counterparts.md). Listing them is
``partnercity_related`` (public)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.partnercity.logic import schema
from ckanext.partnercity.model import CounterpartDecision, utcnow
from ckanext.partnercity.pages import cache as page_cache
from ckanext.partnercity.partners.references import DATASET_TYPE

__all__ = ["partnercity_counterpart_decide"]


def _show(context: dict, name: str, field: str) -> dict:
    try:
        return tk.get_action("package_show")(dict(context), {"id": name})
    except tk.ObjectNotFound:
        raise tk.ValidationError({field: [tk._("Not found")]}) from None


def partnercity_counterpart_decide(context: dict, data_dict: dict) -> dict[str, Any]:
    """``dataset`` (one of ours), ``reference`` (a partner reference), ``decision``
    ``confirmed`` (listed first on the dataset page), ``rejected`` (never listed) or
    ``undecided`` (forgets the decision), optional ``reason``. Kept by the partner and the
    partner's own identifier of its dataset, so it holds across harvests. Returns the
    decision (``{"decision": "undecided"}`` after forgetting)."""
    tk.check_access("partnercity_counterpart_decide", context, data_dict)
    data = schema.check("partnercity_counterpart_decide", data_dict, context)
    own = _show(context, data["dataset"], "dataset")
    ref = _show(context, data["reference"], "reference")
    if own.get("type") == DATASET_TYPE:
        raise tk.ValidationError({"dataset": [tk._("Must be one of our datasets")]})
    if ref.get("type") != DATASET_TYPE or not ref.get("partner_identifier"):
        raise tk.ValidationError({"reference": [tk._("Must be a partner reference")]})
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
