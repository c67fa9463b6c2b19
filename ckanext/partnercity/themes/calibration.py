"""Confidence measured by the kind of evidence, learned from published alignments.

The suggester's rule-based confidence says how much evidence a suggestion has, not how often
such evidence is right; a :class:`Calibration` replaces it by the share of right first answers
among suggestions of the same kind, measured leave-one-source-out on the published alignments
(docs/themes.md, "Calibration", says how kinds are told apart and estimates shrunk).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from . import text
from .skos.alignments import AlignmentEntry, bundled_alignments
from .skos.schemes import EU_THEME_SCHEME, Concept, Scheme, bundled_concepts
from .suggest.labels import MIN_CONFIDENCE, PUBLISHED, Suggestion
from .suggest.suggester import Suggester

#: Pseudo-answers with which each level's estimate leans on the level above it.
PSEUDO_COUNT = 4
#: Calibrated confidences stay under the auto-apply level (0.9): only published whole
#: labels are applied without review.
CEILING = 0.89
#: A suggestion leads clearly when the best other one has at most this share of its
#: confidence.
CONTESTED = 0.75
#: Alignments with fewer labelled examples are not asked (too few to measure).
MIN_EXAMPLES = 10


@dataclass(frozen=True)
class Example:
    """A local label and the concepts its publisher mapped it to."""

    label: str
    lang: str | None
    truth: frozenset[str]
    source: str


def _resolve(concept: str) -> str:
    # Wallonia's non-standard …/EDUC#SPORT is a part of EDUC.
    return concept.split("#", 1)[0]


def examples(alignments: Iterable[AlignmentEntry], source: str) -> list[Example]:
    """The labelled examples of one alignment: each label (normalized, per language)
    once, with every concept the alignment maps it to."""
    truth: dict[tuple, set[str]] = defaultdict(set)
    first: dict[tuple, str] = {}
    for entry in alignments:
        if entry.source != source:
            continue
        for lang, labels in entry.local_labels.items():
            for label in labels:
                key = (text.key(label), lang or None)
                if key[0]:
                    truth[key].add(_resolve(entry.concept))
                    first.setdefault(key, label)
    return [Example(first[k], k[1], frozenset(v), source) for k, v in truth.items()]


def _support(suggestion: Suggestion, published: list[Suggestion]) -> str:
    if not published:
        return "none"
    if published[0].concept == suggestion.concept:
        return "agree"
    if any(p.concept == suggestion.concept for p in published):
        return "weak"
    return "other"


def features(
    suggestion: Suggestion, found: list[Suggestion], published: list[Suggestion]
) -> tuple[str, ...]:
    """The kind of a suggestion, coarse to fine, its concept last (module doc)."""
    others = [s.confidence for s in found if s.concept != suggestion.concept]
    ratio = max(others, default=0.0) / suggestion.confidence
    lead = "clear" if ratio <= CONTESTED else "contested" if ratio <= 1.0 else "behind"
    support = _support(suggestion, published)
    sources = str(min(suggestion.sources, 3))
    return (suggestion.basis, support, sources, lead, suggestion.concept)


class Calibration:
    """Right and total answers per kind of suggestion (every prefix of ``features``)."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, ...], list[int]] = defaultdict(lambda: [0, 0])
        self.concepts: set[str] = set()

    def add(self, concept: str, key: tuple[str, ...], right: bool) -> None:
        self.concepts.add(concept)
        for depth in range(1, len(key) + 1):
            counts = self.counts[key[:depth]]
            counts[0] += 1
            counts[1] += right

    def reliability(self, key: tuple[str, ...], prior: float) -> float:
        """Share of right answers of this kind, each level shrunk toward the one above."""
        estimate = prior
        for depth in range(1, len(key) + 1):
            n, right = self.counts.get(key[:depth], (0, 0))
            estimate = (right + PSEUDO_COUNT * estimate) / (n + PSEUDO_COUNT)
        return estimate

    def apply(self, found: list[Suggestion], published: list[Suggestion]) -> list[Suggestion]:
        """``found`` (best first) with the first one's confidence measured and the
        others' scaled alike, so the rules' order stays; a first suggestion that rests
        on a published whole label, or is of a concept never measured, keeps its."""
        top = found[0]
        if top.basis == PUBLISHED or top.concept not in self.concepts:
            return found
        key = features(top, found, published)
        factor = min(CEILING, self.reliability(key, top.confidence)) / top.confidence
        out = []
        for suggestion in found:
            value = round(min(CEILING, suggestion.confidence * factor), 3)
            if value >= MIN_CONFIDENCE:
                out.append(replace(suggestion, confidence=value))
        return out


class _Recorder:
    """Stands in for a calibration while fitting: keeps the kinds, changes nothing."""

    def __init__(self) -> None:
        self.seen: list[tuple[Suggestion, tuple[str, ...]]] = []

    def apply(self, found: list[Suggestion], published: list[Suggestion]) -> list[Suggestion]:
        if found[0].basis != PUBLISHED:
            self.seen.append((found[0], features(found[0], found, published)))
        return found


def fit(
    concepts: Iterable[Concept | Scheme],
    alignments: Iterable[AlignmentEntry],
    lexicon=None,
    scheme: str | None = EU_THEME_SCHEME,
    official=None,
) -> Calibration:
    """Measure the kinds of suggestions by leave-one-source-out over ``alignments``
    (module doc); ``lexicon`` and ``official`` as for :class:`Suggester`."""
    concepts, alignments = list(concepts), list(alignments)
    calibration = Calibration()
    for source in sorted({a.source for a in alignments}):
        labelled = examples(alignments, source)
        if len(labelled) < MIN_EXAMPLES:
            continue
        recorder = _Recorder()
        others = [a for a in alignments if a.source != source]
        suggester = Suggester(
            concepts, others, lexicon=lexicon, calibration=recorder, official=official
        )
        for example in labelled:
            recorder.seen = []
            suggester.suggest(example.label, example.lang, scheme=scheme)
            for suggestion, key in recorder.seen:
                calibration.add(suggestion.concept, key, suggestion.concept in example.truth)
    return calibration


@functools.cache
def bundled() -> Calibration:
    """The calibration of the bundled EU data-theme vocabulary, alignments and lexicon."""
    return fit(bundled_concepts(EU_THEME_SCHEME), bundled_alignments())
