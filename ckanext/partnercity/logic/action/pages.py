"""Actions behind the citizen pages that no other action gives: the compare matrix and
the references related to one of our datasets. Both are public."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.partnercity.language import ui_language
from ckanext.partnercity.logic import schema
from ckanext.partnercity.pages import counterpart_review
from ckanext.partnercity.pages import counterparts as pages_counterparts
from ckanext.partnercity.pages import data as pages
from ckanext.partnercity.themes import store as themes_store

#: Counterparts listed first in "In our partner cities".
COUNTERPARTS_SHOWN = 3

__all__ = ["partnercity_compare", "partnercity_related", "partnercity_concept_list"]


@tk.side_effect_free
def partnercity_compare(context: dict, data_dict: dict) -> dict:
    """Shared themes × cities with the number of public datasets of each city per theme.

    ``lang`` chooses the theme labels (UI language by default, English as fallback),
    ``scheme`` the concept scheme (``ckanext.partnercity.theme_scheme`` by default).
    The first city (``key`` ``_site``) is this portal's own catalogue.
    """
    tk.check_access("partnercity_compare", context, data_dict)
    data_dict = schema.check("partnercity_compare", data_dict, context)
    partners = tk.get_action("partnercity_partner_list")(dict(context), {})
    lang = data_dict.get("lang") or ui_language()
    return pages.compare(partners, lang, data_dict.get("scheme") or None)


@tk.side_effect_free
def partnercity_related(context: dict, data_dict: dict) -> dict:
    """Partner references that share a shared theme with one of our datasets (``id``),
    the most shared themes first; ``limit`` (default 5) results and the total ``count``;
    ``counterparts``: up to 3 references about the same subject, each with its reasons,
    confirmed ones first; references the team rejected for the dataset appear in neither
    list (docs/counterparts.md)."""
    tk.check_access("partnercity_related", context, data_dict)
    data_dict = schema.check("partnercity_related", data_dict, context)
    pkg = tk.get_action("package_show")(dict(context), {"id": data_dict["id"]})
    limit = max(data_dict.get("limit", 5), 1)
    lang = data_dict.get("lang") or ui_language()
    rejected = counterpart_review.rejected_reference_ids(pkg["id"])
    found = pages.related_references(pkg, limit, rejected)
    labels = themes_store.concept_labels(found["themes"], lang)
    found["themes"] = [
        {"uri": uri, "key": pages.theme_key(uri), "label": labels.get(uri, uri)}
        for uri in found["themes"]
    ]
    found["counterparts"] = pages_counterparts.counterparts(pkg, COUNTERPARTS_SHOWN)
    return found


@tk.side_effect_free
def partnercity_concept_list(context: dict, data_dict: dict) -> list[dict]:
    """The concepts of a scheme (``scheme``, the configured theme scheme by default) with
    their theme key and label in ``lang``, sorted by label: the choices of the mapping review."""
    tk.check_access("partnercity_concept_list", context, data_dict)
    data_dict = schema.check("partnercity_concept_list", data_dict, context)
    lang = data_dict.get("lang") or ui_language()
    return pages.concept_list(data_dict.get("scheme") or None, lang)
