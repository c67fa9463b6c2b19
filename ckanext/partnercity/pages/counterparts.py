"""CKAN side of the counterpart finder (:mod:`ckanext.partnercity.themes.counterparts`).

Gathers one of our datasets and the public partner references as plain dicts, reads the
open-data team's decisions (kept across harvests: keyed by the partner and the partner's own
identifier of its dataset) and returns the ranked counterparts for the "In our partner
cities" block. Nothing is decided here.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.partnercity.model import CounterpartDecision
from ckanext.partnercity.partners.references import DATASET_TYPE
from ckanext.partnercity.themes import counterparts as core

#: References read per page view (the newest first); enough for a twin-city partnership.
CANDIDATES = 300
REFERENCES_FQ = f"+dataset_type:{DATASET_TYPE}"
#: Fields of a reference that choose the language version of its title on the page.
TITLE_FIELDS = ("type", "owner_org", "language", "partner_translations")


def _lang(pkg: dict) -> str:
    """A two-letter code from the dataset's ``language`` (codes, EU authority URIs)."""
    value = pkg.get("language")
    first = value[0] if isinstance(value, list) and value else value
    if not isinstance(first, str) or not first.strip():
        return ""
    code = first.rstrip("/").rsplit("/", 1)[-1].strip().lower()
    return code if len(code) == 2 else ""


def _tags(pkg: dict) -> list[str]:
    names = [t.get("name") for t in pkg.get("tags") or [] if isinstance(t, dict)]
    keywords = pkg.get("partner_keywords") or []
    return [n for n in [*names, *(keywords if isinstance(keywords, list) else [])] if n]


def _item(pkg: dict) -> dict:
    hvd = pkg.get("hvd_category") or []
    return {
        "id": pkg.get("id"),
        "title": pkg.get("title") or "",
        "notes": pkg.get("notes") or "",
        "tags": _tags(pkg),
        "lang": _lang(pkg),
        "hvd_category": hvd if isinstance(hvd, list) else [hvd],
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


def counterparts(pkg: dict, limit: int) -> list[dict]:
    """Counterparts of our dataset ``pkg`` among the public references, best first:
    ``{"reference": {id, name, title, organization, type, owner_org, language,
    partner_translations}, "score", "reasons": [{kind, label}]}``."""
    refs = tk.get_action("package_search")(
        {},
        {
            "fq": REFERENCES_FQ,
            "rows": CANDIDATES,
            "sort": "metadata_modified desc",
            "include_private": False,
        },
    )["results"]
    found = core.rank(_item(pkg), [_item(r) for r in refs], limit, _decisions(pkg["id"], refs))
    by_id = {r["id"]: r for r in refs}
    return [
        {
            "reference": {
                "id": c.id,
                "name": by_id[c.id]["name"],
                "title": by_id[c.id]["title"],
                "organization": by_id[c.id].get("organization"),
                # What h.partnercity_title reads to give the reader's version of the title.
                **{key: by_id[c.id].get(key) for key in TITLE_FIELDS},
            },
            "score": c.score,
            "reasons": [{"kind": r.kind, "label": r.label} for r in c.reasons],
        }
        for c in found
    ]
