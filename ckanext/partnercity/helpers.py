"""Template helpers (also used by scheming's choices_helper)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.partnercity.harvesters.base import HARVESTERS

PORTAL_TYPE_LABELS = {
    "ckan": "CKAN Action API",
    "dcat": "DCAT-AP catalogue (Turtle, RDF/XML, JSON-LD)",
    "opendatasoft": "Opendatasoft Explore API v2.1",
}


def partnercity_portal_type_choices(field: dict | None = None) -> list[dict]:
    from ckanext.partnercity.harvesters import portal_types  # noqa: F401  (registers them)

    return [
        {"value": name, "label": PORTAL_TYPE_LABELS.get(name, name)} for name in sorted(HARVESTERS)
    ]


def partnercity_partners() -> list[dict]:
    return tk.get_action("partnercity_partner_list")({}, {})


def get_helpers() -> dict:
    return {
        "partnercity_portal_type_choices": partnercity_portal_type_choices,
        "partnercity_partners": partnercity_partners,
    }
