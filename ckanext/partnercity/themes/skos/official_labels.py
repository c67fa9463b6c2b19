"""Official multilingual labels as suggester evidence: INSPIRE themes and HVD categories.

The EU data-theme table has one short label per theme and language, so a Czech
"Využití území" or a Portuguese "Uso do solo" matched nothing. Two official
vocabularies name the subjects of municipal data in every EU language and are already
linked to the EU data themes:

- the 34 INSPIRE spatial-data themes (Directive 2007/2/EC, Annexes I-III; labels in 23
  languages in ``vocabularies/inspire_themes_gemet-inspire-1.0_23lang.rdf``), mapped to
  EU data themes by the bundled SEMIC alignment
  (``semic_inspire-themes_to_eu-data-themes_skos.rdf``);
- the 96 HVD categories (Implementing Regulation (EU) 2023/138; 24 languages), mapped by
  the project's documented HVD-category alignment (:mod:`.hvd_themes`).

Each label becomes an :class:`AlignmentEntry` of the concept it names, with the
alignment's relation; the suggester weighs it as the lexicon's INSPIRE names
(``LabelIndex._add_official``). The labels are data, not words of ours; nothing here is
hand-written.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from .alignments import AlignmentEntry, bundled_alignments
from .hvd_themes import HvdThemes, bundled_hvd_themes
from .rdf import load_graph
from .schemes import HVD_SCHEME, VOCAB_DIR, Concept, bundled_concepts

INSPIRE_THEME_BASE = "http://inspire.ec.europa.eu/theme/"
#: The EEA's INSPIRE theme thesaurus as shipped by GeoNetwork (see the vocabularies README).
INSPIRE_THEMES_FILE = VOCAB_DIR / "inspire_themes_gemet-inspire-1.0_23lang.rdf"
#: ``AlignmentEntry.source`` of the two kinds of official labels.
INSPIRE_LABELS_SOURCE = "inspire-register"
HVD_LABELS_SOURCE = "hvd-labels"


def inspire_theme_labels(source: bytes | str | Path = INSPIRE_THEMES_FILE) -> dict[str, dict]:
    """INSPIRE theme IRI -> {lang: [prefLabel]} of a thesaurus file.

    The EEA file names its concepts ``…/inspirethemes/themes/<n>`` and carries the
    register's two-letter code as the only untagged ``skos:altLabel`` ("lu"); the
    register IRI is ``http://inspire.ec.europa.eu/theme/<code>``. A concept already
    named by its register IRI keeps it. Concepts without a code are skipped.
    """
    graph = load_graph(source)
    out: dict[str, dict[str, list[str]]] = {}
    for node in sorted(set(graph.subjects(SKOS.prefLabel, None)), key=str):
        if not isinstance(node, URIRef):
            continue
        iri = str(node)
        if not iri.startswith(INSPIRE_THEME_BASE):
            codes = sorted(
                str(v).strip()
                for v in graph.objects(node, SKOS.altLabel)
                if isinstance(v, Literal) and not v.language and str(v).strip().isalpha()
            )
            if len(codes) != 1:
                continue
            iri = INSPIRE_THEME_BASE + codes[0].lower()
        labels: dict[str, list[str]] = {}
        for value in graph.objects(node, SKOS.prefLabel):
            if isinstance(value, Literal) and value.language and str(value).strip():
                labels.setdefault(value.language.lower(), []).append(str(value).strip())
        out[iri] = {lang: sorted(set(v)) for lang, v in sorted(labels.items())}
    return out


def inspire_entries(
    labels: dict[str, dict[str, list[str]]], alignment: Iterable[AlignmentEntry]
) -> list[AlignmentEntry]:
    """One entry per (INSPIRE theme, EU theme) statement of ``alignment``, carrying the
    theme's official labels; themes the alignment does not map give nothing."""
    out = []
    for entry in alignment:
        found = labels.get(entry.local_uri or "")
        if found:
            out.append(
                AlignmentEntry(
                    entry.local_uri, found, entry.relation, entry.concept, INSPIRE_LABELS_SOURCE
                )
            )
    return out


def hvd_entries(concepts: Iterable[Concept], themes: HvdThemes) -> list[AlignmentEntry]:
    """One entry per (HVD category, EU theme) statement, carrying the category's
    prefLabels in every language (a narrower category inherits its broader one's themes)."""
    out = []
    for concept in concepts:
        labels = {lang: [label] for lang, label in concept.pref_labels.items() if lang}
        for relation, theme in themes.themes_for(concept.uri):
            out.append(AlignmentEntry(concept.uri, labels, relation, theme, HVD_LABELS_SOURCE))
    return out


@functools.cache
def bundled_official_entries() -> tuple[AlignmentEntry, ...]:
    """INSPIRE theme labels through the bundled SEMIC alignment (parsed once per process).

    What the suggester uses by default. The HVD category labels (:func:`bundled_hvd_entries`)
    are not among them: measured on the theme bench they cost recall (docs/themes.md,
    "Every EU language").
    """
    semic = [e for e in bundled_alignments() if e.source == "inspire"]
    return tuple(inspire_entries(inspire_theme_labels(), semic))


@functools.cache
def bundled_hvd_entries() -> tuple[AlignmentEntry, ...]:
    """HVD category labels through the bundled HVD-category alignment (measured in
    ``bench/theme_languages_bench.py``, not used by default)."""
    return tuple(hvd_entries(bundled_concepts(HVD_SCHEME), bundled_hvd_themes()))
