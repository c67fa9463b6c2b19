"""Action API of the HVD duties finder: suggest HVD categories for any dataset texts (public),
list our undeclared datasets that probably are HVD, and record the team's decisions."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.partnercity.hvd import duty_list
from ckanext.partnercity.language import ui_language_code
from ckanext.partnercity.logic import schema, schema_duties

__all__ = [
    "partnercity_hvd_suggest",
    "partnercity_hvd_duty_list",
    "partnercity_hvd_duty_decide",
    "partnercity_hvd_duty_decision_list",
]


@tk.side_effect_free
def partnercity_hvd_suggest(context: dict, data_dict: dict) -> list[dict[str, Any]]:
    """HVD categories for up to 1,000 datasets described by ``title``, ``notes``, ``tags``
    and ``lang``: one ``{"suggestions": [...]}`` per input item, in the same order, each
    suggestion ``{"category", "confidence", "annex", "evidence"}``, best first (``limit``,
    default 3). Reads nothing of the portal: anyone may ask."""
    tk.check_access("partnercity_hvd_suggest", context, data_dict)
    data = schema_duties.suggest_input(data_dict, context)
    limit = data.get("limit") or duty_list.SUGGESTIONS_PER_DATASET
    found = duty_list.suggest(data["datasets"], limit=limit)
    return [{"suggestions": suggestions} for suggestions in found]


def _lang(data: dict) -> str:
    return data.get("lang") or ui_language_code()


@tk.side_effect_free
def partnercity_hvd_duty_list(context: dict, data_dict: dict) -> list[dict[str, Any]]:
    """Our datasets not declared HVD that the finder places in an Annex category with
    confidence ≥ 0.5 (rejected categories left out), best first; category labels in
    ``lang`` (default: the UI language)."""
    tk.check_access("partnercity_hvd_duty_list", context, data_dict)
    data = schema.check("partnercity_hvd_duty_list", data_dict, context)
    return duty_list.candidates(context, _lang(data))


def partnercity_hvd_duty_decide(context: dict, data_dict: dict) -> dict[str, Any]:
    """``dataset``, ``category``, ``decision`` ``accept`` (the category is set on the
    dataset; the ELI follows through the schema) or ``reject`` (with a ``reason``; the pair
    is not suggested again). Returns the recorded decision."""
    tk.check_access("partnercity_hvd_duty_decide", context, data_dict)
    data = schema.check("partnercity_hvd_duty_decide", data_dict, context)
    if data["decision"] == "reject" and not (data.get("reason") or "").strip():
        raise tk.ValidationError({"reason": [tk._("A rejection needs a reason")]})
    return duty_list.decide(context, {**data, "lang": _lang(data)})


@tk.side_effect_free
def partnercity_hvd_duty_decision_list(context: dict, data_dict: dict) -> list[dict[str, Any]]:
    """Decisions on suggested HVD categories, newest first (``limit``, default 50)."""
    tk.check_access("partnercity_hvd_duty_decision_list", context, data_dict)
    data = schema.check("partnercity_hvd_duty_decision_list", data_dict, context)
    return duty_list.history(context, data.get("limit") or 50, _lang(data))
