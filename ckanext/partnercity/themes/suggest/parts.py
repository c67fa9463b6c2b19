"""Part-level matching: a label split into parts, each part matched with light stemming.

Used when no whole label matches ("Kultur, Freizeit, Sport, Tourismus"); the evidence
rules and the relation rule are described in docs/themes.md ("How the suggester decides").
"""

from __future__ import annotations

from collections import Counter, defaultdict

from .. import lexicon as lexicon_module
from .. import text
from .index import LabelIndex
from .labels import (
    COMPOUND_FACTOR,
    EVIDENCE_FLOOR,
    FOREIGN_STEM,
    MAX_SUGGESTIONS,
    MIN_CONFIDENCE,
    PART_CONFIDENCE,
    PART_THRESHOLD,
    PART_WEIGHT,
    PARTS,
    PARTS_LEXICON,
    SINGLE_SOURCE_EVIDENCE,
    STEM,
    WHOLE,
    WORD,
    WORD_FACTOR,
    Label,
    Suggestion,
    part_similarity,
)


class PartMatcher(LabelIndex):
    """Evidence per part of a local label, combined into part-level suggestions."""

    def _candidates(self, part: tuple[str, ...]) -> set[tuple[int, int]]:
        found: set[tuple[int, int]] = set()
        for word in part:
            for form, _weight in text.spellings(word):
                if len(form) < 4:
                    found |= self._by_word.get(form, set())
                    continue
                for other in self._by_prefix.get(form[:4], ()):
                    if text.token_similarity(form, other) > 0:
                        found |= self._by_word[other]
        return found

    def _label_score(self, part, index: int, j: int, lang: str) -> tuple[float, int]:
        """Evidence of one label part for a local part, and how it matched: ``WHOLE``
        (equal parts), ``STEM`` (alike, in the label's language), ``FOREIGN_STEM``
        (alike, another or unknown language) or ``WORD`` (one word of it)."""
        label = self._labels[index]
        q = label.parts[j]
        sim = part_similarity(part, q)
        level = WHOLE if sim == 1.0 else WORD
        if level == WORD and sim >= PART_THRESHOLD:
            level = STEM if lang and label.lang == lang else FOREIGN_STEM
        if len(part) > 1 and len(q) == 1:
            # One word of a longer part names a theme ("economic development").
            word = max(text.word_similarity(w, q[0]) for w in part)
            sim = max(sim, WORD_FACTOR * word)
        weight = PART_WEIGHT[label.kind]
        if label.kind == "align" and len(label.parts) > 1:
            weight *= 0.5
        return sim * weight * self._lang_weight(label, lang), level

    @staticmethod
    def _trusted(keys: list[tuple[str, str]], levels: dict[tuple[str, str], int]) -> bool:
        """May this evidence be confident? A part matched whole, a label of the same
        language or the vocabulary's own label alike, or two independent sources
        alike; one word of a longer part, or one source alike across languages
        (false friends), is a guess for review."""
        alike = [k for k in keys if levels[k] >= FOREIGN_STEM]
        if len(alike) > 1 or any(levels[k] >= STEM for k in keys):
            return True
        return any(k[1] == "vocabulary" for k in alike)

    def _part_evidence(
        self, part, lang: str, allowed, hits: _Hits
    ) -> tuple[dict[str, float], bool]:
        """Concept -> evidence for one part of a local label, and whether it is trusted.

        Independent sources combine (noisy-or), so two weak hits from two publishers
        make a strong one; evidence that is not ``_trusted`` stays a guess (at most
        ``SINGLE_SOURCE_EVIDENCE``).
        """
        best: dict[tuple[str, str], float] = {}
        levels: dict[tuple[str, str], int] = defaultdict(int)
        kinds: dict[str, list[Label]] = defaultdict(list)
        for index, j in self._candidates(part):
            label = self._labels[index]
            if not allowed(label):
                continue
            score, level = self._label_score(part, index, j, lang)
            if score < EVIDENCE_FLOOR:
                continue
            if score >= PART_THRESHOLD:
                hits.label_parts[index].add(j)
            key = (label.concept, label.source)
            best[key] = max(best.get(key, 0.0), score)
            levels[key] = max(levels[key], level)
            kinds[label.concept].append(label)
        combined: dict[str, float] = defaultdict(lambda: 1.0)
        sources: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for key, score in best.items():
            combined[key[0]] *= 1.0 - score
            sources[key[0]].append(key)
        # Closer evidence hides weaker: a concept whose label part equals this part
        # hides those only alike ("cultură" is culture, not the alike "culte"), and
        # trusted evidence hides guesses ("Parcări publice" is not about "publice").
        whole = {key[0] for key in best if levels[key] == WHOLE}
        scores: dict[str, float] = {}
        guesses: dict[str, float] = {}
        for concept, rest in combined.items():
            score = 1.0 - rest
            if score < PART_THRESHOLD or (whole and concept not in whole):
                continue
            if self._trusted(sources[concept], levels):
                scores[concept] = score
            else:
                guesses[concept] = min(score, SINGLE_SOURCE_EVIDENCE)
        found = _published_first_scores(scores, sources) or guesses
        for concept in found:
            hits.record(concept, kinds[concept])
        return found, bool(scores)

    def _compound_readings(self, part: tuple[str, ...], lang: str) -> list[tuple[str, ...]]:
        """Other readings of a part with compound words of ``lang`` split: all the
        known pieces, and the head of the last compound alone ("Radverkehr" → "verkehr")."""
        known = self._words_by_lang.get(lang) if lang in text.COMPOUNDING_LANGUAGES else None
        if not known:
            return []
        pieces: list[str] = []
        head = None
        for word in part:
            split = text.split_compound(word, known)
            pieces += split or [word]
            head = split[-1] if split else head
        if head is None:
            return []
        return [tuple(pieces), (head,)] if len(pieces) > 1 else [tuple(pieces)]

    def _evidence(self, part, lang: str, allowed, hits: _Hits) -> dict[str, float]:
        """Evidence of a part; without trusted evidence, that of its compound readings
        too, at ``COMPOUND_FACTOR``."""
        scores, trusted = self._part_evidence(part, lang, allowed, hits)
        if trusted:
            return scores
        for reading in self._compound_readings(part, lang):
            found, trusted = self._part_evidence(reading, lang, allowed, hits)
            if trusted:
                scores = {}  # a trusted reading hides the word's own guesses
            for concept, score in found.items():
                if COMPOUND_FACTOR * score > scores.get(concept, 0.0):
                    scores[concept] = COMPOUND_FACTOR * score
            if trusted:
                return scores
        return scores

    def _by_parts(self, parts, lang: str, allowed) -> list[Suggestion]:
        hits = _Hits()
        evidence = [self._evidence(part, lang, allowed, hits) for part in parts]
        n = len(parts)
        unknown = sum(1 for scores in evidence if not scores)
        if unknown == n:
            return []
        confidence = _part_confidence(evidence, unknown)
        covered = {
            self._labels[index].concept
            for index, hit in hits.label_parts.items()
            if self._labels[index].kind in ("pref", "alt")
            and len(hit) == len(self._labels[index].parts)
        }
        several = len(confidence) > 1
        out = []
        for c, value in confidence.items():
            value = round(min(0.99, value), 3)
            if value >= MIN_CONFIDENCE:
                relation = hits.relation(c, several, c in covered, unknown == 0)
                basis = PARTS if c in hits.own or c in hits.align_relations else PARTS_LEXICON
                sources = len(hits.sources[c])
                out.append(Suggestion(c, relation, value, basis, sources))
        return sorted(out, key=lambda s: (-s.confidence, s.concept))[:MAX_SUGGESTIONS]


def _published_first_scores(scores: dict[str, float], sources: dict) -> dict[str, float]:
    """``_published_first`` for part evidence: concepts only the lexicon supports
    give way when others are supported by the vocabulary or an alignment."""
    published = {c for c in scores if any(src != lexicon_module.SOURCE for _, src in sources[c])}
    return {c: v for c, v in scores.items() if c in published} if published else scores


def _part_confidence(evidence: list[dict[str, float]], unknown: int) -> dict[str, float]:
    """A concept's confidence: the mean evidence of the parts it explains, scaled by
    the share of the label they are, the unknown parts and position (docs/themes.md)."""
    n = len(evidence)
    known = n - unknown
    strength: dict[str, list[float]] = defaultdict(list)
    explained: dict[str, float] = defaultdict(float)
    first: dict[str, int] = {}
    for i, scores in enumerate(evidence):
        total = sum(scores.values())
        for c, score in scores.items():
            share = score / total
            strength[c].append(score * share)
            explained[c] += share
            first.setdefault(c, i)
    return {
        c: PART_CONFIDENCE
        * (sum(values) / len(values))
        * (0.7 + 0.3 * explained[c] / known)
        * (1 - 0.5 * unknown / n)
        * (1 - 0.04 * first[c])  # the topic named first leads a compound label
        for c, values in strength.items()
    }


class _Hits:
    """What kinds of labels gave each concept its part-level evidence (for the relation)."""

    def __init__(self) -> None:
        self.align_relations: dict[str, Counter] = defaultdict(Counter)
        self.own: set[str] = set()
        self.lex: set[str] = set()
        self.label_parts: dict[int, set[int]] = defaultdict(set)
        self.sources: dict[str, set[str]] = defaultdict(set)

    def record(self, concept: str, labels: list[Label]) -> None:
        for label in labels:
            self.sources[concept].add(label.source)
            if label.kind == "align":
                self.align_relations[concept][label.relation] += 1
            elif label.kind == "lex":
                self.lex.add(concept)
            else:
                self.own.add(concept)

    def relation(self, concept: str, several: bool, covered: bool, all_known: bool) -> str:
        """The SKOS relation of a part-level suggestion (the rule in docs/themes.md)."""
        if concept not in self.own and concept in self.lex:
            # lexicon terms are topics within a theme
            return "closeMatch" if several else "broadMatch"
        if concept not in self.own:
            return self.align_relations[concept].most_common(1)[0][0]
        if several:
            return "narrowMatch" if covered else "closeMatch"
        if all_known and not covered:
            return "broadMatch"
        return "closeMatch"
