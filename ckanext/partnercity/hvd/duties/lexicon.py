"""The phrases the duties finder looks for, per HVD concept, built from official sources.

Sources, all loaded as data (see ``data/README.md`` for provenance and licences):

* the EU "High-value dataset categories" vocabulary (prefLabels in 24 languages), the same file
  the checker uses;
* the INSPIRE theme register (theme names), linked to an HVD concept only where the HVD
  concept carries the same English name as the INSPIRE theme (the Annex names its
  sub-categories after the INSPIRE themes);
* ``data/terms.json``: a compact list of terms, each citing the legal act or data specification
  that defines it (INSPIRE feature types, the names of plans and maps that Union law requires).

Every term comes from its cited source, none from a dataset's wording; some were looked for
after reading the bench's misses (docs/hvd.md says on which sources the figures are therefore
not held out).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from ..rules.vocabulary import concept_index
from .text import fold, stem

#: A stem used by the labels of this many concepts (in one language) is a function word
#: ("de", "and", "der", "van", "data"): it weighs nothing and never counts as a match. Found from
#: the labels themselves, so no stop-word list per language is needed.
FUNCTION_AT = 10
#: Short stems ("la", "les", "by", "von", "per", "voor") used by this many concepts are function
#: words too, unless a whole label consists of them ("Eau", "Air", "Sols" stay).
SHORT, SHORT_FUNCTION_AT = 4, 3
#: A one-word label this long is matched in any language ("Ortofoto" in an Italian title meets
#: the Danish, Slovenian and Swedish label "Ortofoto"): such words are international, rarely
#: false friends. Only one-word labels: in a longer label the other words would be missing.
CROSS_LANGUAGE = 7


@dataclass(frozen=True)
class Phrase:
    concept: str
    lang: str
    stems: tuple[str, ...]
    source: str


@dataclass
class Lexicon:
    """Phrases per language, each stem's weight, and a 4-letter index of stems for matching."""

    phrases: list[Phrase] = field(default_factory=list)
    weight: dict[tuple[str, str], float] = field(default_factory=dict)
    #: (lang, first 4 letters of a stem) -> stems of that language starting so.
    by_head: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    #: (lang, stem) -> [(phrase index, position)]
    postings: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    languages: frozenset[str] = frozenset()
    #: Stems of at least :data:`CROSS_LANGUAGE` letters, for matching across languages.
    long_by_head: dict[str, set[str]] = field(default_factory=dict)
    long_postings: dict[str, list[int]] = field(default_factory=dict)
    #: Per phrase: (number of content stems, their total weight), for scoring.
    content: list[tuple[int, float]] = field(default_factory=list)
    #: (folded token, languages) -> its matches; filled by :mod:`.match`.
    cache: dict = field(default_factory=dict)
    #: source -> confidence factor (terms.json "factor"; 1 when absent).
    factor: dict[str, float] = field(default_factory=dict)


_ALTERNATIVES = re.compile(r"\(([^)]*)\)")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def label_variants(label: str) -> list[str]:
    """A label and its written alternatives: "Flurstücke/Grundstücke (Katasterparzellen)"
    gives "Flurstücke", "Grundstücke" and "Katasterparzellen".

    A label "Name: qualifier" or "Name – qualifier" also gives its name alone: "Climate data:
    validated observations" names the dataset "Climate data" (the Annex §3 row), "National
    accounts – GDP main aggregates" the accounts; the part after the colon or dash says which
    of its data are meant, words a title rarely repeats."""
    inner = _ALTERNATIVES.findall(label)
    outer = _ALTERNATIVES.sub(" ", label).strip()
    out = []
    if "/" in outer and all(len(part.split()) == 1 for part in outer.split("/")):
        out.extend(part.strip() for part in outer.split("/"))
    else:
        out.append(outer)
        head = re.split(r": | [–—] ", outer, maxsplit=1)[0].strip()
        if head != outer:
            out.append(head)
    out.extend(i for i in inner if not i.lower().startswith(("e.g", "z. b", "par ex", "zoals")))
    return [v for v in out if v]


def phrase_stems(text: str) -> tuple[str, ...]:
    return tuple(stem(fold(w)) for w in _WORD.findall(text))


def _hvd_phrases() -> list[Phrase]:
    index = concept_index()
    out = []
    for uri, labels in index.pref_labels.items():
        for lang, label in labels.items():
            for variant in label_variants(label):
                stems = phrase_stems(variant)
                if stems:
                    out.append(Phrase(uri, lang, stems, "hvd-vocabulary"))
    return out


def _data(name: str):
    return files("ckanext.partnercity.hvd.duties") / "data" / name


def _inspire_phrases() -> list[Phrase]:
    """INSPIRE theme names, for the HVD concepts named like an INSPIRE theme."""
    import pyoxigraph as ox

    skos = "http://www.w3.org/2004/02/skos/core#prefLabel"
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    path = str(_data("inspire-themes.rdf"))
    for quad in ox.parse(path=path, format=ox.RdfFormat.RDF_XML):
        if quad.predicate.value == skos and getattr(quad.object, "language", None):
            labels[quad.subject.value][quad.object.language] = quad.object.value
    by_name = {fold(lab): uri for uri, lab in concept_index().labels.items()}
    out = []
    for theme, names in labels.items():
        concept = by_name.get(fold(names.get("en", "")))
        if concept is None:
            continue
        for lang, name in names.items():
            for variant in label_variants(name):
                out.append(Phrase(concept, lang, phrase_stems(variant), f"inspire:{theme}"))
    return out


def _term_phrases() -> list[Phrase]:
    doc = json.loads(_data("terms.json").read_text(encoding="utf-8"))
    known = concept_index()
    out = []
    for entry in doc["terms"]:
        concept = "http://data.europa.eu/bna/" + entry["concept"]
        if concept not in known:
            raise ValueError(f"terms.json: unknown HVD concept {entry['concept']}")
        for lang, terms in entry["labels"].items():
            for term in terms:
                out.append(Phrase(concept, lang, phrase_stems(term), entry["source"]))
    return out


def _term_factors() -> dict[str, float]:
    doc = json.loads(_data("terms.json").read_text(encoding="utf-8"))
    return {e["source"]: float(e["factor"]) for e in doc["terms"] if "factor" in e}


def build(phrases: list[Phrase], factors: dict[str, float] | None = None) -> Lexicon:
    """Weights: 1 / number of concepts whose phrases (same language) use the stem; function
    words (see :data:`FUNCTION_AT`) weigh 0."""
    users: dict[tuple[str, str], set[str]] = defaultdict(set)
    unique: list[Phrase] = []
    seen = set()
    for p in phrases:
        key = (p.concept, p.lang, p.stems)
        if key in seen or not p.stems:
            continue
        seen.add(key)
        unique.append(p)
        for s in p.stems:
            users[(p.lang, s)].add(p.concept)
    lex = Lexicon(phrases=unique, factor=dict(factors or {}))
    solo = {(p.lang, p.stems[0]) for p in unique if len(p.stems) == 1}
    for (lang, s), concepts in users.items():
        n = len(concepts)
        short = len(s) <= SHORT and n >= SHORT_FUNCTION_AT and (lang, s) not in solo
        lex.weight[(lang, s)] = 0.0 if n >= FUNCTION_AT or len(s) < 2 or short else 1.0 / n
        lex.by_head.setdefault((lang, s[:4]), set()).add(s)
    for p in unique:
        weights = [lex.weight[(p.lang, s)] for s in set(p.stems)]
        lex.content.append((sum(1 for w in weights if w), sum(weights)))
    for i, p in enumerate(unique):
        for s in set(p.stems):
            lex.postings.setdefault((p.lang, s), []).append(i)
            if len(p.stems) == 1 and len(s) >= CROSS_LANGUAGE and lex.weight[(p.lang, s)]:
                lex.long_by_head.setdefault(s[:4], set()).add(s)
                lex.long_postings.setdefault(s, []).append(i)
    lex.languages = frozenset(p.lang for p in unique)
    return lex


@cache
def lexicon() -> Lexicon:
    """The lexicon of all sources, built once per process (about 0.2 s)."""
    return build(_hvd_phrases() + _inspire_phrases() + _term_phrases(), _term_factors())
