"""What the citizen pages and the admin area need beyond the existing actions.

Readable theme keys (``ENVI`` for the EU data theme ``…/data-theme/ENVI``), the
theme × city matrix and the references that share a dataset's themes. The page
views only call actions; the actions call these functions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.partnercity.harvesters.csv_safe import csv_text
from ckanext.partnercity.model import Concept
from ckanext.partnercity.partners.references import DATASET_TYPE
from ckanext.partnercity.themes import index as themes_index
from ckanext.partnercity.themes import store as themes_store

OWN_KEY = "_site"
OWN_FQ = f"-dataset_type:{DATASET_TYPE}"
REFERENCES_FQ = f"+dataset_type:{DATASET_TYPE}"
_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


# Theme keys


def theme_key(uri: str) -> str:
    """The last segment of a concept URI: ``ENVI`` for the EU data theme Environment."""
    tail = re.split(r"[/#]", (uri or "").rstrip("/#"))[-1]
    return tail if _KEY_RE.match(tail) else ""


def concept_for_key(key: str) -> Concept | None:
    """The concept a theme key names; the configured scheme wins over the others."""
    if not key or not _KEY_RE.match(key):
        return None
    candidates = (
        model.Session.query(Concept)
        .filter(Concept.uri.like(f"%/{_like_escape(key)}", escape="\\"))
        .all()
    )
    candidates += (
        model.Session.query(Concept)
        .filter(Concept.uri.like(f"%#{_like_escape(key)}", escape="\\"))
        .all()
    )
    if not candidates:
        return None
    scheme = themes_store.default_scheme()
    candidates.sort(key=lambda c: (c.scheme_uri != scheme, c.uri))
    return candidates[0]


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def concept_list(scheme: str | None, lang: str) -> list[dict]:
    scheme = scheme or themes_store.default_scheme()
    rows = model.Session.query(Concept).filter(Concept.scheme_uri == scheme)
    out = [
        {"uri": c.uri, "key": theme_key(c.uri), "notation": c.notation, "label": c.label(lang)}
        for c in rows
    ]
    return sorted(out, key=lambda c: c["label"].casefold())


# Searches


def _search(fq: str, **extra) -> dict:
    """package_search as the current user sees it (public datasets, active references)."""
    data = {"fq": fq, "rows": 0, "include_private": False, **extra}
    return tk.get_action("package_search")({}, data)


def _theme_facets(fq: str) -> tuple[int, dict[str, int]]:
    result = _search(
        fq, **{"facet.field": [themes_index.THEME_FIELD], "facet.limit": -1, "facet.mincount": 1}
    )
    return result["count"], dict(result["facets"].get(themes_index.THEME_FIELD, {}))


def site_title() -> str:
    return tk.config.get("ckan.site_title") or "CKAN"


def compare(partners: list[dict], lang: str, scheme: str | None = None) -> dict:
    """Shared themes × cities: the number of datasets of each city filed under each theme."""
    scheme = scheme or themes_store.default_scheme()
    concepts = model.Session.query(Concept).filter(Concept.scheme_uri == scheme).all()
    columns = [{"key": OWN_KEY, "name": None, "title": site_title(), "country": None, "own": True}]
    columns += [
        {
            "key": partner["name"],
            "name": partner["name"],
            "title": partner.get("title") or partner["name"],
            "country": partner.get("country"),
            "own": False,
        }
        for partner in sorted(partners, key=lambda p: (p.get("title") or p["name"]).lower())
    ]
    counts: dict[str, dict[str, int]] = {}
    for column in columns:
        fq = OWN_FQ if column["own"] else f'{REFERENCES_FQ} +organization:"{column["name"]}"'
        column["total"], counts[column["key"]] = _theme_facets(fq)
    themes = []
    for concept in concepts:
        row = {column["key"]: counts[column["key"]].get(concept.uri, 0) for column in columns}
        themes.append(
            {
                "uri": concept.uri,
                "key": theme_key(concept.uri),
                "notation": concept.notation,
                "label": concept.label(lang),
                "counts": row,
                "total": sum(row.values()),
                "cities": sum(1 for n in row.values() if n),
            }
        )
    themes.sort(key=lambda t: t["label"].casefold())
    return {"scheme": scheme, "lang": lang, "cities": columns, "themes": themes}


def compare_csv(matrix: dict) -> str:
    """The matrix as CSV: one row per theme, one column per city (ours first); partner
    titles and labels are formula-safe cells."""
    cities = matrix["cities"]
    header = ["theme_uri", "theme", *[c["title"] for c in cities]]
    rows = (
        [theme["uri"], theme["label"], *[theme["counts"][c["key"]] for c in cities]]
        for theme in matrix["themes"]
    )
    return csv_text([header, *rows])


def dataset_themes(pkg_dict: dict) -> list[str]:
    """Theme URIs a dataset carries (what the indexer gives it)."""
    partner_id, categories = themes_index.dataset_categories(pkg_dict)
    return themes_index.applied_themes(partner_id, categories)


def related_references(pkg_dict: dict, limit: int, exclude: Sequence[str] = ()) -> dict:
    """Partner references sharing the dataset's themes, the most shared themes first;
    ``exclude``: reference ids left out (the team rejected them for this dataset)."""
    themes = dataset_themes(pkg_dict)
    if not themes:
        return {"themes": [], "count": 0, "results": []}
    # Constant scores (^=1): a reference's score is the number of themes it shares.
    q = " OR ".join(f'{themes_index.INDEX_FIELD}:"{uri}"^=1' for uri in themes)
    result = tk.get_action("package_search")(
        {},
        {
            "q": q,
            "fq": REFERENCES_FQ + _without(exclude),
            "rows": limit,
            "sort": "score desc, metadata_modified desc",
            "include_private": False,
        },
    )
    return {"themes": themes, "count": result["count"], "results": result["results"]}


def _without(ids: Sequence[str]) -> str:
    """A filter leaving out package ids (UUIDs from our database; quoted all the same)."""
    quoted = [f'"{i}"' for i in ids if i and '"' not in i and "\\" not in i]
    return f" -id:({' OR '.join(quoted)})" if quoted else ""
