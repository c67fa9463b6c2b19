"""Shared themes in CKAN: schemes and concepts in the database, mappings of categories, apply.

The SKOS parsing, suggesting and export are core (ckanext.partnercity.themes);
this module stores their results and turns mappings into theme URIs per dataset.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
import unicodedata
from collections.abc import Iterable

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.partnercity import compat, settings
from ckanext.partnercity.harvesters.urls import is_http_url
from ckanext.partnercity.model import Concept, Mapping, Scheme
from ckanext.partnercity.pages import cache as page_cache
from ckanext.partnercity.partners.references import DATASET_TYPE
from ckanext.partnercity.themes import calibration, skos
from ckanext.partnercity.themes.suggest import Suggester

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
    """Report theme facets under their public name, labelled in the UI language."""
    facets = search_results.get("facets") or {}
    search_facets = search_results.get("search_facets") or {}
    for public, index_field in _ALIASES.items():
        if index_field in facets:
            facets[public] = facets.pop(index_field)
        if index_field in search_facets:
            entry = search_facets.pop(index_field)
            labels = concept_labels((item["name"] for item in entry.get("items", [])), tk_lang())
            for item in entry.get("items", []):
                item["display_name"] = labels.get(item["name"], item["name"])
            search_facets[public] = dict(entry, title=public)
    return search_results


# Schemes and concepts


def store_scheme(scheme: skos.Scheme, source: str) -> dict:
    """Insert or replace one scheme and its concepts; returns a short summary."""
    model.Session.query(Concept).filter(Concept.scheme_uri == scheme.uri).delete()
    model.Session.merge(
        Scheme(
            uri=scheme.uri,
            titles=dict(scheme.titles),
            source=source,
            loaded_at=datetime.datetime.utcnow(),
        )
    )
    model.Session.flush()
    for concept in scheme.concepts:
        model.Session.merge(
            Concept(
                uri=concept.uri,
                scheme_uri=scheme.uri,
                notation=concept.notation,
                pref_labels=dict(concept.pref_labels),
                alt_labels={k: list(v) for k, v in concept.alt_labels.items()},
                broader=list(concept.broader),
                narrower=list(concept.narrower),
            )
        )
    model.Session.commit()
    _suggester.cache_clear()
    page_cache.bump("scheme loaded")
    return {"uri": scheme.uri, "titles": dict(scheme.titles), "concepts": len(scheme.concepts)}


def load_bundled() -> list[dict]:
    return [store_scheme(scheme, "bundled") for scheme in skos.bundled_schemes()]


def ensure_bundled() -> None:
    """Load the bundled vocabularies the first time they are needed."""
    if model.Session.query(Scheme.uri).filter(Scheme.source == "bundled").first() is None:
        load_bundled()


def scheme_list() -> list[dict]:
    counts = dict(
        model.Session.query(Concept.scheme_uri, sa.func.count(Concept.uri)).group_by(
            Concept.scheme_uri
        )
    )
    return [
        {
            "uri": scheme.uri,
            "titles": scheme.titles,
            "source": scheme.source,
            "concepts": counts.get(scheme.uri, 0),
            "loaded_at": scheme.loaded_at.isoformat(),
        }
        for scheme in model.Session.query(Scheme).order_by(Scheme.uri)
    ]


def concept_dict(concept: Concept, lang: str) -> dict:
    return {
        "uri": concept.uri,
        "scheme": concept.scheme_uri,
        "notation": concept.notation,
        "label": concept.label(lang),
        "pref_labels": concept.pref_labels,
        "alt_labels": concept.alt_labels,
        "broader": concept.broader,
        "narrower": concept.narrower,
    }


@functools.lru_cache(maxsize=1)
def _suggester() -> Suggester:
    concepts = [
        skos.Concept(
            uri=row.uri,
            scheme_uri=row.scheme_uri,
            notation=row.notation,
            pref_labels=row.pref_labels,
            alt_labels=row.alt_labels,
            broader=row.broader,
            narrower=row.narrower,
        )
        for row in model.Session.query(Concept)
    ]
    # Confidences of suggestions that do not rest on a published whole label are
    # measured on the bundled alignments (themes.calibration; about a second, once).
    return Suggester(concepts, skos.bundled_alignments(), calibration=calibration.bundled())


def suggester() -> Suggester:
    return _suggester()


def concept_labels(uris: Iterable[str], lang: str) -> dict[str, str]:
    uris = list(set(uris))
    if not uris:
        return {}
    rows = model.Session.query(Concept).filter(Concept.uri.in_(uris))
    return {row.uri: row.label(lang) for row in rows}


# Mappings


def default_scheme() -> str:
    return settings.theme_scheme()


def _partner_key(partner_id: str | None):
    return Mapping.partner_id.is_(None) if partner_id is None else Mapping.partner_id == partner_id


def refresh_mappings(partner_id: str | None, categories: dict[str, str]) -> dict[str, int]:
    """Give every category its source/alignment/suggested mappings; decisions are kept.

    ``categories`` maps a local category to its language. Existing non-decided
    mappings of these categories are recomputed (the vocabularies may have changed).
    """
    ensure_bundled()
    known = {uri for (uri,) in model.Session.query(Concept.uri)}
    scheme = default_scheme()
    counts = {"source": 0, "alignment": 0, "suggested": 0, "unmapped": 0}
    decided = {
        category
        for (category,) in model.Session.query(Mapping.category)
        .filter(_partner_key(partner_id), Mapping.origin == "decided")
        .distinct()
    }
    for category, lang in categories.items():
        if category in decided:
            continue
        model.Session.query(Mapping).filter(
            _partner_key(partner_id), Mapping.category == category, Mapping.origin != "decided"
        ).delete(synchronize_session=False)
        found = _mappings_for(category, lang, known, scheme)
        if not found:
            counts["unmapped"] += 1
        for origin, concept, relation, confidence in found:
            counts[origin] += 1
            model.Session.add(
                Mapping(
                    partner_id=partner_id,
                    category=category,
                    lang=lang or "",
                    concept_uri=concept,
                    relation=relation,
                    origin=origin,
                    confidence=confidence,
                )
            )
    model.Session.commit()
    page_cache.bump("mappings refreshed")
    return counts


def _mappings_for(category: str, lang: str, known: set[str], scheme: str) -> list[tuple]:
    if category in known:
        return [("source", category, "exactMatch", 1.0)]
    out = []
    for suggestion in suggester().suggest(category, lang or None, scheme=scheme):
        origin = "alignment" if getattr(suggestion, "origin", "") == "alignment" else "suggested"
        out.append((origin, suggestion.concept, suggestion.relation, suggestion.confidence))
    return out


def find_mapping(partner_id: str | None, category: str, concept: str | None) -> Mapping | None:
    return (
        model.Session.query(Mapping)
        .filter(
            _partner_key(partner_id), Mapping.category == category, Mapping.concept_uri == concept
        )
        .first()
    )


def mapped_categories(partner_id: str | None) -> list[str]:
    """Categories that already went through mapping (whatever the outcome)."""
    rows = model.Session.query(Mapping.category).filter(_partner_key(partner_id)).distinct()
    return [category for (category,) in rows]


def applied_themes(partner_id: str | None, categories: Iterable[str]) -> list[str]:
    """Theme URIs a dataset with these categories gets: applied origins and confident guesses."""
    categories = [c for c in categories if c]
    if not categories:
        return []
    threshold = settings.auto_apply_confidence()
    rows = model.Session.query(Mapping.concept_uri).filter(
        _partner_key(partner_id),
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
        return pkg_dict.get("owner_org"), _as_list(pkg_dict.get("partner_categories"))
    # At index time CKAN has already reduced groups and tags to their names.
    names = [
        item.get("name") if isinstance(item, dict) else item
        for key in ("groups", "tags")
        for item in pkg_dict.get(key) or []
    ]
    return None, [name for name in names if isinstance(name, str) and name]


def _as_list(value) -> list[str]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def category_uri(base: str, category: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", category).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "category"
    return f"{base}/{slug}"


def affected_dataset_ids(partner_id: str | None, category: str) -> list[str]:
    """Datasets whose themes change when this category's mappings change."""
    if partner_id is not None:
        rows = model.Session.execute(_partner_category_rows(partner_id))
        return [row.id for row in rows if category in _as_list(row.partner_categories)]
    ids = set()
    group = model.Group.get(category)
    if group is not None:
        ids |= {p.id for p in group.packages()}
    tag = model.Tag.by_name(category)
    if tag is not None:
        ids |= {p.id for p in tag.packages}
    return sorted(ids)


BACKGROUND_REINDEX_OVER = 50


def reindex(ids: list[str]) -> None:
    from ckan.lib.search import commit, rebuild

    for package_id in ids:
        rebuild(package_id, defer_commit=True)
    commit()
    page_cache.bump("themes re-indexed")


def apply(ids: list[str]) -> None:
    """Re-index datasets whose themes changed: now when few, as a job when many."""
    if len(ids) > BACKGROUND_REINDEX_OVER:
        tk.enqueue_job("ckanext.partnercity.jobs.reindex_themes", [ids], title="partnercity themes")
    elif ids:
        reindex(ids)


def now() -> datetime.datetime:
    return datetime.datetime.utcnow()


def partner_categories(partner_id: str) -> list[str]:
    """Distinct local categories of a partner's active references."""
    found: set[str] = set()
    for row in model.Session.execute(_partner_category_rows(partner_id)):
        found.update(_as_list(row.partner_categories))
    return sorted(found)


def _partner_category_rows(partner_id: str):
    pkg = model.package_table
    return compat.extras_select(
        ("partner_categories",),
        pkg.c.owner_org == partner_id,
        pkg.c.type == DATASET_TYPE,
        pkg.c.state == "active",
    )


def own_categories() -> list[str]:
    """Our own portal's groups and tags that our datasets use."""
    groups = model.Session.query(model.Group.name).filter(
        model.Group.is_organization.is_(False), model.Group.state == "active"
    )
    tags = (
        model.Session.query(model.Tag.name)
        .join(model.PackageTag, model.PackageTag.tag_id == model.Tag.id)
        .join(model.Package, model.Package.id == model.PackageTag.package_id)
        .filter(model.Package.type != DATASET_TYPE, model.PackageTag.state == "active")
        .distinct()
    )
    return sorted({name for (name,) in groups} | {name for (name,) in tags})


def unmapped(partner_id: str | None, partner_given: bool) -> list[dict]:
    """Categories with no mapping at all (rejected ones count as unmapped)."""
    if partner_given:
        owners: list[str | None] = [partner_id]
    else:
        owners = [None] + [
            org_id
            for (org_id,) in model.Session.query(model.Group.id).filter(
                model.Group.type == "partner_city", model.Group.state == "active"
            )
        ]
    out = []
    for owner in owners:
        categories = own_categories() if owner is None else partner_categories(owner)
        mapped = {
            category
            for (category,) in model.Session.query(Mapping.category).filter(
                _partner_key(owner), Mapping.rejected.is_(False)
            )
        }
        out += [{"partner_id": owner, "category": c} for c in categories if c not in mapped]
    return out


def export_graph():
    """All current (not rejected) mappings as SKOS, one concept scheme per partner."""
    from ckanext.partnercity.themes.export import LocalConcept, LocalScheme, mappings_graph

    site = tk.config.get("ckan.site_url").rstrip("/")
    partners = {
        org.id: org
        for org in model.Session.query(model.Group).filter(model.Group.type == "partner_city")
    }
    grouped: dict[str | None, dict[str, LocalConcept]] = {}
    rows = (
        model.Session.query(Mapping)
        .filter(Mapping.rejected.is_(False))
        .order_by(Mapping.category, Mapping.concept_uri)
    )
    for row in rows:
        owner = partners.get(row.partner_id)
        base = f"{site}/partner-cities/{owner.name if owner else '_site'}/categories"
        concepts = grouped.setdefault(row.partner_id, {})
        concept = concepts.setdefault(
            row.category,
            LocalConcept(
                uri=category_uri(base, row.category), label=row.category, lang=row.lang, mappings=[]
            ),
        )
        concept.mappings.append((row.relation, row.concept_uri))
    schemes = []
    for owner_id, concepts in grouped.items():
        owner = partners.get(owner_id)
        name = owner.name if owner else "_site"
        title = owner.title if owner else tk.config.get("ckan.site_title")
        uri = f"{site}/partner-cities/{name}/categories"
        schemes.append(LocalScheme(uri=uri, title=title, concepts=list(concepts.values())))
    return mappings_graph(schemes)


def tk_lang() -> str:
    try:
        return tk.h.lang() or "en"
    except (RuntimeError, AttributeError, TypeError):
        return "en"


def hvd_categories(pkg_dict: dict) -> list[str]:
    """The dataset's HVD category URIs as stored (an extra holding a JSON list at index time)."""
    value = pkg_dict.get("hvd_category")
    if value is None:
        for extra in pkg_dict.get("extras") or []:
            if isinstance(extra, dict) and extra.get("key") == "hvd_category":
                value = extra.get("value")
    return [uri for uri in _as_list(value) if is_http_url(uri)]
