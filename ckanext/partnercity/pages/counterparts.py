"""CKAN side of the counterpart finder (:mod:`ckanext.partnercity.themes.counterparts`).

Gathers one of our datasets and the public partner references as plain dicts, reads the
open-data team's decisions (kept across harvests: keyed by the partner and the partner's own
identifier of its dataset) and returns the ranked counterparts for the "In our partner
cities" block. Nothing is decided here.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.partnercity.hvd.fields import partnercity_hvd_category_label
from ckanext.partnercity.language import ui_language
from ckanext.partnercity.model import CounterpartDecision
from ckanext.partnercity.partners.references import DATASET_TYPE
from ckanext.partnercity.partners.titles import language_tag, versions
from ckanext.partnercity.themes import counterparts as core
from ckanext.partnercity.themes import store as themes_store
from ckanext.partnercity.themes.profile_cache import ProfileCache

#: References read per page view (the newest first); enough for a twin-city partnership.
CANDIDATES = 300
REFERENCES_FQ = f"+dataset_type:{DATASET_TYPE}"
#: The references' profiles, kept between page views under id and ``metadata_modified``
#: (a harvest that changes a reference changes its version), one per web worker.
PROFILES = ProfileCache()
#: Fields of a reference that choose the language version of its title on the page.
TITLE_FIELDS = ("type", "owner_org", "language", "partner_translations")


def _lang(pkg: dict) -> str:
    """A two-letter code from the dataset's first ``language`` (codes, EU authority URIs
    such as ``…/language/RON``, locales)."""
    value = pkg.get("language")
    first = value[0] if isinstance(value, list) and value else value
    base = language_tag(first).split("-")[0]
    return base if len(base) == 2 else ""


def _tags(pkg: dict) -> list[str]:
    names = [t.get("name") for t in pkg.get("tags") or [] if isinstance(t, dict)]
    keywords = pkg.get("partner_keywords") or []
    return [n for n in [*names, *(keywords if isinstance(keywords, list) else [])] if n]


def item(pkg: dict) -> dict:
    """A CKAN dataset (ours or a reference) as the core ranker reads it."""
    hvd = pkg.get("hvd_category") or []
    return {
        "id": pkg.get("id"),
        "title": pkg.get("title") or "",
        "notes": pkg.get("notes") or "",
        "tags": _tags(pkg),
        "lang": _lang(pkg),
        "hvd_category": hvd if isinstance(hvd, list) else [hvd],
        "titles": versions(pkg.get("partner_translations")),
        "version": pkg.get("metadata_modified") or "",
    }


def _decisions(dataset_id: str, refs: list[dict]) -> dict[str, str]:
    """Reference id -> decision, for the references a decision names."""
    rows = model.Session.query(CounterpartDecision).filter(
        CounterpartDecision.dataset_id == dataset_id
    )
    by_key = {(r.partner_id, r.partner_identifier): r.decision for r in rows}
    out = {}
    for ref in refs:
        key = (ref.get("owner_org"), ref.get("partner_identifier"))
        if key in by_key:
            out[ref["id"]] = by_key[key]
    return out


def references() -> list[dict]:
    """The newest :data:`CANDIDATES` public, active references, as package_search gives them."""
    return tk.get_action("package_search")(
        {},
        {
            "fq": REFERENCES_FQ,
            "rows": CANDIDATES,
            "sort": "metadata_modified desc",
            "include_private": False,
        },
    )["results"]


def entry(found: core.Counterpart, ref: dict) -> dict:
    """One ranked counterpart as the actions and templates show it."""
    return {
        "reference": {
            "id": found.id,
            "name": ref["name"],
            "title": ref["title"],
            "organization": ref.get("organization"),
            # What h.partnercity_title reads to give the reader's version of the title.
            **{key: ref.get(key) for key in TITLE_FIELDS},
        },
        "score": found.score,
        "reasons": [{"kind": r.kind, "label": _label(r)} for r in found.reasons],
    }


def _label(reason: core.Reason) -> str:
    """A reason's HVD category or theme in the reader's language (the vocabularies have 24),
    else the core's English label; title reasons quote the titles as they are."""
    if not reason.uri:
        return reason.label
    if reason.kind in ("hvd", "hvd-field"):
        return partnercity_hvd_category_label(reason.uri) or reason.label
    return themes_store.concept_labels([reason.uri], ui_language()).get(reason.uri) or reason.label


def counterparts(pkg: dict, limit: int) -> list[dict]:
    """Counterparts of our dataset ``pkg`` among the public references, best first:
    ``{"reference": {id, name, title, organization, type, owner_org, language,
    partner_translations}, "score", "reasons": [{kind, label}]}``."""
    refs = references()
    found = core.rank(
        item(pkg), [item(r) for r in refs], limit, _decisions(pkg["id"], refs), PROFILES
    )
    by_id = {r["id"]: r for r in refs}
    return [entry(c, by_id[c.id]) for c in found]
