"""How much of our title a partner title matches: the word comparison of :mod:`.counterparts`.

Two title words are one word when they are the same word or a cognate spelling; how much of
our title a reference explains decides whether one shared concept is the subject or only part
of it ("Anzahl der Ausleihen der Bibliothek" names library *loans*: a library's WiFi usage
shares "library" and nothing else).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..hvd.duties.text import stem
from . import dictionary, text

if TYPE_CHECKING:
    from .counterparts import Profile

#: A word or concept named by at most this share of the compared titles is fully specific.
COMMON_SHARE = 0.1
#: Word similarity (``themes.text.word_similarity``) at which two title words count as one.
SAME_WORD = 0.85
#: Two title words count as one only when the shorter has at least this share of the
#: longer's letters: a word's first part is not the word ("stads" is not "stadtteil",
#: "stad" not "stadion"), while inflections and cognates stay ("musées"/"museen").
SAME_WORD_LENGTH = 0.75
#: Words this long from titles in different languages meet only as one word with an ending.
LONG_WORD = 8
#: Long cognates across languages: a common stem this long, endings at most this long.
COGNATE_STEM = 10
COGNATE_ENDING = 4
#: Title words shorter than this are ignored (articles, prepositions, abbreviations).
MIN_WORD = 4
#: A title match explaining less than this share of our title is partial (:func:`share`).
MIN_SHARE = 1 / 3


def same_word(a: str, b: str, across: bool = False) -> bool:
    """Same word or cognate (:data:`SAME_WORD`), not merely the first part of a longer one.

    ``across``: the words come from titles in different languages. Then two long words
    (:data:`LONG_WORD`) must be one word with an ending: the same stem ("adressen",
    "adresses") or one word whole in the other ("personal", "personale"). Similar spelling
    alone pairs false friends that part only in a last letter ("personal": staff,
    "personas": persons)."""
    short, long_ = sorted((len(a), len(b)))
    if _one_stem(a, b):
        return True
    if short < SAME_WORD_LENGTH * long_ or text.word_similarity(a, b) < SAME_WORD:
        return False
    if not across or short < LONG_WORD:
        return True
    return stem(a) == stem(b) or a.startswith(b) or b.startswith(a)


def _one_stem(a: str, b: str) -> bool:
    """Long cognates that part only in their endings ("defibrillatoren", "defibrillateurs"):
    at least :data:`COGNATE_STEM` letters in common, at most :data:`COGNATE_ENDING` after."""
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common >= COGNATE_STEM and max(len(a), len(b)) - common <= COGNATE_ENDING


def across(own: Profile, other: Profile) -> bool:
    """The two titles are in different (known) languages."""
    return bool(own.lang and other.lang and own.lang != other.lang)


def translated(word: str, own: Profile, other: Profile) -> tuple[str, ...]:
    """Words of the other title that translate our title word, by a bilingual dictionary
    (:mod:`.dictionary`) from our title's language into the other's: "friedhofe" →
    "cementerios", "luftqualitat" → "calidad", "aire". A compound the dictionary lacks
    translates when each of its known parts does ("wahlbezirke": "elecciones", "distrito");
    () when the titles share a language, a dictionary is missing or nothing translates."""
    if not across(own, other):
        return ()
    book = dictionary.load(own.lang, other.lang)
    if book is None:
        return ()
    theirs = frozenset(other.words)
    phrases = book.translations(word)
    if phrases:
        return _phrase_in(phrases, theirs)
    parts = _compound(word, book.headwords)
    out: list[str] = []
    for part in parts:
        hit = _phrase_in(book.translations(part), theirs)
        if not hit:
            return ()
        out += [w for w in hit if w not in out]
    return tuple(out)


def _compound(word: str, known: frozenset[str]) -> tuple[str, ...]:
    """The dictionary words a compound is made of, only when they make up all of it (bar
    linking letters and an ending): "badegewasser" without "bade" is not "water"."""
    parts = text.split_compound(word, known)
    if len(parts) < 2 or sum(len(p) for p in parts) < len(word) - 2 * len(parts):
        return ()
    return parts


@functools.lru_cache(maxsize=262144)
def _phrase_in(phrases: tuple[tuple[str, ...], ...], words: frozenset[str]) -> tuple[str, ...]:
    """The words of the first translation phrase found whole among ``words``."""
    for phrase in phrases:
        hit = [_word_in(p, words) for p in phrase]
        if all(hit):
            return tuple(h for h in hit if h)
    return ()


def _word_in(word: str, words: frozenset[str]) -> str:
    """The word of ``words`` that is ``word`` or an inflected form of it, in one language
    ("parada", "paradas"; "autobus", "autobuses"), not a similar word ("personal",
    "personas")."""
    if word in words:
        return word
    for other in words:
        if other[:3] == word[:3] and _inflection(word, other):
            return other
    return ""


def narrowed_apart(mine: str, theirs: str, own: Profile, other: Profile) -> bool:
    """Our words ``mine`` and their words ``theirs`` (a title word or a concept label each)
    meet, but one side's head word there is narrowed by words the other title lacks: "bus
    stops" are no "'L' stops", "Bahnhöfe" no "fire stations" (:attr:`.Profile.heads`)."""
    for a, b, words in ((own, other, mine), (other, own, theirs)):
        for word in text.words(words):
            modifiers = {m for h, ms in a.heads.items() if _inflection(word, h) for m in ms}
            if modifiers and not any(_named_in(m, a, b) for m in modifiers):
                return True
    return False


def _inflection(word: str, other: str) -> bool:
    """The same word, or one with an inflection ending ("station", "stations")."""
    short, long_ = sorted((word, other), key=len)
    return long_.startswith(short) and len(long_) - len(short) <= 2 or stem(word) == stem(other)


def _named_in(word: str, a: Profile, b: Profile) -> bool:
    """``word`` of title ``a`` is in title ``b``: spelled alike, as a GEMET concept both name
    ("music", "Musikschule") or translated."""
    apart = across(a, b)
    if any(same_word(word, w, apart) for w in b.terms):
        return True
    if any(n in b.gemet and word in text.words(label) for n, label in a.gemet.items()):
        return True
    return bool(translated(word, a, b))


def coverage(own: Profile, other: Profile) -> float:
    """Share of our title's words the other title matches, as the same word or inside a
    GEMET concept both titles name (0..1)."""
    if not own.words:
        return 0.0
    shared = set(own.gemet) & set(other.gemet)
    concept_words = {w for n in shared for w in text.words(own.gemet[n])}
    apart = across(own, other)
    hit = [
        w
        for w in own.words
        if any(same_word(w, o, apart) for o in other.words)
        or any(c in w for c in concept_words if len(c) >= MIN_WORD)
        or translated(w, own, other)
    ]
    return len(hit) / len(own.words)


def _in_label(word: str, label: str) -> bool:
    """The title word is (or holds) a word of the GEMET label: "museen" of "Museum",
    "stadtbibliothek" of "Bibliothek"."""
    return any(
        len(c) >= 3 and (stem(c) in word or c.startswith(stem(word))) for c in text.words(label)
    )


def share(own: Profile, other: Profile) -> float:
    """Share of our title's subject units the other title explains (0..1).

    Units: our title words (one unit per word however often spelled: "Köln", "Koeln") and
    the GEMET concepts of our title no word holds (a short label such as "bus"). A unit is
    explained by a GEMET concept both titles name or by the same word in the other title.
    Counted, not weighted by rarity: among the titles compared nearly every word of our
    title is rare (a German word in a French pool, a place name anywhere), so weighting
    changes nothing; a place name counts as one unit, like the "Stadt" of "Stadt Köln:"."""
    units: list[str] = []
    for w in own.words:
        if not any(same_word(w, u) for u in units):
            units.append(w)
    holders: dict[str, list[str]] = {}
    for number, label in own.gemet.items():
        holders[number] = [u for u in units if _in_label(u, label)] or ["#" + number]
    units += [h[0] for h in holders.values() if h[0].startswith("#")]
    if not units:
        return 1.0
    explained = {u for n in set(own.gemet) & set(other.gemet) for u in holders[n]}
    apart = across(own, other)
    explained |= {
        u
        for u in units
        if any(same_word(u, o, apart) for o in other.words) or translated(u, own, other)
    }
    return len(explained & set(units)) / len(units)


def rarity(profiles: Sequence[Profile]) -> dict[str, float]:
    """How specific each title word and GEMET concept is among the compared titles, 0..1.

    Named by at most one title in :data:`COMMON_SHARE`: fully specific (twelve museum
    datasets among 400 are still about museums); named by every title ("Stadt"): nothing.
    In between, log-scaled (inverse document frequency over log(1 / share))."""
    df: dict[str, int] = {}
    for p in profiles:
        for w in set(p.words) | set(p.gemet):
            df[w] = df.get(w, 0) + 1
    n = len(profiles)
    scale = math.log(1 / COMMON_SHARE)
    return {w: max(0.0, min(1.0, math.log(n / c) / scale)) for w, c in df.items()}
