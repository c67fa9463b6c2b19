"""Look-up tables of every label the suggester matches: vocabulary, alignments, lexicon."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .. import lexicon as lexicon_module
from .. import text
from ..lexicon import LexiconEntry
from ..skos.alignments import AlignmentEntry, code_name
from ..skos.official_labels import bundled_official_entries
from ..skos.schemes import Concept, Scheme
from .labels import LEX_OTHER_LANGUAGE, OTHER_LANGUAGE, Label, base_lang, uri_variants


class LabelIndex:
    """Labels of ``concepts`` (or of :class:`Scheme` objects' concepts), of the
    ``alignments`` whose concept is among them, of the ``lexicon`` (``None``: the
    bundled one, ``()``: none) and the ``official`` labels of vocabularies mapped to
    the concepts (``None``: the bundled INSPIRE themes,
    :mod:`..skos.official_labels`; ``()``: none), indexed by whole label, word and
    4-letter prefix."""

    def __init__(
        self,
        concepts: Iterable[Concept | Scheme],
        alignments: Iterable[AlignmentEntry] = (),
        lexicon: Iterable[LexiconEntry] | None = None,
        calibration=None,
        official: Iterable[AlignmentEntry] | None = None,
    ):
        self.calibration = calibration
        self.concepts: dict[str, Concept] = {}
        for item in concepts:
            for concept in item.concepts if isinstance(item, Scheme) else [item]:
                self.concepts.setdefault(concept.uri, concept)
        self._schemes = sorted({c.scheme_uri or "" for c in self.concepts.values()})
        self._uris: dict[str, str] = {}
        for uri in self.concepts:
            for variant in uri_variants(uri):
                self._uris.setdefault(variant, uri)
        self._notations: dict[str, set[str]] = defaultdict(set)
        self._labels: list[Label] = []
        self._local_uris: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._co_seen: set[tuple] = set()
        self._whole_only: set[int] = set()  # indexes of labels matched as a whole only
        # official labels: their indexes, and the concepts of that vocabulary each
        # (language, word) occurs in (``_generic_official_words``)
        self._official: set[int] = set()
        self._official_words: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._add_vocabulary()
        for entry in alignments:
            self._add_alignment(entry)
        for entry in bundled_official_entries() if official is None else official:
            self._add_official(entry)
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
        self._add_local_uri(entry, concept, relation)
        for lang, labels in entry.local_labels.items():
            for label in labels:
                self._add_label(concept, "align", lang, relation, entry.source, label)
        self._add_co_mapped(entry, concept)

    def _add_local_uri(self, entry: AlignmentEntry, concept: str, relation: str) -> None:
        """The aligned category's own URI finds the concept whatever its spelling."""
        if entry.local_uri:
            for variant in uri_variants(entry.local_uri):
                if (concept, relation) not in self._local_uris[variant]:
                    self._local_uris[variant].append((concept, relation))

    def _add_official(self, entry: AlignmentEntry) -> None:
        """Labels of an official vocabulary's concept (an INSPIRE theme, an HVD
        category) that an alignment maps to ``entry.concept``. The label is official
        but the link to a data theme is a broad one (``broadMatch`` for most), so it
        weighs as the lexicon's INSPIRE names always did: a lexicon-kind label with
        the alignment's relation, calibrated and never applied without review. A
        label of several parts names several subjects ("Human health and safety"): it
        matches as a whole only, else "safety" alone would claim the health theme."""
        resolved = self._resolve(entry)
        if resolved is None:
            return
        concept, relation = resolved
        self._add_local_uri(entry, concept, relation)
        for lang, labels in entry.local_labels.items():
            for label in labels:
                parts = text.parts(label)
                if len(parts) > 1:
                    self._whole_only.add(len(self._labels))
                if parts:
                    self._official.add(len(self._labels))
                    for word in {w for part in parts for w in part}:
                        self._official_words[(base_lang(lang), word)].add(entry.local_uri or "")
                self._add_label(concept, "lex", lang, relation, lexicon_module.SOURCE, label)

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
                    Label(concept, "co", "", relation, entry.source, parts, 1 / len(names))
                )

    def _index(self) -> None:
        """Look-up tables: whole labels, words and their 4-letter prefixes, and the
        words of each language (for compound splitting)."""
        words_by_lang: dict[str, set[str]] = defaultdict(set)
        generic = self._generic_official_words()
        self._by_key: dict[tuple, list[int]] = defaultdict(list)
        self._by_prefix: dict[str, set[str]] = defaultdict(set)
        self._by_word: dict[str, set[tuple[int, int]]] = defaultdict(set)
        for index, label in enumerate(self._labels):
            self._by_key[tuple(sorted(set(label.parts)))].append(index)
            if label.kind == "co" or index in self._whole_only:
                continue  # whole labels only
            for j, part in enumerate(label.parts):
                for word in part:
                    if index in self._official and (label.lang, word) in generic:
                        continue
                    if label.lang:
                        words_by_lang[label.lang].add(word)
                    for form, _weight in text.spellings(word):
                        self._by_word[form].add((index, j))
                        self._by_prefix[form[:4]].add(form)
        self._words_by_lang = {lang: frozenset(w) for lang, w in words_by_lang.items()}

    def _generic_official_words(self) -> set[tuple[str, str]]:
        """(language, word) pairs that occur in the official labels of several of that
        vocabulary's concepts: Swedish "förhållanden" is in "Atmosfäriska förhållanden",
        "Geografiska meteorologiska förhållanden" and "Geografiska oceanografiska
        förhållanden", so it names none of them, and "Levnadsförhållanden" (living
        conditions) must not reach their data theme through it. Such a word still counts
        within a label that matched through another word; it just never finds one."""
        return {key for key, concepts in self._official_words.items() if len(concepts) > 1}

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
            self._labels.append(Label(concept, kind, base_lang(lang), relation, source, parts))

    def _lang_weight(self, label: Label, lang: str) -> float:
        if not lang or not label.lang or label.lang == lang:
            return 1.0
        return LEX_OTHER_LANGUAGE if label.kind == "lex" else OTHER_LANGUAGE
