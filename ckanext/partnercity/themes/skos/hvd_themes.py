"""HVD categories onto the shared themes: the bundled HVD-category → EU data-theme alignment.

A dataset of ours that carries an HVD category (Implementing Regulation (EU) 2023/138) but
no group, tag or DCAT theme the shared themes know would be on no shared theme. No
alignment of HVD categories with the EU data themes is published, so the project ships
one as data (``vocabularies/partnercity_hvd-category_to_eu-data-theme_skos.ttl``, every
statement justified from the Regulation's Annex and the SEMIC INSPIRE alignment). It is
read with the same reader as every published alignment, with the HVD categories as the
local side; a narrower HVD category without statements of its own takes those of its
nearest broader category, so one statement per top category covers all 96.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .alignments import AlignmentEntry, load_alignment
from .schemes import EU_THEME_BASE, HVD_SCHEME, VOCAB_DIR, bundled_concepts

#: The bundled alignment (written for this project; see the vocabularies README).
HVD_THEMES_FILE = VOCAB_DIR / "partnercity_hvd-category_to_eu-data-theme_skos.ttl"
#: ``AlignmentEntry.source`` of its entries.
HVD_THEMES_SOURCE = "hvd-data-theme"
#: The relation a narrower category gets from a broader one's statement.
INHERITED = {"exactMatch": "broadMatch", "closeMatch": "broadMatch", "broadMatch": "broadMatch"}


@dataclass(frozen=True)
class HvdThemes:
    """HVD category IRI → its (relation, theme IRI) statements, and the HVD hierarchy."""

    statements: Mapping[str, tuple[tuple[str, str], ...]]
    broader: Mapping[str, tuple[str, ...]]

    def themes_for(self, category: str) -> list[tuple[str, str]]:
        """(relation, theme) of the category, else of its nearest broader category.

        Breadth-first up ``skos:broader``: the most specific statements win; a category
        the alignment and the hierarchy do not know gives nothing. A theme that is close to
        (or broader than) a broader category is broader than this one: ``broadMatch``;
        any other relation seen through the hierarchy says less, ``relatedMatch``.
        """
        seen: set[str] = set()
        level = [category]
        while level:
            found = [pair for uri in level for pair in self.statements.get(uri, ())]
            if found:
                if level != [category]:
                    found = [(INHERITED.get(rel, "relatedMatch"), theme) for rel, theme in found]
                return sorted(set(found), key=lambda pair: (pair[1], pair[0]))
            seen.update(level)
            level = [b for uri in level for b in self.broader.get(uri, ()) if b not in seen]
        return []


def hvd_themes_from(
    entries: Iterable[AlignmentEntry], broader: Mapping[str, Iterable[str]]
) -> HvdThemes:
    """Index alignment entries by their local (HVD category) IRI."""
    statements: dict[str, set[tuple[str, str]]] = {}
    for entry in entries:
        if entry.local_uri:
            statements.setdefault(entry.local_uri, set()).add((entry.relation, entry.concept))
    return HvdThemes(
        statements={uri: tuple(sorted(pairs)) for uri, pairs in statements.items()},
        broader={uri: tuple(parents) for uri, parents in broader.items()},
    )


def load_hvd_themes(
    source: bytes | str | Path = HVD_THEMES_FILE, broader: Mapping[str, Iterable[str]] | None = None
) -> HvdThemes:
    """Read an HVD-category → EU data-theme alignment (any RDF syntax the reader knows).

    Only EU data-theme IRIs are the shared side, so HVD category IRIs are the local one;
    ``broader`` defaults to the hierarchy of the bundled HVD vocabulary.
    """
    entries = load_alignment(source, name=HVD_THEMES_SOURCE, shared_prefixes=(EU_THEME_BASE,))
    if broader is None:
        broader = {c.uri: c.broader for c in bundled_concepts(HVD_SCHEME)}
    return hvd_themes_from(entries, broader)


@functools.cache
def bundled_hvd_themes() -> HvdThemes:
    """The bundled alignment over the bundled HVD hierarchy (parsed once per process)."""
    return load_hvd_themes()
