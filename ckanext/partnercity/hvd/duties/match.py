"""Find the lexicon's phrases in one dataset's title, tags and notes.

A text token matches a phrase stem when one starts with the other (the shorter side at least
:data:`MIN_PREFIX` letters, or equal), and, in compounding languages, also when the stem sits
inside the token ("straßenlärmkarte" holds "larm"). Lookup goes through the lexicon's index
of 4-letter heads, so the cost per token is a few dict hits: linear in the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon import Lexicon
from .text import COMPOUNDING, MIN_PREFIX, fold, stem

#: How much a match counts by where it was found.
FIELD_WEIGHT = {"title": 1.0, "tags": 0.9, "notes": 0.5}
#: A stem found only inside a compound, not at its start, counts less ("Lärm" in "Alarm…").
INSIDE_COMPOUND = 0.8
#: A long stem found in another language's label counts less than one of the item's language.
OTHER_LANGUAGE = 0.85
#: Tokens whose matches are kept per process (a bound, so memory stays flat on huge catalogues).
CACHE_SIZE = 200_000


@dataclass
class Hit:
    """A phrase's matched ``stems`` -> (match quality, field weight), the best pair per stem;
    ``words`` are the text's own words that matched."""

    stems: dict[str, tuple[float, float]]
    words: list[str]


#: A text word that is only the start of a longer label word matches it when it covers at least
#: this share of it: "Orthofoto" meets "Orthofotos", but "Verwaltung" (administration) is not
#: "Verwaltungsgrenze" (administrative boundary), nor "Gemeinde" a "Gemeindeverzeichnis".
PREFIX_COVER = 0.75


def _covers(token_stem: str, label_stem: str) -> bool:
    return (
        label_stem.startswith(token_stem)
        and len(token_stem) >= 5
        and len(token_stem) >= PREFIX_COVER * len(label_stem)
    )


def _candidates(lex: Lexicon, lang: str, token: str, compounding: bool):
    """(stem, quality) pairs of ``lang`` that ``token`` (folded) matches."""
    t = stem(token)
    found: dict[str, float] = {}
    if (lang, t) in lex.weight:
        found[t] = 1.0
    if (lang, token) in lex.weight:
        found[token] = 1.0
    if len(t) >= MIN_PREFIX:
        for s in lex.by_head.get((lang, t[:4]), ()):
            if s in found:
                continue
            shorter = min(len(s), len(t))
            if shorter >= MIN_PREFIX and (t.startswith(s) or _covers(t, s)):
                found[s] = 1.0
    if compounding and len(token) > 6:
        for k in range(1, len(token) - MIN_PREFIX + 1):
            for s in lex.by_head.get((lang, token[k : k + 4]), ()):
                if len(s) >= 5 and s not in found and token.startswith(s, k):
                    found[s] = INSIDE_COMPOUND
    return found.items()


def _other_language(lex: Lexicon, token: str):
    """Long stems of any language that ``token`` (folded) starts with. Not the other way round:
    a short word is a prefix of too many compound labels ("referenc" of "referenceparcell")."""
    t = stem(token)
    if len(t) < 7:
        return
    for s in lex.long_by_head.get(t[:4], ()):
        if t.startswith(s):
            yield s


def _add(hits: dict[int, Hit], idx: int, s: str, quality: float, fw: float, word: str) -> None:
    hit = hits.get(idx)
    if hit is None:
        hit = hits[idx] = Hit({}, [])
    old = hit.stems.get(s)
    if old is None or quality * fw > old[0] * old[1]:
        hit.stems[s] = (quality, fw)
    if word not in hit.words:
        hit.words.append(word)


def _matches(lex: Lexicon, token: str, langs: tuple[str, ...]) -> list[tuple[int, str, float]]:
    """(phrase index, stem, quality) for one folded token: computed once per token and language
    set and cached on the lexicon, since catalogues repeat their words."""
    key = (token, langs)
    found = lex.cache.get(key)
    if found is not None:
        return found
    found = []
    for lang in langs:
        for s, quality in _candidates(lex, lang, token, lang in COMPOUNDING):
            if lex.weight[(lang, s)]:  # a function word is no evidence
                found.extend((idx, s, quality) for idx in lex.postings.get((lang, s), ()))
    for s in _other_language(lex, token):
        found.extend(
            (idx, s, OTHER_LANGUAGE)
            for idx in lex.long_postings.get(s, ())
            if lex.phrases[idx].lang not in langs
        )
    if len(lex.cache) < CACHE_SIZE:
        lex.cache[key] = found
    return found


def find(lex: Lexicon, fields: dict[str, list[str]], langs: list[str]) -> dict[int, Hit]:
    """Phrase index -> matched stems (best quality and field weight) and the words that matched."""
    hits: dict[int, Hit] = {}
    key = tuple(langs)
    for name, words in fields.items():
        fw = FIELD_WEIGHT[name]
        for word in words:
            for idx, s, quality in _matches(lex, fold(word), key):
                _add(hits, idx, s, quality, fw, word)
    return hits
