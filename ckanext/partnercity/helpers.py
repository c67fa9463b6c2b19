"""Template helpers (also used by scheming's choices_helper)."""

from __future__ import annotations

import functools

import ckan.plugins.toolkit as tk
from markupsafe import Markup

from ckanext.partnercity.harvesters.registry import portal_type_label, portal_types
from ckanext.partnercity.hvd.fields import (
    partnercity_hvd_category_choices,
    partnercity_hvd_category_label,
)
from ckanext.partnercity.lod import schema_org
from ckanext.partnercity.pages.helpers import (
    partnercity_country_name,
    partnercity_dataset_themes,
    partnercity_date,
    partnercity_decimal,
    partnercity_last_checked,
    partnercity_organization_image,
    partnercity_partner_categories,
    partnercity_partner_image,
    partnercity_related,
    partnercity_stylesheet_url,
    partnercity_theme_url,
)
from ckanext.partnercity.pages.plain_text import plain_extract
from ckanext.partnercity.pages.titles import partnercity_title

# What the plugin's tk.blanket.helpers registers: these, the citizen pages' helpers
# and the HVD fields' helpers.
__all__ = [
    "partnercity_portal_type_choices",
    "partnercity_partners",
    "partnercity_hvd_duties",
    "humanize_entity_type",
    "markdown_extract",
    "partnercity_country_name",
    "partnercity_dataset_themes",
    "partnercity_date",
    "partnercity_decimal",
    "partnercity_last_checked",
    "partnercity_organization_image",
    "partnercity_partner_categories",
    "partnercity_partner_image",
    "partnercity_related",
    "partnercity_stylesheet_url",
    "partnercity_theme_url",
    "partnercity_title",
    "partnercity_hvd_category_choices",
    "partnercity_hvd_category_label",
    "partnercity_reference_jsonld",
    "partnercity_city_jsonld",
]


def partnercity_portal_type_choices(field: dict | None = None) -> list[dict]:
    """The partner form's portal-type choices (scheming ``choices_helper``)."""
    return [{"value": name, "label": portal_type_label(name)} for name in sorted(portal_types())]


def partnercity_partners() -> list[dict]:
    return tk.get_action("partnercity_partner_list")({}, {})


# CKAN pluralizes a type label by appending "s": give our types their real plurals.
_PLURALS = {"partner_city": ("Partner citys", "Partner cities")}


@tk.chained_helper
def humanize_entity_type(next_helper, entity_type: str, object_type: str, purpose: str):
    label = next_helper(entity_type, object_type, purpose)
    if object_type in _PLURALS and isinstance(label, str):
        wrong, right = _PLURALS[object_type]
        label = label.replace(wrong, tk._(right)).replace(wrong.lower(), tk._(right).lower())
    return label


@functools.lru_cache(maxsize=4096)
def _markdown_extract(next_helper, text: str, extract_length: int):
    return next_helper(text, extract_length=extract_length)


@tk.chained_helper
def markdown_extract(next_helper, text: str, extract_length: int = 190):
    """CKAN's markdown_extract, answered directly for plain text (plain_text) and remembered
    per text otherwise: every dataset list parses each dataset's notes as Markdown and cleans
    them with bleach again on every request, a third of a partner profile's render time."""
    if not text or not isinstance(text, str) or not isinstance(extract_length, int):
        return next_helper(text, extract_length=extract_length)
    plain = plain_extract(text, extract_length)
    if plain is not None:
        return plain
    return _markdown_extract(next_helper, text, extract_length)


def partnercity_hvd_duties() -> list[dict] | None:
    """Our undeclared datasets that are probably HVD, for the report's section "possibly in
    scope, not declared"; None for a viewer who may not see them (sysadmins and auditors)."""
    try:
        return tk.get_action("partnercity_hvd_duty_list")(
            {"user": tk.current_user.name if tk.current_user else None}, {}
        )
    except tk.NotAuthorized:
        return None


def _site_url() -> str:
    return tk.config.get("ckan.site_url").rstrip("/")


def partnercity_reference_jsonld(pkg: dict) -> Markup:
    """A reference page's schema.org ``Dataset`` (lod/schema_org.py) as a script element."""
    org = (pkg.get("organization") or {}).get("name")
    partner = next(
        (p for p in tk.get_action("partnercity_partner_list")({}, {}) if p["name"] == org), None
    )
    return Markup(schema_org.script_tag(schema_org.reference_page(pkg, partner, _site_url())))


def partnercity_city_jsonld(partner: dict) -> Markup:
    """A partner page's schema.org ``City`` as a script element."""
    return Markup(schema_org.script_tag(schema_org.city_page(partner, _site_url())))
