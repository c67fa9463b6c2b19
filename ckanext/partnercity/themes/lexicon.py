"""The project's multilingual domain lexicon: everyday category words per EU data theme.

The EU data-theme vocabulary has one short label per theme and language, and
the published alignments only know their own publishers' categories; a city's
"Abfall", "Parcări" or "Wybory" matches neither. The lexicon
(``vocabularies/partnercity_theme-lexicon.json``) lists the words municipal
portals use for their categories and keywords, per EU data theme, in
de/en/fr/it/nl/ro/pl/bg/el/es, plus the names of the INSPIRE spatial-data
themes. It was written by the project from general knowledge of municipal open
data, not derived from any alignment's labels (see ``docs/themes-quality.md``).

INSPIRE names point at INSPIRE theme IRIs, never at EU themes: the suggester
maps them through whatever alignment knows those IRIs (the bundled SEMIC one),
so the lexicon adds no INSPIRE → EU judgement of its own.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from .skos.schemes import EU_THEME_BASE, VOCAB_DIR

LEXICON_FILE = "partnercity_theme-lexicon.json"
INSPIRE_THEME_BASE = "http://inspire.ec.europa.eu/theme/"
#: ``AlignmentEntry.source``-like name of the lexicon's evidence.
SOURCE = "lexicon"


@dataclass(frozen=True)
class LexiconEntry:
    """One term: ``target`` is a concept IRI or an IRI an alignment maps (INSPIRE)."""

    target: str
    lang: str
    label: str


def _terms(value: str) -> list[str]:
    return [term.strip() for term in value.split(";") if term.strip()]


def entries_from_dict(doc: dict) -> list[LexiconEntry]:
    """Entries of a lexicon document (``themes``: code → lang → "a; b"; ``inspire``)."""
    out: list[LexiconEntry] = []
    for code, by_lang in doc.get("themes", {}).items():
        for lang, value in by_lang.items():
            out += [LexiconEntry(EU_THEME_BASE + code, lang, t) for t in _terms(value)]
    for code, by_lang in doc.get("inspire", {}).items():
        for lang, value in by_lang.items():
            out += [LexiconEntry(INSPIRE_THEME_BASE + code, lang, t) for t in _terms(value)]
    return out


@functools.cache
def bundled_lexicon() -> tuple[LexiconEntry, ...]:
    """The lexicon shipped in ``vocabularies/`` (parsed once)."""
    doc = json.loads((VOCAB_DIR / LEXICON_FILE).read_text(encoding="utf-8"))
    return tuple(entries_from_dict(doc))
