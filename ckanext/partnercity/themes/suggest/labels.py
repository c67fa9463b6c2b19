"""The suggester's vocabulary: weights, what a suggestion says, and how label parts compare.

The weights are tuned on the theme bench (docs/themes-quality.md); change them there first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import text

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
#: How a label part matched a local part (``PartMatcher._label_score``).
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
class Label:
    concept: str
    kind: str  # "pref", "alt", "lex" (the domain lexicon), "align" or "co" (a co-mapped code)
    lang: str  # "" when untagged
    relation: str | None  # of an alignment label
    source: str
    parts: tuple[tuple[str, ...], ...]
    #: A co-mapped code's share of its local concept's codes (1 / their number).
    weight: float = 1.0


def base_lang(lang: str | None) -> str:
    return (lang or "").split("-")[0].split("_")[0].lower()


def uri_variants(uri: str) -> set[str]:
    uri = uri.strip()
    out = {uri, uri.rstrip("/")}
    for u in list(out):
        if u.startswith("https://"):
            out.add("http://" + u[len("https://") :])
        elif u.startswith("http://"):
            out.add("https://" + u[len("http://") :])
    return out


def looks_like_iri(label: str) -> bool:
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
