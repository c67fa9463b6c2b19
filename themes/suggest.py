"""Suggest shared concepts for a partner's local category from its label.

``Suggester(concepts, alignments).suggest("Umwelt und Klima", "de")`` returns
:class:`Suggestion` objects (concept IRI, SKOS relation, confidence in [0, 1]),
best first; an unknown label gives an empty list. A confidence of 0.5 or more
means "probably right" (see ``docs/themes-quality.md`` for the measurement).

How a label is matched
----------------------
1. The label *is* an IRI: a concept IRI gives that concept (``exactMatch``,
   1.0); the local IRI of a published alignment gives the alignment's concepts
   and relations (1.0). A concept's notation ("ENVI", "envi") gives it with
   ``exactMatch`` and 0.95.
2. The whole label equals (after normalization, in any order of its parts) a
   prefLabel / altLabel of a concept or a local label of an alignment: that
   concept. Labels in the label's own language count more than others; when
   equal labels point at different concepts (the Brussels keyword "Tourisme"
   is both ECON and REGI) the confidence is shared between them by their
   number of sources, so neither is confident.
3. Otherwise the label is split into parts (``themes.text.parts``: commas,
   slashes, conjunctions of the EU languages, stop words dropped) and each part
   is matched against the parts of every label with light stemming
   (``text.word_similarity``: inflection, compounds, one typo, cognate
   spellings such as "Kultur"/"cultura"); one word of a longer part may name
   a one-word label ("economic development" → "Economy"), at a discount.
   A part of a multi-part alignment label says little (the Wallonia facet
   "Agriculture, Environnement" maps to AGRI only), so those count half; the
   evidence of independent sources for one concept combines (noisy-or), and
   concepts hit by the same part share it. A concept's confidence is the mean
   evidence of the parts it explains, scaled by the share of the label they
   are, by the unknown parts (each costs up to half) and by position (the
   topic named first leads), at most ``PART_CONFIDENCE``.
4. An IRI that is neither a concept nor a known local IRI is matched by the
   label it carries (``skos.label_from_uri``: an Opendatasoft facet URL), or
   gives nothing.

Concepts of different schemes never compete: without ``scheme`` each scheme
is matched on its own and the results are merged.

The relation of a part-level suggestion (the rule)
--------------------------------------------------
- One concept explains the label:
  - every part matched and every part of one of the concept's own labels
    matched too ("Bildung, Sport, Kultur" ~ "Bildung, Kultur und Sport") →
    ``closeMatch``;
  - every part matched, but the concept's labels have more ("Bevölkerung" →
    "Bevölkerung und Gesellschaft") → ``broadMatch`` (the shared concept is
    broader);
  - some parts unknown ("Transporturi și infrastructură" → Transport) →
    ``closeMatch``.
- Parts point at several concepts ("Kultur, Freizeit, Sport, Tourismus"):
  a concept all of whose label parts appear in the local label is
  ``narrowMatch`` (the shared concept is narrower than the local category,
  "Umwelt" in "Umwelt und Verkehr"); any other is ``closeMatch`` (overlap).
- A hit that rests on alignment labels only keeps the alignment's relation.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from . import text
from .skos import AlignmentEntry, Concept, Scheme, label_from_uri

#: Suggestions below this confidence are not returned.
MIN_CONFIDENCE = 0.2
#: A part matches a label part from this similarity on.
PART_THRESHOLD = 0.6
#: Ceiling of a part-level (not whole-label) suggestion; calibrated on the bench so that
#: confident (>= 0.5) answers are right at least 9 times in 10.
PART_CONFIDENCE = 0.85
#: Weaker hits are ignored, even when combined with others.
EVIDENCE_FLOOR = 0.4
#: Weight of a label in another language than the one asked for.
OTHER_LANGUAGE = 0.9
MAX_SUGGESTIONS = 5
#: Weight of one word of a multi-word part matching a one-word label part.
WORD_FACTOR = 0.75


@dataclass(frozen=True)
class Suggestion:
    concept: str
    relation: str
    confidence: float


@dataclass(frozen=True)
class _Label:
    concept: str
    kind: str  # "pref", "alt" or "align"
    lang: str  # "" when untagged
    relation: str | None  # of an alignment label
    source: str
    parts: tuple[tuple[str, ...], ...]


def _lang(lang: str | None) -> str:
    return (lang or "").split("-")[0].split("_")[0].lower()


def _uri_variants(uri: str) -> set[str]:
    uri = uri.strip()
    out = {uri, uri.rstrip("/")}
    for u in list(out):
        if u.startswith("https://"):
            out.add("http://" + u[len("https://") :])
        elif u.startswith("http://"):
            out.add("https://" + u[len("http://") :])
    return out


def _looks_like_iri(label: str) -> bool:
    return label.startswith(("http://", "https://", "urn:")) and " " not in label


def part_similarity(p: tuple[str, ...], q: tuple[str, ...]) -> float:
    """Dice similarity of two parts, words compared with ``text.word_similarity``."""
    if p == q:
        return 1.0
    used: set[int] = set()
    total = 0.0
    for a in p:
        best, best_j = 0.0, -1
        for j, b in enumerate(q):
            if j in used:
                continue
            s = text.word_similarity(a, b)
            if s > best:
                best, best_j = s, j
        if best_j >= 0:
            used.add(best_j)
            total += best
    return 2 * total / (len(p) + len(q))


class Suggester:
    """Suggests concepts for local labels from concept labels and published alignments.

    ``concepts``: :class:`Concept` objects (or :class:`Scheme` objects, whose concepts
    are used). ``alignments``: :class:`AlignmentEntry` objects; entries whose concept
    is not among ``concepts`` are ignored, except that a non-standard fragment IRI
    (Wallonia's ``…/data-theme/EDUC#SPORT``) is read as a narrower concept of
    ``…/EDUC`` (relation ``broadMatch`` from the local side).
    """

    def __init__(
        self,
        concepts: Iterable[Concept | Scheme],
        alignments: Iterable[AlignmentEntry] = (),
    ):
        self.concepts: dict[str, Concept] = {}
        for item in concepts:
            for concept in item.concepts if isinstance(item, Scheme) else [item]:
                self.concepts.setdefault(concept.uri, concept)
        self._schemes = sorted({c.scheme_uri or "" for c in self.concepts.values()})
        self._uris: dict[str, str] = {}
        for uri in self.concepts:
            for variant in _uri_variants(uri):
                self._uris.setdefault(variant, uri)
        self._notations: dict[str, set[str]] = defaultdict(set)
        self._labels: list[_Label] = []
        self._local_uris: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for concept in self.concepts.values():
            if concept.notation and len(concept.notation) >= 3:
                self._notations[concept.notation.casefold()].add(concept.uri)
            for lang, label in concept.pref_labels.items():
                self._add_label(concept.uri, "pref", lang, None, "vocabulary", label)
            for lang, labels in concept.alt_labels.items():
                for label in labels:
                    self._add_label(concept.uri, "alt", lang, None, "vocabulary", label)
        for entry in alignments:
            resolved = self._resolve(entry)
            if resolved is None:
                continue
            concept, relation = resolved
            if entry.local_uri:
                for variant in _uri_variants(entry.local_uri):
                    if (concept, relation) not in self._local_uris[variant]:
                        self._local_uris[variant].append((concept, relation))
            for lang, labels in entry.local_labels.items():
                for label in labels:
                    self._add_label(concept, "align", lang, relation, entry.source, label)
        self._by_key: dict[tuple, list[int]] = defaultdict(list)
        self._by_prefix: dict[str, set[str]] = defaultdict(set)
        self._by_word: dict[str, set[tuple[int, int]]] = defaultdict(set)
        for index, label in enumerate(self._labels):
            self._by_key[tuple(sorted(set(label.parts)))].append(index)
            for j, part in enumerate(label.parts):
                for word in part:
                    for form, _weight in text.spellings(word):
                        self._by_word[form].add((index, j))
                        self._by_prefix[form[:4]].add(form)

    # -- building -----------------------------------------------------------

    def _resolve(self, entry: AlignmentEntry) -> tuple[str, str] | None:
        if entry.concept in self.concepts:
            return entry.concept, entry.relation
        base, _, fragment = entry.concept.partition("#")
        if fragment and base in self.concepts:
            relation = "closeMatch" if entry.relation == "narrowMatch" else "broadMatch"
            return base, relation
        return None

    def _add_label(self, concept, kind, lang, relation, source, label) -> None:
        parts = text.parts(label)
        if parts:
            self._labels.append(_Label(concept, kind, _lang(lang), relation, source, parts))

    # -- suggesting ---------------------------------------------------------

    def suggest(
        self, label: str, lang: str | None = None, scheme: str | None = None
    ) -> list[Suggestion]:
        """Suggestions for one local label, best first (empty when unknown).

        ``lang``: the label's language (its labels count first); ``scheme``: only
        concepts of this concept scheme IRI.
        """
        label = (label or "").strip()
        if not label:
            return []

        def allowed(uri: str) -> bool:
            return scheme is None or self.concepts[uri].scheme_uri == scheme

        if _looks_like_iri(label):
            found = self._by_iri(label, allowed)
            if found is not None:
                return found
            label = label_from_uri(label) or ""  # never the words of a host name
            if not label:
                return []
        if " " not in label and label.casefold() in self._notations:
            hits = sorted(c for c in self._notations[label.casefold()] if allowed(c))
            if hits:
                return [Suggestion(c, "exactMatch", 0.95) for c in hits]
        lang = _lang(lang)
        parts = text.parts(label)
        if not parts:
            return []
        # Concepts compete within their scheme only: a label can be an EU data theme
        # and an HVD category at the same time.
        out: list[Suggestion] = []
        for uri in [scheme] if scheme is not None else self._schemes:

            def in_scheme(concept: str, uri=uri) -> bool:
                return (self.concepts[concept].scheme_uri or "") == uri

            out += self._exact(parts, lang, in_scheme) or self._by_parts(parts, lang, in_scheme)
        return sorted(out, key=lambda s: (-s.confidence, s.concept))[:MAX_SUGGESTIONS]

    def _by_iri(self, label: str, allowed) -> list[Suggestion] | None:
        for variant in _uri_variants(label):
            if variant in self._uris:
                uri = self._uris[variant]
                return [Suggestion(uri, "exactMatch", 1.0)] if allowed(uri) else []
        for variant in _uri_variants(label):
            if variant in self._local_uris:
                return [
                    Suggestion(concept, relation, 1.0)
                    for concept, relation in sorted(self._local_uris[variant])
                    if allowed(concept)
                ]
        return None

    def _lang_weight(self, label: _Label, lang: str) -> float:
        if not lang or not label.lang or label.lang == lang:
            return 1.0
        return OTHER_LANGUAGE

    def _exact(self, parts, lang: str, allowed) -> list[Suggestion]:
        key = tuple(sorted(set(parts)))
        best: dict[str, float] = {}
        votes: dict[str, set[str]] = defaultdict(set)
        relations: dict[str, Counter] = defaultdict(Counter)
        for index in self._by_key.get(key, []):
            label = self._labels[index]
            if not allowed(label.concept):
                continue
            weight = {"pref": 1.0, "alt": 0.97, "align": 0.95}[label.kind]
            weight *= 1.0 if self._lang_weight(label, lang) == 1.0 else 0.97
            best[label.concept] = max(best.get(label.concept, 0.0), weight)
            # The vocabulary's own label counts as two sources.
            if label.kind == "align":
                votes[label.concept].add(label.source)
                relations[label.concept][label.relation] += 1
            else:
                votes[label.concept] |= {"vocabulary", "vocabulary*"}
                relations[label.concept]["exactMatch"] += 100
        if not best:
            return []
        total = sum(len(v) for v in votes.values())
        out = []
        for concept, score in best.items():
            share = len(votes[concept]) / total
            confidence = round(min(0.99, score * share), 3)
            if confidence >= MIN_CONFIDENCE:
                relation = relations[concept].most_common(1)[0][0]
                out.append(Suggestion(concept, relation, confidence))
        return sorted(out, key=lambda s: (-s.confidence, s.concept))[:MAX_SUGGESTIONS]

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

    def _by_parts(self, parts, lang: str, allowed) -> list[Suggestion]:
        n = len(parts)
        evidence: list[dict[str, float]] = []  # per part: concept -> evidence
        align_relations: dict[str, Counter] = defaultdict(Counter)
        own_hits: dict[str, bool] = defaultdict(bool)
        label_part_hits: dict[int, set[int]] = defaultdict(set)
        for part in parts:
            # Best evidence per (concept, source); independent sources combine
            # (noisy-or), so two weak hits from two publishers make a strong one.
            best: dict[tuple[str, str], float] = {}
            kinds: dict[str, list[_Label]] = defaultdict(list)
            for index, j in self._candidates(part):
                label = self._labels[index]
                if not allowed(label.concept):
                    continue
                q = label.parts[j]
                sim = part_similarity(part, q)
                if len(part) > 1 and len(q) == 1:
                    # One word of a longer part names a theme ("economic development").
                    word = max(text.word_similarity(w, q[0]) for w in part)
                    sim = max(sim, WORD_FACTOR * word)
                weight = {"pref": 1.0, "alt": 0.95, "align": 0.95}[label.kind]
                if label.kind == "align" and len(label.parts) > 1:
                    weight *= 0.5
                score = sim * weight * self._lang_weight(label, lang)
                if score < EVIDENCE_FLOOR:
                    continue
                if score >= PART_THRESHOLD:
                    label_part_hits[index].add(j)
                key = (label.concept, label.source)
                best[key] = max(best.get(key, 0.0), score)
                kinds[label.concept].append(label)
            combined: dict[str, float] = defaultdict(lambda: 1.0)
            n_sources: dict[str, int] = defaultdict(int)
            for (concept, _source), score in best.items():
                combined[concept] *= 1.0 - score
                n_sources[concept] += 1
            scores = {c: 1.0 - rest for c, rest in combined.items() if 1.0 - rest >= PART_THRESHOLD}
            for c in scores:
                for label in kinds[c]:
                    if label.kind == "align":
                        align_relations[c][label.relation] += 1
                    else:
                        own_hits[c] = True
            evidence.append(scores)

        unknown = sum(1 for scores in evidence if not scores)
        if unknown == n:
            return []
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
        confidence = {
            c: PART_CONFIDENCE
            * (sum(values) / len(values))
            * (0.7 + 0.3 * explained[c] / known)
            * (1 - 0.5 * unknown / n)
            * (1 - 0.04 * first[c])  # the topic named first leads a compound label
            for c, values in strength.items()
        }
        covered = {
            self._labels[index].concept
            for index, hit in label_part_hits.items()
            if self._labels[index].kind != "align" and len(hit) == len(self._labels[index].parts)
        }
        several = len(confidence) > 1
        out = []
        for c, value in confidence.items():
            value = round(min(0.99, value), 3)
            if value < MIN_CONFIDENCE:
                continue
            if not own_hits[c]:
                relation = align_relations[c].most_common(1)[0][0]
            elif several:
                relation = "narrowMatch" if c in covered else "closeMatch"
            elif unknown == 0 and c not in covered:
                relation = "broadMatch"
            else:
                relation = "closeMatch"
            out.append(Suggestion(c, relation, value))
        return sorted(out, key=lambda s: (-s.confidence, s.concept))[:MAX_SUGGESTIONS]
