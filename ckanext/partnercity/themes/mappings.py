"""Mappings of local categories onto shared concepts: computing, deciding, applying them.

A mapping row belongs to a partner (or to our own portal, ``partner_id`` None); decided
rows survive every refresh. Applying means re-indexing the datasets whose themes change.
"""

from __future__ import annotations

from collections.abc import Callable

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from slugify import slugify

from ckanext.partnercity.compat import ckan as compat
from ckanext.partnercity.harvesters.values import json_list
from ckanext.partnercity.model import Concept, Mapping
from ckanext.partnercity.pages import cache as page_cache
from ckanext.partnercity.partners.references import DATASET_TYPE
from ckanext.partnercity.themes import store
from ckanext.partnercity.themes.skos.hvd_themes import bundled_hvd_themes
from ckanext.partnercity.themes.suggest.suggester import Suggester


def partner_key(partner_id: str | None):
    return Mapping.partner_id.is_(None) if partner_id is None else Mapping.partner_id == partner_id


def refresh_mappings(
    partner_id: str | None, categories: dict[str, str], *, commit: bool = True
) -> dict[str, int]:
    """Give every category its source/alignment/suggested mappings; decisions are kept.

    ``categories`` maps a local category to its language. Existing non-decided
    mappings of these categories are recomputed (the vocabularies may have changed).
    ``commit=False`` only flushes: the caller's transaction (a dataset being written)
    commits the mappings together with what it writes.
    """
    store.ensure_bundled()
    known = {uri for (uri,) in model.Session.query(Concept.uri)}
    suggester = store.suggester  # built (about a second, once) only when a label needs it
    scheme = store.default_scheme()
    counts = {"source": 0, "alignment": 0, "suggested": 0, "unmapped": 0}
    decided = {
        category
        for (category,) in model.Session.query(Mapping.category)
        .filter(partner_key(partner_id), Mapping.origin == "decided")
        .distinct()
    }
    for category, lang in categories.items():
        if category in decided:
            continue
        model.Session.query(Mapping).filter(
            partner_key(partner_id), Mapping.category == category, Mapping.origin != "decided"
        ).delete(synchronize_session=False)
        found = _mappings_for(suggester, category, lang, known, scheme)
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
    if commit:
        model.Session.commit()
    else:
        model.Session.flush()
    page_cache.bump("mappings refreshed")
    return counts


def _mappings_for(
    suggester: Callable[[], Suggester], category: str, lang: str, known: set[str], scheme: str
) -> list[tuple]:
    # An HVD category reaches the shared themes through the bundled HVD-category → EU
    # data-theme alignment (themes.skos.hvd_themes), besides being a concept itself.
    aligned = [
        ("alignment", theme, relation, 1.0)
        for relation, theme in bundled_hvd_themes().themes_for(category)
        if theme in known
    ]
    if category in known:
        return [("source", category, "exactMatch", 1.0), *aligned]
    if aligned:
        return aligned
    out = []
    for suggestion in suggester().suggest(category, lang or None, scheme=scheme):
        origin = "alignment" if getattr(suggestion, "origin", "") == "alignment" else "suggested"
        out.append((origin, suggestion.concept, suggestion.relation, suggestion.confidence))
    return out


def find_mapping(partner_id: str | None, category: str, concept: str | None) -> Mapping | None:
    return (
        model.Session.query(Mapping)
        .filter(
            partner_key(partner_id), Mapping.category == category, Mapping.concept_uri == concept
        )
        .first()
    )


def mapped_categories(partner_id: str | None) -> list[str]:
    """Categories that already went through mapping (whatever the outcome)."""
    rows = model.Session.query(Mapping.category).filter(partner_key(partner_id)).distinct()
    return [category for (category,) in rows]


def as_list(value) -> list[str]:
    """A JSON list held in an extra (``partner_categories``) as a list of strings."""
    return [str(v) for v in json_list(value)]


def category_uri(base: str, category: str) -> str:
    """The SKOS URI of a local category: its label transliterated (Cyrillic and Greek
    categories too, which an ASCII-only slug would all have named "category")."""
    return f"{base}/{slugify(category) or 'category'}"


def affected_dataset_ids(partner_id: str | None, category: str) -> list[str]:
    """Datasets whose themes change when this category's mappings change."""
    if partner_id is not None:
        rows = model.Session.execute(_partner_category_rows(partner_id))
        return [row.id for row in rows if category in reference_categories(row)]
    ids = set()
    group = model.Group.get(category)
    if group is not None:
        ids |= {p.id for p in group.packages()}
    tag = model.Tag.by_name(category)
    if tag is not None:
        ids |= {p.id for p in tag.packages}
    ids |= {
        row.id
        for row in model.Session.execute(_own_concept_rows())
        if category in own_concepts(row)
    }
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


#: Fields of a partner's references whose values are that partner's categories: its own
#: category labels and the HVD categories (IRIs) it declares, which reach the shared themes
#: through the bundled HVD-category → EU data-theme alignment like our own datasets' do.
REFERENCE_CATEGORY_FIELDS = ("partner_categories", "hvd_category")


def reference_categories(row) -> list[str]:
    """A reference's categories: an extras row of :func:`_partner_category_rows` or a
    package dict (lists, or JSON lists as extras hold them); HVD categories only as IRIs."""
    get = row.get if isinstance(row, dict) else lambda key: getattr(row, key, None)
    labels = as_list(get("partner_categories"))
    hvd = [uri for uri in as_list(get("hvd_category")) if uri.startswith(("http://", "https://"))]
    return list(dict.fromkeys(labels + hvd))


def partner_categories(partner_id: str) -> list[str]:
    """Distinct local categories of a partner's active references."""
    found: set[str] = set()
    for row in model.Session.execute(_partner_category_rows(partner_id)):
        found.update(reference_categories(row))
    return sorted(found)


def _partner_category_rows(partner_id: str):
    pkg = model.package_table
    return compat.extras_select(
        REFERENCE_CATEGORY_FIELDS,
        pkg.c.owner_org == partner_id,
        pkg.c.type == DATASET_TYPE,
        pkg.c.state == "active",
    )


def own_categories(public_only: bool = False) -> list[str]:
    """Our own portal's groups and tags that our datasets use (``public_only``: tags of
    public, active datasets only, for lists anyone may read)."""
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
    if public_only:
        tags = tags.filter(model.Package.private.is_(False), model.Package.state == "active")
    found = {name for (name,) in groups} | {name for (name,) in tags}
    for row in model.Session.execute(_own_concept_rows(public_only)):
        found.update(own_concepts(row))
    return sorted(found)


#: Fields of our own datasets whose values are categories too (concept URIs as a rule).
OWN_CONCEPT_FIELDS = ("theme", "hvd_category")


def own_concepts(row) -> list[str]:
    """The DCAT themes and HVD categories held by one row of :func:`_own_concept_rows`."""
    return [value for key in OWN_CONCEPT_FIELDS for value in as_list(getattr(row, key))]


def _own_concept_rows(public_only: bool = False):
    pkg = model.package_table
    where = [pkg.c.type != DATASET_TYPE, pkg.c.state == "active"]
    if public_only:
        where.append(pkg.c.private.is_(False))
    return compat.extras_select(OWN_CONCEPT_FIELDS, *where)


def map_new_own_categories(categories: list[str]) -> dict[str, int] | None:
    """Map those of one of our datasets' categories that never went through mapping.

    Called when a dataset of ours is created or updated, before it is indexed, so a new
    tag, DCAT theme or HVD category is on its shared themes at once (the same origins,
    auto-apply level and review as a partner's categories after a harvest).
    """
    new = sorted(set(categories) - set(mapped_categories(None)))
    if not new or not store.bundled_present():  # a dataset write never loads vocabularies
        return None
    lang = tk.config.get("ckan.locale_default", "en")
    return refresh_mappings(None, dict.fromkeys(new, lang), commit=False)


def unmapped(partner_id: str | None, partner_given: bool, public_only: bool = True) -> list[dict]:
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
        categories = own_categories(public_only) if owner is None else partner_categories(owner)
        mapped = {
            category
            for (category,) in model.Session.query(Mapping.category).filter(
                partner_key(owner), Mapping.rejected.is_(False)
            )
        }
        out += [{"partner_id": owner, "category": c} for c in categories if c not in mapped]
    return out


def current():
    """Mapping rows of our own categories and of partners that still exist."""
    return (
        model.Session.query(Mapping)
        .outerjoin(model.Group, model.Group.id == Mapping.partner_id)
        .filter(sa.or_(Mapping.partner_id.is_(None), model.Group.state == "active"))
    )


def forget_partner(partner_id: str) -> int:
    """A deleted partner's mappings go with it (committed by the caller's transaction)."""
    return (
        model.Session.query(Mapping)
        .filter(Mapping.partner_id == partner_id)
        .delete(synchronize_session=False)
    )


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
        current()
        .filter(Mapping.rejected.is_(False))
        .order_by(Mapping.category, Mapping.concept_uri)
        .all()
    )
    # A category that is itself a concept (an HVD category, a DCAT theme): its label, and
    # an exactMatch to it, rather than the bare IRI as a label.
    known = store.concept_labels({r.category for r in rows if "://" in r.category}, "en")
    for row in rows:
        owner = partners.get(row.partner_id)
        base = f"{site}/partner-cities/{owner.name if owner else '_site'}/categories"
        concepts = grouped.setdefault(row.partner_id, {})
        concept = concepts.get(row.category)
        if concept is None:
            label = known.get(row.category)
            label = label if label and label != row.category else None
            concept = concepts[row.category] = LocalConcept(
                uri=category_uri(base, row.category),
                label=label or row.category,
                lang="en" if label else row.lang,
                mappings=[("exactMatch", row.category)] if label else [],
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
