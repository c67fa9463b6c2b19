"""Template helpers of the citizen pages and the admin area."""

from __future__ import annotations

import datetime
import functools
import hashlib
import logging
from pathlib import Path
from urllib.parse import quote

import ckan.plugins.toolkit as tk
from babel import Locale, UnknownLocaleError

from ckanext.partnercity.language import ui_language
from ckanext.partnercity.pages import data as pages
from ckanext.partnercity.partners import images as partner_images
from ckanext.partnercity.partners import sync
from ckanext.partnercity.partners.references import PARTNER_TYPE
from ckanext.partnercity.themes import mappings as themes_mappings
from ckanext.partnercity.themes import store as themes_store

log = logging.getLogger(__name__)
RELATED_SHOWN = 5


def partnercity_theme_url(uri: str) -> str:
    """The page of a shared theme: ``/themes/ENVI`` for the EU data theme Environment."""
    key = pages.theme_key(uri)
    if key:
        return tk.h.url_for("partnercity_pages.theme_read", key=key)
    return tk.h.url_for("dataset.search") + "?partnercity_theme=" + quote(uri, safe="")


def partnercity_partner_image(partner: dict) -> str | None:
    """The URL of a partner's flag or coat of arms on our portal, or None (never theirs)."""
    return partner_images.public_url(partner)


def partnercity_organization_image(organization: dict) -> str:
    """The image CKAN's organization snippets show: for a partner city our local copy of its
    image or CKAN's placeholder, for any other organization CKAN's own choice."""
    placeholder = tk.h.url_for_static("/base/images/placeholder-organization.png")
    if organization.get("type") == PARTNER_TYPE:
        return partner_images.public_url(organization) or placeholder
    return organization.get("image_display_url") or placeholder


STYLESHEET = "partnercity/partnercity.css"


@functools.lru_cache(maxsize=1)
def _stylesheet_version() -> str:
    """A digest of the stylesheet: browsers may keep it for long and still get a new one."""
    path = Path(__file__).parents[1] / "public" / STYLESHEET
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def partnercity_stylesheet_url() -> str:
    """The extension's stylesheet, served from the portal (no external host)."""
    return f"{tk.h.url_for_static('/' + STYLESHEET)}?v={_stylesheet_version()}"


def partnercity_country_name(code: str | None) -> str:
    """An ISO 3166-1 code as the country's name in the UI language (``RO`` → Rumänien)."""
    if not code:
        return ""
    try:
        locale = Locale.parse(ui_language())
    except (UnknownLocaleError, ValueError, TypeError):
        locale = Locale("en")
    return locale.territories.get(code.upper(), code)


def partnercity_related(pkg: dict) -> dict | None:
    """Partner references sharing a theme with one of our datasets (partnercity_related)."""
    if not pkg or pkg.get("type") == "partner_dataset":
        return None
    try:
        return tk.get_action("partnercity_related")({}, {"id": pkg["id"], "limit": RELATED_SHOWN})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None
    except Exception:  # a broken Solr must not break our own dataset page
        log.exception("partnercity_related failed for %s", pkg.get("id"))
        return None


def partnercity_dataset_themes(pkg: dict) -> list[dict]:
    """The shared themes of a dataset with their labels in the UI language and pages."""
    uris = pages.dataset_themes(pkg)
    labels = themes_store.concept_labels(uris, ui_language())
    out = [{"uri": u, "label": labels.get(u, u), "url": partnercity_theme_url(u)} for u in uris]
    return sorted(out, key=lambda t: t["label"].casefold())


def partnercity_partner_categories(pkg: dict) -> list[str]:
    return themes_mappings.as_list(pkg.get("partner_categories"))


def partnercity_last_checked(pkg: dict) -> str | None:
    """When the partner's catalogue was last read completely and without errors (ISO)."""
    owner = pkg.get("owner_org")
    run = sync.last_success(owner) if owner else None
    return run.finished_at.isoformat() if run and run.finished_at else None


def partnercity_date(value: str | None, with_hours: bool = False) -> str:
    """An ISO timestamp rendered like CKAN renders dates, empty when missing."""
    if not value:
        return ""
    try:
        moment = datetime.datetime.fromisoformat(str(value).replace("Z", ""))
    except ValueError:
        return str(value)
    return tk.h.render_datetime(moment, with_hours=with_hours)


def partnercity_decimal(value: float | None, digits: int = 2) -> str:
    """A number with ``digits`` decimals in the UI language's notation (0,26 in German)."""
    if value is None:
        return ""
    from flask_babel import format_decimal

    pattern = "#,##0." + "0" * digits if digits > 0 else "#,##0"
    try:
        return format_decimal(value, format=pattern)
    except (RuntimeError, KeyError, AttributeError):  # outside a request
        return f"{value:.{max(digits, 0)}f}"
