"""Validators used by the partner_city and partner_dataset scheming schemas."""

from __future__ import annotations

import datetime
import functools
import json
import re
from typing import Any

import ckan.plugins.toolkit as tk
from babel import Locale

from ckanext.partnercity import settings
from ckanext.partnercity.harvesters import sanitize
from ckanext.partnercity.harvesters.registry import portal_types
from ckanext.partnercity.harvesters.urls import PartnerUrlError, check_partner_url
from ckanext.partnercity.hvd.fields import (
    partnercity_hvd_category,
    partnercity_hvd_legislation,
    partnercity_hvd_service_category,
)
from ckanext.partnercity.lod.graph import wikidata_uri

# What the plugin's tk.blanket.validators registers: ours and the HVD fields' validators.
__all__ = [
    "partnercity_country",
    "partnercity_partner_name",
    "partnercity_languages",
    "partnercity_portal_url",
    "partnercity_portal_type",
    "partnercity_source_filter",
    "partnercity_year",
    "partnercity_wikidata",
    "partnercity_http_url",
    "partnercity_cap_text",
    "partnercity_cap_markdown",
    "partnercity_cap_list",
    "partnercity_translations",
    "partnercity_confidence",
    "partnercity_reference_status",
    "partnercity_hvd_category",
    "partnercity_hvd_legislation",
    "partnercity_hvd_service_category",
]

Invalid = tk.Invalid
REFERENCE_STATUSES = ("active", "withdrawn")
# An organization (ckan, opendatasoft) or a publisher's name or URI (dcat): names such as
# "Behörde für Umwelt (BUE), Amt für Umweltschutz" or "Ministère de l'Enseignement". Quotes,
# ";", "<>", "\\" and control characters stay out; harvesters quote the value anyway.
_SOURCE_FILTER = re.compile(r"^[\w.:\-/ '’,()&#?=%+~@;]{1,300}$")


@functools.cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes, from the CLDR data Babel ships (CKAN depends on it)."""
    return frozenset(code for code in Locale("en").territories if re.fullmatch(r"[A-Z]{2}", code))


@functools.cache
def language_codes() -> frozenset[str]:
    return frozenset(code for code in Locale("en").languages if re.fullmatch(r"[a-z]{2}", code))


def partnercity_country(value: Any) -> str:
    code = str(value or "").strip().upper()
    if code not in country_codes():
        raise Invalid(tk._("Not an ISO 3166-1 alpha-2 country code: {}").format(value))
    return code


# Paths that are pages of their own, not a partner's: /partner-cities/compare and /sparql, and
# the admin area's /ckan-admin/partner-cities/new.
RESERVED_PARTNER_NAMES = frozenset({"compare", "new", "sparql"})


def partnercity_partner_name(value: Any) -> Any:
    """A partner called "compare" would never reach its profile page."""
    if str(value or "").strip().lower() in RESERVED_PARTNER_NAMES:
        raise Invalid(
            tk._("{name} is reserved for a page of the portal: choose another URL").format(
                name=value
            )
        )
    return value


def partnercity_languages(key, data, errors, context) -> None:
    """Accept a list or a comma-separated string of ISO 639-1 codes; store a list."""
    value = data.get(key)
    if value is tk.missing or value is None or value == "":
        data[key] = []
        return
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list):
        errors[key].append(tk._("expecting a list of language codes"))
        return
    if not all(isinstance(item, str) for item in items):
        errors[key].append(tk._("expecting a list of language codes"))
        return
    codes = [item.strip().lower() for item in items if item.strip()]
    if items and not codes:  # only blanks: a mistake, not a wish to clear (send [] or "")
        errors[key].append(tk._("expecting a list of language codes"))
        return
    unknown = [code for code in codes if code not in language_codes()]
    if unknown:
        errors[key].append(tk._("Not ISO 639-1 language codes: {}").format(", ".join(unknown)))
        return
    data[key] = list(dict.fromkeys(codes))


def partnercity_portal_url(value: Any) -> str:
    try:
        return check_partner_url(str(value), allow_private=settings.allow_private_urls())
    except PartnerUrlError as exc:
        raise Invalid(str(exc)) from None


def partnercity_portal_type(value: Any) -> str:
    if value not in portal_types():
        raise Invalid(tk._("Unknown portal type: {}").format(value))
    return value


def partnercity_source_filter(value: Any) -> str:
    value = str(value).strip()
    if value and not _SOURCE_FILTER.match(value):
        raise Invalid(tk._("A source filter is an organization name on the partner's portal"))
    return value


def partnercity_year(value: Any) -> int | None:
    if value in ("", None):
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        raise Invalid(tk._("Not a year: {}").format(value)) from None
    if not 1900 <= year <= datetime.date.today().year:
        raise Invalid(tk._("Not a plausible year: {}").format(year))
    return year


def partnercity_wikidata(value: Any) -> str:
    """A partner's Wikidata item, kept as its entity URI (``Q64`` or an item URL in)."""
    if value in ("", None):
        return ""
    uri = wikidata_uri(str(value))
    if uri is None:
        raise Invalid(tk._("Not a Wikidata item (Q…): {}").format(value))
    return uri


def partnercity_http_url(value: Any) -> str:
    if value in ("", None):
        return ""
    url = sanitize.clean_url(value)
    if not url:
        raise Invalid(tk._("Only absolute http(s) URLs are allowed"))
    return url


def partnercity_cap_text(value: Any) -> str:
    return sanitize.clean_text(value, sanitize.TITLE_MAX)


def partnercity_cap_markdown(value: Any) -> str:
    return sanitize.clean_markdown(value)


def partnercity_cap_list(key, data, errors, context) -> None:
    value = data.get(key)
    if value is tk.missing or value is None:
        return
    if isinstance(value, str) and value.startswith("["):
        return  # already stored JSON (scheming round trip)
    data[key] = sanitize.clean_list(value)


def partnercity_translations(value: Any) -> str:
    """Stored as JSON text: a dict (from a harvest) or JSON text (a scheming round trip)."""
    if value is tk.missing or value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise Invalid(tk._("Translations must be a JSON object")) from None
    clean = sanitize.clean_translations(value)
    return json.dumps(clean, ensure_ascii=False, sort_keys=True) if clean else ""


def partnercity_confidence(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise Invalid(tk._("Not a number: {}").format(value)) from None


def partnercity_reference_status(value: Any) -> str:
    if value not in REFERENCE_STATUSES:
        raise Invalid(tk._("Reference status is one of: {}").format(", ".join(REFERENCE_STATUSES)))
    return value
