"""``suggest()``: which HVD category a dataset probably belongs to, from its words.

Confidence of one phrase = coverage of its weighted stems (a stem shared by many concepts
weighs little) mapped onto 0.35 … 0.9, times where it was found (title > tags > notes) and
the source's factor. Phrases of one concept combine as independent evidence (noisy-or).
Only the six top-level labels ("Statistics", "Mobility" …) halve, because on their own they
name a field, not an Annex dataset. ≥ 0.5 reads "probably in scope". The constants were set
from the semantics above, not fitted to the bench set (the bench reports it per source).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..rules.vocabulary import concept_index
from .annex import annex_text
from .lexicon import Lexicon, lexicon
from .match import find
from .text import fold, stem

#: A phrase must have at least this share of its weight matched to count at all, and at least
#: two of its content words when it has two or more ("Parcelles de référence" is not found by
#: "références" alone; "weather stations" finds "Observations data measured by weather stations").
MIN_COVERAGE = 0.5
MIN_WORDS = 2
#: Below this nothing is suggested ("empty when nothing is likely").
FLOOR = 0.3
TOP_ONLY = 0.5
#: Characters of ``notes`` read: a title and the start of a description say what a dataset is.
NOTES_CHARS = 600
#: Bounds of ``limit``.
MAX_LIMIT = 10

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _fields(item: dict) -> dict[str, list[str]]:
    def words(value) -> list[str]:
        return _WORD.findall(value) if isinstance(value, str) else []

    tags = item.get("tags") or []
    tag_words = [w for t in tags if isinstance(t, str) for w in words(t)]
    notes = item.get("notes") if isinstance(item.get("notes"), str) else ""
    return {
        "title": words(item.get("title")),
        "tags": tag_words,
        "notes": words(notes[:NOTES_CHARS]),
    }


def _langs(lex: Lexicon, lang) -> list[str]:
    """The item's language and English; every language when it names none we know."""
    code = lang.strip().lower()[:2] if isinstance(lang, str) else ""
    if code in lex.languages:
        return [code] if code == "en" else [code, "en"]
    return sorted(lex.languages)


#: (confidence, evidence words, completeness) per concept; completeness: the largest share of a
#: matched phrase's words (function words included) found in the text, used only to order
#: concepts of equal confidence.
Scored = tuple[float, list[str], float]


def score(item: dict, lex: Lexicon | None = None) -> dict[str, Scored]:
    """Concept URI -> (confidence, evidence words, completeness) for one dataset."""
    lex = lex or lexicon()
    index = concept_index()
    fields = _fields(item)
    hits = find(lex, fields, _langs(lex, item.get("lang")))
    seen = {stem(fold(w)) for words in fields.values() for w in words}
    # The same words matching a concept's label in several languages (or its label and an
    # INSPIRE name) are one piece of evidence, not several: keep the best per word set.
    best: dict[tuple[str, frozenset[str]], Scored] = {}
    for idx, hit in hits.items():
        phrase = lex.phrases[idx]
        n_content, total = lex.content[idx]
        if total <= 0 or len(hit.stems) < min(n_content, MIN_WORDS):
            continue
        weights = {s: lex.weight[(phrase.lang, s)] for s in hit.stems}
        got = sum(weights[s] * q for s, (q, _) in hit.stems.items())
        coverage = min(1.0, got / total)
        if coverage < MIN_COVERAGE:
            continue
        # Where the words were found: the weighted mean of their fields' weights.
        where = sum(weights[s] * f for s, (_, f) in hit.stems.items()) / sum(weights.values())
        p = (0.35 + 0.55 * coverage) * where * lex.factor.get(phrase.source, 1.0)
        if not index.broader.get(phrase.concept):
            p *= TOP_ONLY
        words = set(phrase.stems)
        complete = sum(1 for w in words if w in hit.stems or w in seen) / len(words)
        key = (phrase.concept, frozenset(w.lower() for w in hit.words))
        if p > best.get(key, (0.0, [], 0.0))[0]:
            best[key] = (p, hit.words, complete)
    per_concept: dict[str, Scored] = {}
    for (concept, _), (p, hit_words, complete) in best.items():
        old, words, old_complete = per_concept.get(concept, (0.0, [], 0.0))
        combined = 1 - (1 - old) * (1 - p)
        words = words + [w for w in hit_words if w not in words]
        per_concept[concept] = (combined, words, max(complete, old_complete))
    return per_concept


def _ranked(per_concept: dict[str, Scored]) -> list[tuple[str, float, list[str]]]:
    """The most specific concepts first: a concept whose narrower concept matched gives way,
    lending its confidence (the narrower one then is at least as likely as its parent).

    Equal confidence: the concept whose label was found more completely comes first — "Plan
    climat" has the word of both "Climate" (environment) and "Climate data" (meteorological),
    but only the first label whole."""
    index = concept_index()
    out = []
    for uri, (conf, words, complete) in per_concept.items():
        if any(uri in index.ancestors(other) for other in per_concept if other != uri):
            continue
        for parent in index.ancestors(uri):
            if parent in per_concept:
                pc, pw, _ = per_concept[parent]
                conf = 1 - (1 - conf) * (1 - pc)
                words = words + [w for w in pw if w not in words]
        out.append((uri, round(min(conf, 0.99), 3), words, complete))
    out.sort(key=lambda r: (-r[1], -r[3], r[0]))
    return [(uri, conf, words) for uri, conf, words, _ in out]


def suggest_one(item: dict, limit: int = 3) -> list[dict]:
    """Suggestions for one dataset dict, best first, at most ``limit``."""
    if not isinstance(item, dict):
        return []
    ranked = [r for r in _ranked(score(item)) if r[1] >= FLOOR]
    return [
        {"category": uri, "confidence": conf, "annex": annex_text(uri), "evidence": words[:8]}
        for uri, conf, words in ranked[:limit]
    ]


def suggest(datasets: Iterable[dict], limit: int = 3) -> list[list[dict]]:
    """Likely HVD categories for each dataset (``{"title", "notes", "tags", "lang"}``).

    The result is aligned with the input: one list per dataset, best first, each item
    ``{"category": HVD concept URI, "confidence": 0..1, "annex": str, "evidence": [words]}``;
    an empty list when nothing is likely. Items that are not dicts get an empty list; ``None``
    gives ``[]`` and a ``limit`` that is no number means 3 (the CKAN action validates before).
    """
    try:
        limit = max(1, min(int(limit), MAX_LIMIT))
    except (TypeError, ValueError):
        limit = 3
    return [suggest_one(item, limit) for item in datasets or ()]
