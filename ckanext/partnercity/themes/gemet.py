"""GEMET concepts named in a title: a language-neutral handle on what a dataset is about.

GEMET, the EEA's General Multilingual Environmental Thesaurus, gives one preferred label per
concept and language; "Museum", "musée", "museo" and "museum" are one concept. The bundled
table (``vocabularies/gemet_concept-labels_de-fr-it-nl-4.1.2_en-4.0.1.json``, built by
``scripts/gemet_labels_build.py``, provenance and licence in ``vocabularies/README.md``) holds
the German, French, Italian and Dutch labels of version 4.1.2 and the English ones of 4.0.1
(the newest English file available to us). A concept is named in a title when every
content word of its label is a word of the title (inflections, cognate spellings and German
compounds — "Altglascontainer" holds "Container" — count). Words are compared by their
stems (:func:`ckanext.partnercity.hvd.duties.text.stem`, one inflectional ending off), not by
fuzzy similarity: "délibérations" must not meet "délit", nor "ville" "village".
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from ..hvd.duties.text import stem
from . import text
from .skos.schemes import VOCAB_DIR

GEMET_FILE = "gemet_concept-labels_de-fr-it-nl-4.1.2_en-4.0.1.json"
#: Languages whose words compound ("Altglascontainer"); only their title words are split.
COMPOUNDING = frozenset({"de", "nl"})
#: Languages that write a compound as separate words, head last ("bus stops", "police
#: stations"): a noun before the last of a run of nouns is a modifier, as in a compound.
NOUN_ADJUNCTS = frozenset({"en"})
#: Words that end a noun run in those languages ("List of 'L' Stops": "list" is the head).
_RUN_BREAKS = frozenset("of by in for on at from to with per and or vs versus".split())
#: The head of a split compound must be this long ("Wetterstat-ionen" is no "Ionen").
MIN_HEAD = 6
#: A concept heading this many narrower concepts is general and weighs GENERAL_WEIGHT.
GENERAL_HEADS = 3
GENERAL_WEIGHT = 0.5
#: Prefix length of the candidate index (a label word shorter than this must be equal).
PREFIX = 4
#: One trailing letter of difference is tolerated only between stems this long: "krei"
#: (Kreis) is not "kreid" (Kreide), while "haltestel"/"haltestell" stay one word.
MIN_TOLERANT = 5


@dataclass(frozen=True)
class Named:
    """What a title names in GEMET (:meth:`Gemet.concept_roles`)."""

    concepts: dict[str, str]
    #: Concepts named only as a compound's modifier.
    minor: set[str]
    #: Head concept -> the modifier concepts that narrow it in a compound.
    narrowed: dict[str, set[str]]


class Gemet:
    """Label index of one GEMET table: per language, content words of each label."""

    def __init__(
        self,
        concepts: dict[str, dict[str, str]],
        base: str,
        broader: dict[str, list[str]] | None = None,
    ):
        self.base = base
        self.labels: dict[str, dict[str, str]] = concepts
        self.broader: dict[str, list[str]] = broader or {}
        #: How many narrower concepts each concept heads.
        self.narrower: dict[str, int] = defaultdict(int)
        for parents in (broader or {}).values():
            for parent in set(parents):
                self.narrower[parent] += 1
        self.words: dict[str, dict[str, tuple[str, ...]]] = defaultdict(dict)
        self.by_prefix: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.known: dict[str, frozenset[str]] = {}
        vocab: dict[str, set[str]] = defaultdict(set)
        for number, by_lang in concepts.items():
            for lang, label in by_lang.items():
                words = content_words(label)
                if not words:
                    continue
                self.words[lang][number] = words
                vocab[lang].update(words)
                for w in words:
                    self.by_prefix[(lang, stem(w)[:PREFIX])].add(number)
        self.known = {lang: frozenset(v) for lang, v in vocab.items()}

    def specificity(self, number: str) -> float:
        """1.0 for a concept that names a subject; :data:`GENERAL_WEIGHT` for one that heads
        :data:`GENERAL_HEADS` or more narrower concepts ("Programm", "Verwaltung",
        "Transport"): it names a field, as a top-level HVD category does."""
        return GENERAL_WEIGHT if self.narrower.get(number, 0) >= GENERAL_HEADS else 1.0

    def ancestors(self, number: str) -> set[str]:
        """Every broader concept above ``number`` (GEMET is a poly-hierarchy; cycles stop)."""
        seen: set[str] = set()
        todo = list(self.broader.get(number, []))
        while todo:
            parent = todo.pop()
            if parent not in seen:
                seen.add(parent)
                todo.extend(self.broader.get(parent, []))
        return seen

    def related(self, a: str, b: str) -> bool:
        """One concept is the other or lies above it ("ozone" under "air pollutant")."""
        return a == b or a in self.ancestors(b) or b in self.ancestors(a)

    @property
    def languages(self) -> frozenset[str]:
        return frozenset(self.words)

    def _title_words(
        self, title: str, lang: str
    ) -> tuple[set[str], set[str], list[tuple[set[str], str]]]:
        """The title's content words and, for compounds, their known parts (as found and
        stemmed); the
        stems found only as a compound's first parts (modifiers: "Zug", "Riff" in
        "Zugriffsstatistiken", "Musik" in "Musikschule"); and each compound as (modifier
        stems, head stem)."""
        found = set(content_words(title, 1))
        modifiers: set[str] = set()
        compounds: list[tuple[set[str], str]] = []
        if lang in COMPOUNDING:
            known = self.known.get(lang, frozenset())
            for w in list(found):
                parts = text.split_compound(w, known)
                if parts and len(parts[-1]) >= MIN_HEAD:
                    found.update(parts)
                    modifiers.update(parts[:-1])
                    compounds.append(({stem(m) for m in parts[:-1]}, stem(parts[-1])))
        if lang in NOUN_ADJUNCTS:
            for run in noun_runs(title):
                modifiers.update(run[:-1])
                compounds.append(({stem(m) for m in run[:-1]}, stem(run[-1])))
        stems = {stem(w) for w in found}
        minor = {stem(m) for m in modifiers} - {stem(w) for w in found - modifiers}
        return stems | found, minor, compounds

    def concepts(self, title: str, lang: str) -> dict[str, str]:
        """GEMET concept number -> its label in ``lang``, for the concepts ``title`` names
        (:meth:`concept_roles` without the roles)."""
        return self.concept_roles(title, lang).concepts

    def concept_roles(self, title: str, lang: str) -> Named:
        """The concepts ``title`` names (number -> label in ``lang``), those of them named
        only inside a compound before its head — a modifier says what the thing relates to,
        not what it is ("Zugriffsstatistiken" holds no train) — and the heads a modifier
        concept narrows ("Musikschule": school, narrowed by music).

        A concept whose label's words are all part of a longer found label's words is
        dropped ("Abfall" when "Abfallcontainer" is found): the longer label is the subject.
        """
        if lang not in self.words or not title:
            return Named({}, set(), {})
        words, modifiers, compounds = self._title_words(title, lang)
        candidates: set[str] = set()
        for w in words:
            candidates |= self.by_prefix.get((lang, w[:PREFIX]), set())
        found = {}
        for number in candidates:
            label_words = self.words[lang][number]
            if all(_in(lw, words) for lw in label_words):
                found[number] = label_words
        keep = {
            n: self.labels[n][lang]
            for n, lw in found.items()
            if not any(
                m != n and len(ow) > len(lw) and set(lw) <= set(ow) for m, ow in found.items()
            )
        }
        heads = words - modifiers
        minor = {n for n in keep if not all(_in(lw, heads) for lw in found[n])}
        narrowed: dict[str, set[str]] = {}
        for mods, head in compounds:
            by_mod = {n for n in keep if all(_in(lw, mods) for lw in found[n])}
            for n in keep:
                if by_mod and all(_in(lw, {head}) for lw in found[n]):
                    narrowed.setdefault(n, set()).update(by_mod)
        return Named(keep, minor, narrowed)


def _in(label_word: str, stems: set[str]) -> bool:
    """The label word, or its stem, is one of the title's (stemmed) words, up to one trailing letter
    between stems of :data:`MIN_TOLERANT` letters or more ("haltestell"/"haltestel": stems
    of two inflected forms)."""
    s = stem(label_word)
    if label_word in stems:  # the same word ("hafen"; "museum", which stems to "muse")
        return True
    if s in stems and (len(s) >= PREFIX or _inflected(label_word, stems)):
        return True  # a short stem is ambiguous: "gares" is "gare", "Rat" is no "Rate"
    return len(s) >= PREFIX and any(
        abs(len(s) - len(w)) == 1
        and min(len(s), len(w)) >= MIN_TOLERANT
        and (s.startswith(w) or w.startswith(s))
        for w in stems
    )


def _inflected(label_word: str, words: set[str]) -> bool:
    """A title word is the label word with an ending of at most two letters."""
    return any(w.startswith(label_word) and len(w) <= len(label_word) + 2 for w in words)


def noun_runs(title: str) -> list[tuple[str, ...]]:
    """Runs of two or more content words between punctuation and prepositions: "Bus stops",
    "Air quality measurements" (the head last)."""
    runs: list[tuple[str, ...]] = []
    for chunk in text.PART_SEPARATORS.split(title):
        run: list[str] = []
        for w in [*text.words(chunk), "of"]:
            if w in _RUN_BREAKS or not w.isalpha():
                if len(run) >= 2:
                    runs.append(tuple(run))
                run = []
            elif len(w) >= 2 and w not in text.STOP_WORDS:
                run.append(w)
    return runs


def content_words(label: str, min_len: int = 2) -> tuple[str, ...]:
    """Folded words of at least ``min_len`` letters that are no stop words ("pH-Wert" keeps
    "ph", so that it is not found by "Messwerte" alone)."""
    out: list[str] = []
    for w in text.words(label):
        if len(w) >= min_len and w.isalpha() and w not in text.STOP_WORDS and w not in out:
            out.append(w)
    return tuple(out)


def roles_in_title_language(title: str, lang: str) -> Named:
    """The concepts ``title`` names, with their roles, in its language; in every GEMET
    language when the title's is none GEMET has (e.g. English titles of a Czech portal: the
    labels of other languages rarely occur in a title by chance)."""
    g = bundled()
    code = lang.strip().lower()[:2]
    if code in g.languages:
        return g.concept_roles(title, code)
    out = Named({}, set(), {})
    for other in sorted(g.languages):
        named = g.concept_roles(title, other)
        for number, label in named.concepts.items():
            if number not in out.concepts:
                out.concepts[number] = label
                if number in named.minor:
                    out.minor.add(number)
                if number in named.narrowed:
                    out.narrowed[number] = named.narrowed[number]
    return out


@cache
def bundled() -> Gemet:
    """The shipped GEMET label table (parsed once per process)."""
    doc = json.loads((VOCAB_DIR / GEMET_FILE).read_text(encoding="utf-8"))
    return Gemet(doc["concepts"], doc["base"], doc.get("broader"))
