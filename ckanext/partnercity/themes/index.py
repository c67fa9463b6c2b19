"""What goes into and out of the search index for shared themes and HVD categories.

Solr holds theme and HVD URIs in CKAN's multi-valued ``vocab_*`` fields; queries, facets and
results use the public names (``partnercity_theme``, ``partnercity_hvd_category``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import sqlalchemy as sa
from ckan import model

from ckanext.partnercity import settings
from ckanext.partnercity.harvesters.urls import is_http_url
from ckanext.partnercity.language import ui_language
from ckanext.partnercity.model import Mapping
from ckanext.partnercity.partners.references import DATASET_TYPE
from ckanext.partnercity.themes import store
from ckanext.partnercity.themes.mappings import as_list, partner_key

APPLIED_ORIGINS = ("source", "alignment", "decided")
THEME_FIELD = "partnercity_theme"
INDEX_FIELD = "vocab_partnercity_theme"  # CKAN's schema: vocab_* is a multi-valued string


HVD_FIELD = "partnercity_hvd_category"  # HVD category URIs (as published), for facets
HVD_INDEX_FIELD = "vocab_partnercity_hvd_category"
_ALIASES = {THEME_FIELD: INDEX_FIELD, HVD_FIELD: HVD_INDEX_FIELD}


def to_index_field(text: str) -> str:
    """``partnercity_theme`` or ``partnercity_hvd_category`` in a query or facet -> index field."""
    if not text:
        return text
    return re.sub(rf"(?<![\w])({THEME_FIELD}|{HVD_FIELD})\b", lambda m: _ALIASES[m.group(1)], text)


def label_theme_facets(search_results: dict) -> dict:
    """Report theme facets under their public name, labelled in the UI language.

    The shared-theme facet people read lists the concepts of the configured theme scheme
    only: a dataset with an HVD category is also indexed under the HVD concept itself
    (mapping origin ``source``), which has a facet of its own (``partnercity_hvd_category``)
    and would otherwise stand among the themes twice ("Mobility" next to "Transport").
    The raw ``facets`` keep every concept.
    """
    facets = search_results.get("facets") or {}
    search_facets = search_results.get("search_facets") or {}
    for public, index_field in _ALIASES.items():
        if index_field in facets:
            facets[public] = facets.pop(index_field)
        if index_field in search_facets:
            entry = search_facets.pop(index_field)
            items = entry.get("items", [])
            names = [item["name"] for item in items]
            if public == THEME_FIELD:
                themes = store.concepts_in_scheme(names, store.default_scheme())
                items = [item for item in items if item["name"] in themes]
            labels = store.concept_labels(names, ui_language())
            for item in items:
                item["display_name"] = labels.get(item["name"], item["name"])
            search_facets[public] = dict(entry, items=items, title=public)
    return search_results


def applied_themes(partner_id: str | None, categories: Iterable[str]) -> list[str]:
    """Theme URIs a dataset with these categories gets: applied origins and confident guesses."""
    categories = [c for c in categories if c]
    if not categories:
        return []
    threshold = settings.auto_apply_confidence()
    rows = model.Session.query(Mapping.concept_uri).filter(
        partner_key(partner_id),
        Mapping.category.in_(categories),
        Mapping.rejected.is_(False),
        sa.or_(
            Mapping.origin.in_(APPLIED_ORIGINS),
            sa.and_(Mapping.origin == "suggested", Mapping.confidence >= threshold),
        ),
    )
    return sorted({uri for (uri,) in rows})


def dataset_categories(pkg_dict: dict) -> tuple[str | None, list[str]]:
    """(partner id or None for ours, the dataset's local categories)."""
    if pkg_dict.get("type") == DATASET_TYPE:
        # The partner's category labels and the HVD categories it declares.
        categories = as_list(_field_value(pkg_dict, "partner_categories"))
        return pkg_dict.get("owner_org"), list(dict.fromkeys(categories + hvd_categories(pkg_dict)))
    # At index time CKAN has already reduced groups and tags to their names.
    names = [
        item.get("name") if isinstance(item, dict) else item
        for key in ("groups", "tags")
        for item in pkg_dict.get(key) or []
    ]
    # What the dataset says of itself in DCAT terms is a category too: its dcat:theme
    # concepts and its HVD categories (mapped onto the shared themes like any other).
    names += dcat_themes(pkg_dict) + hvd_categories(pkg_dict)
    return None, list(dict.fromkeys(n for n in names if isinstance(n, str) and n))


def _field_list(pkg_dict: dict, key: str) -> list[str]:
    """A list field of a dataset: a list in package_show, an extra with a JSON list at
    index time."""
    return as_list(_field_value(pkg_dict, key))


def _field_value(pkg_dict: dict, key: str):
    """A field of a dataset, or the extra of that name (where it is at index time)."""
    value = pkg_dict.get(key)
    if value is None:
        for extra in pkg_dict.get("extras") or []:
            if isinstance(extra, dict) and extra.get("key") == key:
                value = extra.get("value")
    return value


def hvd_categories(pkg_dict: dict) -> list[str]:
    """The dataset's HVD category URIs as stored (an extra holding a JSON list at index time)."""
    return [uri for uri in _field_list(pkg_dict, "hvd_category") if is_http_url(uri)]


def dcat_themes(pkg_dict: dict) -> list[str]:
    """The dataset's DCAT themes (ckanext-dcat's ``theme``: concept URIs, or labels)."""
    return [theme.strip() for theme in _field_list(pkg_dict, "theme") if theme.strip()]
