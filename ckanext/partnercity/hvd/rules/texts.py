"""What licence and rights texts say, in the publisher's own words.

An unknown licence URI tells a checker nothing; its ``rdfs:label`` or description often does
("royalties are due for commercial reuse"). This module reads those texts (any language) and
finds sentences that ask for a fee (Directive (EU) 2019/1024 Art. 14(1): high-value datasets
are free of charge) or restrict re-use beyond attribution (2023/138 Art. 4(3)). The words per
language are data with their sources, in ``fee_terms.yaml``, not code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .model import Lit, Node

TERMS_FILE = Path(__file__).resolve().parent / "fee_terms.yaml"
#: Properties whose literals are a licence's or rights statement's own text.
TEXT_PROPS = ("rdfs:label", "dct:title", "dct:description", "skos:prefLabel", "rdfs:comment")
#: A fee word this many words after a negator ("no", "keine", "aucune" …) is negated.
NEGATION_WINDOW = 3
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")
_WORD = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class Quote:
    """A sentence of a text that matched, with the word and the language whose term it is."""

    sentence: str
    term: str
    lang: str

    def __str__(self) -> str:
        return f"“{self.sentence}” ({self.lang}: {self.term})"


@dataclass(frozen=True)
class _Language:
    fee: re.Pattern
    free: re.Pattern | None
    ignore: re.Pattern | None
    negators: frozenset


def _alternation(patterns) -> re.Pattern | None:
    if not patterns:
        return None
    return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in patterns) + r")(?!\w)", re.I)


@lru_cache(maxsize=1)
def _terms() -> tuple[dict[str, _Language], dict[str, re.Pattern]]:
    doc = yaml.safe_load(TERMS_FILE.read_text(encoding="utf-8"))
    langs = {
        code: _Language(
            fee=_alternation(spec["fee"]),
            free=_alternation(spec.get("free")),
            ignore=_alternation(spec.get("ignore")),
            negators=frozenset(w.lower() for w in spec.get("negators", ())),
        )
        for code, spec in doc["languages"].items()
    }
    not_open = {code: _alternation(p) for code, p in doc["not_open"]["terms"].items()}
    return langs, not_open


def languages() -> list[str]:
    return sorted(_terms()[0])


def node_texts(value) -> list[Lit]:
    """The own text of a licence / rights value: a literal itself, or a node's labels,
    titles, descriptions and comments (every language)."""
    if isinstance(value, Lit):
        return [value]
    if isinstance(value, Node):
        return [v for p in TEXT_PROPS for v in value.values(p) if isinstance(v, Lit)]
    return []


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


def _negated(before: str, negators: frozenset) -> bool:
    words = [w.lower().strip("'’-") for w in _WORD.findall(before)][-NEGATION_WINDOW:]
    # French elision ("n'est pas") and English contractions ("isn't") negate too
    return any(
        w in negators or w.startswith(("n'", "n’")) or w.endswith(("n't", "n’t")) for w in words
    )


def _blank(text: str, pattern: re.Pattern | None) -> str:
    """Replace matches by spaces, keeping offsets, so removed phrases cannot match later."""
    return pattern.sub(lambda m: " " * len(m.group()), text) if pattern else text


@lru_cache(maxsize=8192)
def _fee_in_sentence(sentence: str) -> tuple[str, str] | None:
    """(term, language) of a fee the sentence asks for, or None."""
    langs, _ = _terms()
    text = sentence
    for lang in langs.values():
        text = _blank(text, lang.ignore)
    for code, lang in langs.items():  # "not free of charge" / "nicht kostenlos" is a fee
        if lang.free is None:
            continue
        for m in lang.free.finditer(text):
            if _negated(text[: m.start()], lang.negators):
                return m.group(), code
    for lang in langs.values():
        text = _blank(text, lang.free)
    for code, lang in langs.items():
        last_negated_end = None
        for m in lang.fee.finditer(text):
            before = text[: m.start()]
            chained = last_negated_end is not None and (
                len(_WORD.findall(text[last_negated_end : m.start()])) < NEGATION_WINDOW
            )
            if _negated(before, lang.negators) or chained:
                last_negated_end = m.end()
                continue
            return m.group(), code
    return None


def find_fees(texts: list[Lit]) -> list[Quote]:
    """Sentences of ``texts`` that ask for a fee, royalty, charge, price or payment."""
    quotes = []
    for lit in texts:
        for sentence in sentences(lit.value):
            found = _fee_in_sentence(sentence)
            if found:
                quotes.append(Quote(sentence, *found))
    return quotes


def find_not_open(texts: list[Lit]) -> list[Quote]:
    """Sentences naming a non-commercial or no-derivatives condition (not negated)."""
    langs, not_open = _terms()
    quotes = []
    for lit in texts:
        for sentence in sentences(lit.value):
            for code, pattern in not_open.items():
                m = pattern.search(sentence) if pattern else None
                negators = langs[code].negators if code in langs else frozenset()
                if m and not _negated(sentence[: m.start()], negators):
                    quotes.append(Quote(sentence, m.group(), code))
                    break
    return quotes


def describe(texts: list[Lit], limit: int = 300) -> str:
    """The texts as evidence: each quoted with its property language, shortened."""
    parts = []
    for lit in texts:
        text = " ".join(lit.value.split())
        text = text if len(text) <= limit else text[: limit - 1] + "…"
        parts.append(f"“{text}”" + (f"@{lit.lang}" if lit.lang else ""))
    return "; ".join(parts)
