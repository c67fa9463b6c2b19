"""Suggest shared concepts for a partner's local category from its label.

Whole labels first (IRI, notation, a concept's, an alignment's or the lexicon's label), then
parts of the label; how it decides is in docs/themes.md, its measured quality in
docs/themes-quality.md.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from .. import text
from ..skos.alignments import label_from_uri
from .labels import (
    CO_MAPPED,
    EXACT_WEIGHT,
    INSPIRE,
    LEXICON,
    MAX_SUGGESTIONS,
    MIN_CONFIDENCE,
    PUBLISHED,
    Label,
    Suggestion,
    base_lang,
    looks_like_iri,
    uri_variants,
)
from .parts import PartMatcher


class Suggester(PartMatcher):
    """Suggests concepts for local labels from concept labels and published alignments.

    ``concepts``: :class:`Concept` objects (or :class:`Scheme` objects, whose concepts
    are used). ``alignments``: :class:`AlignmentEntry` objects; entries whose concept
    is not among ``concepts`` are ignored, except that a non-standard fragment IRI
    (Wallonia's ``…/data-theme/EDUC#SPORT``) is read as a narrower concept of
    ``…/EDUC`` (relation ``broadMatch`` from the local side). ``lexicon``: domain
    terms (:mod:`..lexicon`); ``None`` means the bundled lexicon, ``()`` none.
    ``calibration``: an object whose ``apply(found, published)`` turns the
    confidences of suggestions that do not rest on a published whole label into
    measured ones (:class:`..calibration.Calibration`); ``None``: the rule-based
    confidences.
    """

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

        if looks_like_iri(label):
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
        lang = base_lang(lang)
        parts = text.parts(label)
        if not parts:
            return []
        # Concepts compete within their scheme only: a label can be an EU data theme
        # and an HVD category at the same time.
        out: list[Suggestion] = []
        for uri in [scheme] if scheme is not None else self._schemes:

            def in_scheme(label: Label, uri=uri) -> bool:
                return (self.concepts[label.concept].scheme_uri or "") == uri

            out += self._match(parts, lang, in_scheme)
        return sorted(out, key=lambda s: (-s.confidence, s.concept))[:MAX_SUGGESTIONS]

    def _match(self, parts, lang: str, allowed) -> list[Suggestion]:
        """Whole-label or part-level suggestions within one scheme; those that do not
        rest on a published whole label calibrated, if the suggester is."""
        found = self._exact(parts, lang, allowed) or self._by_parts(parts, lang, allowed)
        if self.calibration is None or all(s.basis == PUBLISHED for s in found):
            return found

        def published_only(label: Label) -> bool:
            return label.kind not in ("lex", "co") and allowed(label)

        published = self._exact(parts, lang, published_only) or self._by_parts(
            parts, lang, published_only
        )
        return self.calibration.apply(found, published)

    def _by_iri(self, label: str, allowed) -> list[Suggestion] | None:
        for variant in uri_variants(label):
            if variant in self._uris:
                uri = self._uris[variant]
                return [Suggestion(uri, "exactMatch", 1.0)] if allowed(uri) else []
        for variant in uri_variants(label):
            if variant in self._local_uris:
                return [
                    Suggestion(concept, relation, 1.0)
                    for concept, relation in sorted(self._local_uris[variant])
                    if allowed(concept)
                ]
        return None

    def _exact_labels(self, parts, lang: str, allowed) -> list[Label]:
        """Labels equal to the whole local label; a lexicon term of the label's own
        language hides the lexicon's homographs in others (de "Parken", nl "parken"),
        and the vocabulary and published alignments outrank co-mapped codes, which
        outrank the lexicon (they are published, if indirect, evidence)."""
        labels = [
            self._labels[i]
            for i in self._by_key.get(tuple(sorted(set(parts))), [])
            if allowed(self._labels[i])
        ]
        if lang and any(x.kind == "lex" and x.lang == lang for x in labels):
            labels = [x for x in labels if x.kind != "lex" or x.lang == lang]
        labels = _direct_terms_first(labels, lang)
        if any(x.kind in ("pref", "alt", "align") for x in labels):
            labels = [x for x in labels if x.kind != "co"]
        return _published_first(labels)

    def _exact(self, parts, lang: str, allowed) -> list[Suggestion]:
        labels = self._exact_labels(parts, lang, allowed)
        if any(label.kind == "co" for label in labels):
            return _co_mapped_suggestions(labels)
        best: dict[str, float] = {}
        votes: dict[str, set[str]] = defaultdict(set)
        relations: dict[str, Counter] = defaultdict(Counter)
        kinds: dict[str, set[str]] = defaultdict(set)
        lex_relations: dict[str, set[str | None]] = defaultdict(set)
        for label in labels:
            kinds[label.concept].add(label.kind)
            if label.kind == "lex":
                lex_relations[label.concept].add(label.relation)
            weight = EXACT_WEIGHT[label.kind]
            weight *= 1.0 if self._lang_weight(label, lang) == 1.0 else 0.97
            best[label.concept] = max(best.get(label.concept, 0.0), weight)
            # The vocabulary's own label counts as two sources.
            if label.kind == "align":
                votes[label.concept].add(label.source)
                relations[label.concept][label.relation] += 1
            elif label.kind == "lex":
                # A lexicon term is a topic within the theme: the theme is broader.
                votes[label.concept].add(label.source)
                relations[label.concept][label.relation or "broadMatch"] += 1
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
                basis = (
                    PUBLISHED
                    if relations[concept]["exactMatch"] or kinds[concept] - {"lex"}
                    else LEXICON
                    if None in lex_relations[concept]
                    else INSPIRE
                )
                sources = len(votes[concept] - {"vocabulary*"})
                out.append(Suggestion(concept, relation, confidence, basis, sources))
        return sorted(out, key=lambda s: (-s.confidence, s.concept))[:MAX_SUGGESTIONS]


def _direct_terms_first(labels: list[Label], lang: str) -> list[Label]:
    """Without the concepts a label reaches only through another vocabulary's broad
    alignment, when a lexicon term of the label's own language names a concept
    directly.

    An INSPIRE theme name (official or the lexicon's) is a label of every data theme
    SEMIC maps the INSPIRE theme to: the alignment fans one subject out over several
    themes ("Land use" → ECON, ENVI) because it cannot say which. A term the lexicon
    files under one theme in the asker's language says which; it would otherwise be
    split into a third of its weight by names it agrees with ("Zagospodarowanie
    przestrzenne", Polish lexicon REGI and Polish INSPIRE "Land use"). A direct term
    of another language than the label's (when known) does not decide: false friends
    (as ``_lang_weight``, an unknown language is everyone's). Published labels are
    ranked by ``_published_first``."""
    direct = {
        x.concept
        for x in labels
        if x.kind == "lex" and x.relation is None and (not lang or x.lang == lang)
    }
    if not direct:
        return labels
    return [x for x in labels if x.kind != "lex" or x.relation is None or x.concept in direct]


def _published_first(labels: list[Label]) -> list[Label]:
    """Without the lexicon's terms for concepts no vocabulary or alignment label names,
    when some do: published decisions outrank the project's own lexicon."""
    named = {x.concept for x in labels if x.kind != "lex"}
    return [x for x in labels if x.kind != "lex" or x.concept in named] if named else labels


def _co_mapped_suggestions(labels: list[Label]) -> list[Suggestion]:
    """Suggestions for a label that is a co-mapped code and no published label: each
    concept gets its share of the codes' weights (a code that one alignment maps to
    one theme through a specific local concept and to another through a catch-all
    one leans to the first), at most ``EXACT_WEIGHT["co"]``. Lexicon terms equal to
    the label count as a source of the concepts they agree with (the others were
    dropped: published evidence outranks the lexicon)."""
    weights: dict[str, float] = defaultdict(float)
    relations: dict[str, Counter] = defaultdict(Counter)
    sources: dict[str, set[str]] = defaultdict(set)
    for label in labels:
        sources[label.concept].add(label.source)
        if label.kind == "co":
            weights[label.concept] += label.weight
            relations[label.concept][label.relation] += label.weight
    total = sum(weights.values())
    out = []
    for concept, weight in weights.items():
        confidence = round(EXACT_WEIGHT["co"] * weight / total, 3)
        if confidence >= MIN_CONFIDENCE:
            relation = relations[concept].most_common(1)[0][0]
            out.append(Suggestion(concept, relation, confidence, CO_MAPPED, len(sources[concept])))
    return sorted(out, key=lambda s: (-s.confidence, s.concept))[:MAX_SUGGESTIONS]
