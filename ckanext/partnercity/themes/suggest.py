"""Suggest shared concepts for a partner's local category from its label.

``Suggester(concepts, alignments).suggest("Umwelt und Klima", "de")`` returns
:class:`Suggestion` objects (concept IRI, SKOS relation, confidence in [0, 1]),
best first; an unknown label gives an empty list. A confidence of 0.5 or more
means "probably right" (see ``docs/themes-quality.md`` for the measurement).

Three kinds of labels are matched: the concepts' prefLabels and altLabels (the
*vocabulary*), the local labels of published alignments, and the terms of the
project's domain lexicon (:mod:`.lexicon`: "Abfall", "Parcări", "Wybory" …
per EU theme, and INSPIRE theme names, which reach EU themes only through an
alignment that maps INSPIRE IRIs). The vocabulary and the alignments outrank
the lexicon: its terms count only where no published label names another
concept, and a lexicon term of the label's own language hides the lexicon's
homographs in other languages (de "Parken" is parking, nl "parken" parks).

How a label is matched
----------------------
1. The label *is* an IRI: a concept IRI gives that concept (``exactMatch``,
   1.0); the local IRI of a published alignment gives the alignment's concepts
   and relations (1.0). A concept's notation ("ENVI", "envi") gives it with
   ``exactMatch`` and 0.95.
2. The whole label equals (after normalization, in any order of its parts) a
   prefLabel / altLabel of a concept, a local label of an alignment or a
   lexicon term: that concept (a lexicon term alone: ``broadMatch``, 0.85,
   below the auto-apply level). Labels in the label's own language count more
   than others; when
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
   concepts hit by the same part share it, except that closer evidence hides
   weaker: a label part equal to the part hides those only alike ("cultură" is
   culture, not "culte"), trusted evidence hides guesses, and vocabulary or
   alignment evidence hides the lexicon's. Evidence is a *guess* (at most
   ``SINGLE_SOURCE_EVIDENCE``, so never confident) when it rests on one word of
   a longer part, or on one source other than the vocabulary matched only by
   stemming across languages (false friends). In German, Dutch and the
   Scandinavian languages a word without trusted evidence is also read as the
   compound it may be (``text.split_compound``: "Verkehrsunfallstatistik" →
   Verkehr + Unfälle + Statistik, "Radverkehr" → Verkehr), at
   ``COMPOUND_FACTOR``. A concept's confidence is the mean
   evidence of the parts it explains, scaled by the share of the label they
   are, by the unknown parts (each costs up to half) and by position (the
   topic named first leads), at most ``PART_CONFIDENCE``.
4. An IRI that is neither a concept nor a known local IRI is matched by the
   label it carries (``skos.label_from_uri``: an Opendatasoft facet URL), or
   gives nothing.

Co-mapped codes. When a published alignment maps a local concept both to a
shared concept T and to codes of a third vocabulary (DCAT-AP CH: the Swiss
theme "Agriculture" to AGRI and to the ISO 19115 topic categories ``farming``
and ``biota``), a whole label equal to such a code (``skos.code_name``; after
normalization, so "inlandWaters" = "Inland waters") is evidence for T, basis
``CO_MAPPED``. Each code weighs 1 / the number of codes of its local concept
(a Swiss theme mapped to thirty codes says little about each), concepts share
the label by these weights, at most ``EXACT_WEIGHT["co"]`` (0.8, never applied
without review). The vocabulary's and the alignments' own labels outrank such
codes, which outrank the lexicon (step 2's rule for published evidence).

Concepts of different schemes never compete: without ``scheme`` each scheme
is matched on its own and the results are merged.

Each suggestion says what it rests on (``Suggestion.basis``: a published whole
label, a whole lexicon term or INSPIRE name, parts with published evidence,
parts with the lexicon's only) and from how many sources. With a
``calibration`` (:mod:`.calibration`), the confidence of a first suggestion
that does not rest on a published whole label is replaced by how often such
suggestions were right on the published alignments (at most 0.89), and the
others are scaled alike.

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
- A hit that rests on lexicon terms (and alignments) only is ``broadMatch``
  (the term is a topic within the theme), or ``closeMatch`` when parts point
  at several concepts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import lexicon as lexicon_module
from . import text
from .lexicon import LexiconEntry
from .skos import AlignmentEntry, Concept, Scheme, code_name, label_from_uri

#: Suggestions below this confidence are not returned.
MIN_CONFIDENCE = 0.2
#: A part matches a label part from this similarity on.
PART_THRESHOLD = 0.6
#: Ceiling of a part-level (not whole-label) suggestion, calibrated on the bench: the
#: highest recall with confident (>= 0.5) answers right about 9 times in 10
#: (docs/themes-quality.md).
PART_CONFIDENCE = 0.7
#: Weaker hits are ignored, even when combined with others.
EVIDENCE_FLOOR = 0.4
#: Weight of a label in another language than the one asked for.
OTHER_LANGUAGE = 0.9
#: The same for a lexicon term: thousands of words in ten languages make false
#: friends likelier than among the vocabulary's labels.
LEX_OTHER_LANGUAGE = 0.7
MAX_SUGGESTIONS = 5
#: Weight of one word of a multi-word part matching a one-word label part.
WORD_FACTOR = 0.75
#: Weight of the evidence of a compound's pieces ("Radverkehr" → "verkehr").
COMPOUND_FACTOR = 0.9
#: Ceiling of a part's evidence that is only a guess (one source other than the
#: vocabulary matched through stemming, or one word of the part): under 0.5 after
#: ``PART_CONFIDENCE``, so it waits for review.
SINGLE_SOURCE_EVIDENCE = 0.55
#: How a label part matched a local part (``Suggester._label_score``).
WORD, FOREIGN_STEM, STEM, WHOLE = 0, 1, 2, 3
#: Weight of a whole-label match, by the kind of label matched.
EXACT_WEIGHT = {"pref": 1.0, "alt": 0.97, "lex": 0.85, "align": 0.95, "co": 0.8}
#: Weight of a part-level match, by the kind of label matched.
PART_WEIGHT = {"pref": 1.0, "alt": 0.95, "lex": 0.9, "align": 0.95}
#: What a suggestion rests on (``Suggestion.basis``): a published whole label (a
#: concept's own label or a published alignment's, or the concept's IRI or notation),
#: a whole lexicon term, a whole INSPIRE theme name of the lexicon (through the
#: SEMIC alignment), a code a published alignment maps together with the concept
#: (co-mapping: an ISO topic category of a DCAT-AP CH theme), parts of the label
#: with published evidence for the concept, or parts with only the lexicon's.
PUBLISHED, LEXICON, INSPIRE, CO_MAPPED, PARTS, PARTS_LEXICON = (
    "published",
    "lexicon",
    "inspire",
    "co-mapped",
    "parts",
    "parts-lexicon",
)


@dataclass(frozen=True)
class Suggestion:
    concept: str
    relation: str
    confidence: float
    #: What the suggestion rests on (``PUBLISHED`` …); not part of its identity.
    basis: str = field(default=PUBLISHED, compare=False, repr=False)
    #: How many independent sources (the vocabulary, each alignment, the lexicon) the
    #: evidence comes from; not part of its identity.
    sources: int = field(default=1, compare=False, repr=False)


@dataclass(frozen=True)
class _Label:
    concept: str
    kind: str  # "pref", "alt", "lex" (the domain lexicon), "align" or "co" (a co-mapped code)
    lang: str  # "" when untagged
    relation: str | None  # of an alignment label
    source: str
    parts: tuple[tuple[str, ...], ...]
    #: A co-mapped code's share of its local concept's codes (1 / their number).
    weight: float = 1.0


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
    ``…/EDUC`` (relation ``broadMatch`` from the local side). ``lexicon``: domain
    terms (:mod:`.lexicon`); ``None`` means the bundled lexicon, ``()`` none.
    ``calibration``: an object whose ``apply(found, published)`` turns the
    confidences of suggestions that do not rest on a published whole label into
    measured ones (:class:`.calibration.Calibration`); ``None``: the rule-based
    confidences.
    """

    def __init__(
        self,
        concepts: Iterable[Concept | Scheme],
        alignments: Iterable[AlignmentEntry] = (),
        lexicon: Iterable[LexiconEntry] | None = None,
        calibration=None,
    ):
        self.calibration = calibration
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
        self._co_seen: set[tuple] = set()
        self._add_vocabulary()
        for entry in alignments:
            self._add_alignment(entry)
        for term in lexicon_module.bundled_lexicon() if lexicon is None else lexicon:
            self._add_term(term)
        self._index()

    # -- building -----------------------------------------------------------

    def _add_vocabulary(self) -> None:
        for concept in self.concepts.values():
            if concept.notation and len(concept.notation) >= 3:
                self._notations[concept.notation.casefold()].add(concept.uri)
            for lang, label in concept.pref_labels.items():
                self._add_label(concept.uri, "pref", lang, None, "vocabulary", label)
            for lang, labels in concept.alt_labels.items():
                for label in labels:
                    self._add_label(concept.uri, "alt", lang, None, "vocabulary", label)

    def _add_alignment(self, entry: AlignmentEntry) -> None:
        resolved = self._resolve(entry)
        if resolved is None:
            return
        concept, relation = resolved
        if entry.local_uri:
            for variant in _uri_variants(entry.local_uri):
                if (concept, relation) not in self._local_uris[variant]:
                    self._local_uris[variant].append((concept, relation))
        for lang, labels in entry.local_labels.items():
            for label in labels:
                self._add_label(concept, "align", lang, relation, entry.source, label)
        self._add_co_mapped(entry, concept)

    def _add_co_mapped(self, entry: AlignmentEntry, concept: str) -> None:
        """The codes of a third vocabulary the entry's local concept is mapped to as
        well (``AlignmentEntry.co_mapped``): each is evidence for ``concept``, weighing
        1 / the number of codes (a Swiss theme mapped to one ISO topic category says
        more about it than one mapped to thirty). A code is matched as a whole label
        only, in any language; the relation is ``closeMatch`` for the only code,
        ``broadMatch`` for one of several (the code is a topic within the concept)."""
        names = sorted({n for n in map(code_name, entry.co_mapped) if n})
        relation = "closeMatch" if len(names) == 1 else "broadMatch"
        for name in names:
            key = (entry.local_uri, concept, name)
            parts = text.parts(name)
            if parts and key not in self._co_seen:
                self._co_seen.add(key)
                self._labels.append(
                    _Label(concept, "co", "", relation, entry.source, parts, 1 / len(names))
                )

    def _index(self) -> None:
        """Look-up tables: whole labels, words and their 4-letter prefixes, and the
        words of each language (for compound splitting)."""
        words_by_lang: dict[str, set[str]] = defaultdict(set)
        self._by_key: dict[tuple, list[int]] = defaultdict(list)
        self._by_prefix: dict[str, set[str]] = defaultdict(set)
        self._by_word: dict[str, set[tuple[int, int]]] = defaultdict(set)
        for index, label in enumerate(self._labels):
            self._by_key[tuple(sorted(set(label.parts)))].append(index)
            if label.kind == "co":
                continue  # whole labels only
            for j, part in enumerate(label.parts):
                for word in part:
                    if label.lang:
                        words_by_lang[label.lang].add(word)
                    for form, _weight in text.spellings(word):
                        self._by_word[form].add((index, j))
                        self._by_prefix[form[:4]].add(form)
        self._words_by_lang = {lang: frozenset(w) for lang, w in words_by_lang.items()}

    def _resolve(self, entry: AlignmentEntry) -> tuple[str, str] | None:
        if entry.concept in self.concepts:
            return entry.concept, entry.relation
        base, _, fragment = entry.concept.partition("#")
        if fragment and base in self.concepts:
            relation = "closeMatch" if entry.relation == "narrowMatch" else "broadMatch"
            return base, relation
        return None

    def _add_term(self, term: LexiconEntry) -> None:
        """A lexicon term of a concept, or of an IRI an alignment maps (an INSPIRE theme:
        the alignment's concepts and relation, but the label is still ours, so it
        weighs as the lexicon does and is never applied without review)."""
        if term.target in self.concepts:
            targets = [(term.target, None)]
        else:
            targets = self._local_uris.get(term.target, [])
        for concept, relation in targets:
            self._add_label(concept, "lex", term.lang, relation, lexicon_module.SOURCE, term.label)

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

            def in_scheme(label: _Label, uri=uri) -> bool:
                return (self.concepts[label.concept].scheme_uri or "") == uri

            out += self._match(parts, lang, in_scheme)
        return sorted(out, key=lambda s: (-s.confidence, s.concept))[:MAX_SUGGESTIONS]

    def _match(self, parts, lang: str, allowed) -> list[Suggestion]:
        """Whole-label or part-level suggestions within one scheme; those that do not
        rest on a published whole label calibrated, if the suggester is."""
        found = self._exact(parts, lang, allowed) or self._by_parts(parts, lang, allowed)
        if self.calibration is None or all(s.basis == PUBLISHED for s in found):
            return found

        def published_only(label: _Label) -> bool:
            return label.kind not in ("lex", "co") and allowed(label)

        published = self._exact(parts, lang, published_only) or self._by_parts(
            parts, lang, published_only
        )
        return self.calibration.apply(found, published)

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
        return LEX_OTHER_LANGUAGE if label.kind == "lex" else OTHER_LANGUAGE

    def _exact_labels(self, parts, lang: str, allowed) -> list[_Label]:
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
        kinds: dict[str, list[_Label]] = defaultdict(list)
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


def _published_first(labels: list[_Label]) -> list[_Label]:
    """Without the lexicon's terms for concepts no vocabulary or alignment label names,
    when some do: published decisions outrank the project's own lexicon."""
    named = {x.concept for x in labels if x.kind != "lex"}
    return [x for x in labels if x.kind != "lex" or x.concept in named] if named else labels


def _co_mapped_suggestions(labels: list[_Label]) -> list[Suggestion]:
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


def _published_first_scores(scores: dict[str, float], sources: dict) -> dict[str, float]:
    """``_published_first`` for part evidence: concepts only the lexicon supports
    give way when others are supported by the vocabulary or an alignment."""
    published = {c for c in scores if any(src != lexicon_module.SOURCE for _, src in sources[c])}
    return {c: v for c, v in scores.items() if c in published} if published else scores


def _part_confidence(evidence: list[dict[str, float]], unknown: int) -> dict[str, float]:
    """A concept's confidence: the mean evidence of the parts it explains, scaled by
    the share of the label they are, the unknown parts and position (module doc)."""
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

    def record(self, concept: str, labels: list[_Label]) -> None:
        for label in labels:
            self.sources[concept].add(label.source)
            if label.kind == "align":
                self.align_relations[concept][label.relation] += 1
            elif label.kind == "lex":
                self.lex.add(concept)
            else:
                self.own.add(concept)

    def relation(self, concept: str, several: bool, covered: bool, all_known: bool) -> str:
        """The SKOS relation of a part-level suggestion (the rule in the module doc)."""
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
