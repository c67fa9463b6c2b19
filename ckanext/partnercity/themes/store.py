"""Shared themes in CKAN: concept schemes and their concepts in the database, and the suggester.

The SKOS parsing and suggesting are core (``themes.skos``, ``themes.suggest``); this
module stores schemes and builds the suggester from what is stored. Vocabularies are
loaded at install time (``ckan partnercity themes load --bundled``): read paths never load.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import sqlalchemy as sa
from ckan import model

from ckanext.partnercity import settings
from ckanext.partnercity.model import Concept, Scheme, utcnow
from ckanext.partnercity.pages import cache as page_cache
from ckanext.partnercity.themes import calibration
from ckanext.partnercity.themes.skos import schemes as skos_schemes
from ckanext.partnercity.themes.skos.alignments import bundled_alignments
from ckanext.partnercity.themes.suggest.suggester import Suggester


def store_scheme(scheme: skos_schemes.Scheme, source: str) -> dict:
    """Insert or replace one scheme and its concepts; returns a short summary."""
    model.Session.query(Concept).filter(Concept.scheme_uri == scheme.uri).delete()
    model.Session.merge(
        Scheme(
            uri=scheme.uri,
            titles=dict(scheme.titles),
            source=source,
            loaded_at=utcnow(),
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
    page_cache.bump("scheme loaded")
    return {"uri": scheme.uri, "titles": dict(scheme.titles), "concepts": len(scheme.concepts)}


def load_bundled() -> list[dict]:
    return [store_scheme(scheme, "bundled") for scheme in skos_schemes.bundled_schemes()]


#: PostgreSQL advisory lock key: one process at a time loads the bundled vocabularies.
BUNDLED_LOCK = 0x5043_7468_656D_6573 & 0x7FFF_FFFF_FFFF_FFFF


def bundled_present() -> bool:
    return model.Session.query(Scheme.uri).filter(Scheme.source == "bundled").first() is not None


def ensure_bundled() -> None:
    """Load the bundled vocabularies if missing; for write paths only (harvest, refresh).

    Two harvests starting together on a fresh portal (two jobs workers) would both load
    them, and one would crash on the other's rows: an advisory lock, held on a connection
    of its own while the session loads and commits, makes the second wait and then find them.
    """
    if bundled_present():
        return
    with model.meta.engine.connect() as lock:
        lock.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": BUNDLED_LOCK})
        try:
            if not bundled_present():  # read committed: sees what the other loader stored
                load_bundled()
        finally:
            lock.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": BUNDLED_LOCK})


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


def generation() -> tuple:
    """What the stored schemes look like now, as every process sees it in the database.

    Loading a scheme stamps ``loaded_at`` and deleting one changes the count, so the
    suggester built for one generation is stale in every worker once it changes.
    """
    query = sa.select(
        sa.select(sa.func.count()).select_from(Scheme).scalar_subquery(),
        sa.select(sa.func.max(Scheme.loaded_at)).scalar_subquery(),
        sa.select(sa.func.count()).select_from(Concept).scalar_subquery(),
    )
    return tuple(model.Session.execute(query).one())


@functools.lru_cache(maxsize=1)
def _suggester(_generation: tuple) -> Suggester:
    concepts = [
        skos_schemes.Concept(
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
    return Suggester(concepts, bundled_alignments(), calibration=calibration.bundled())


def suggester() -> Suggester:
    """The suggester for the stored concepts, rebuilt when :func:`generation` changes."""
    return _suggester(generation())


def concept_labels(uris: Iterable[str], lang: str) -> dict[str, str]:
    uris = list(set(uris))
    if not uris:
        return {}
    rows = model.Session.query(Concept).filter(Concept.uri.in_(uris))
    return {row.uri: row.label(lang) for row in rows}


def concepts_in_scheme(uris: Iterable[str], scheme: str) -> set[str]:
    """Those of ``uris`` that are concepts of ``scheme``."""
    uris = list(set(uris))
    if not uris:
        return set()
    rows = model.Session.query(Concept.uri).filter(
        Concept.uri.in_(uris), Concept.scheme_uri == scheme
    )
    return {uri for (uri,) in rows}


def default_scheme() -> str:
    return settings.theme_scheme()
