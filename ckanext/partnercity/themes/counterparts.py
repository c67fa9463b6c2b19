"""Counterpart datasets: partner references about the same subject as one of our datasets.

"In our partner cities" lists references of the same shared theme; a counterpart is closer:
the same subject (air quality ↔ calitatea aerului, bus stops ↔ arrêts de bus). Titles are in
different languages, so the evidence is mostly language-neutral and comes from official
multilingual vocabularies used as data, never from a word list tuned to a test set:

- **HVD category** — declared on the dataset, or suggested from its title and keywords by the
  HVD duties finder (:func:`ckanext.partnercity.hvd.duties.suggest`), which knows the labels of
  the HVD category vocabulary (Implementing Regulation (EU) 2023/138, DCAT-AP HVD) in 24
  languages and the INSPIRE theme names. The same *specific* category (e.g. "Air") is strong
  evidence; only the same top-level field (e.g. "Mobility") is weak.
- **GEMET concepts in the titles** — the EEA's multilingual thesaurus (:mod:`.gemet`) names
  one concept "Museum", "musée", "museo", "museum": a concept named in both titles
  ("title: Museum ↔ musée") is the closest thing to "same subject" a vocabulary gives,
  weighted by how rare the concept is among the titles compared.
- **Dictionary translations** — a title word whose translation into the reference's language
  (FreeDict, :mod:`.dictionary`) the reference's title carries ("Friedhöfe" ↔ "cementerios"),
  weighted like a title word but by :data:`DICTIONARY` less (a word has several senses); a
  match resting on translations alone must explain more than half of our title.
- **Title words** — words of both titles that are the same word or a cognate across Latin-script
  languages ("adressen"/"adresses", "budget"/"budget"), weighted by how rare the word is among
  the titles compared (a word every title carries says nothing).
- **Theme** — the same EU data theme (declared, or suggested from the title and each keyword by
  the theme suggester, which uses the EU data-theme vocabulary, the published alignments and the
  project's lexicon). Weak: a theme is a field, not a subject.

A reference is a counterpart when the evidence adds up to :data:`MIN_SCORE`, which one weak
signal (or both weak ones) never reaches, and it rests on the titles or on a specific HVD
category one publisher declares and the other declares or backs (:mod:`.same_subject`).
Each counterpart carries its reasons ("same HVD category: Air", "title: Museum ↔ musée").

The weights follow the meaning above. Every change made after the first run of the
labelled bench (bench/counterparts_bench.py), what it was tuned on and what was tried and
dropped, is listed with its figures in docs/counterparts.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

from . import dictionary, series, text
from .gemet import NOUN_ADJUNCTS, noun_runs
from .gemet import roles_in_title_language as gemet_roles
from .overlap import MIN_WORD, across, coverage, narrowed_apart, share, translated
from .overlap import rarity as _rarity
from .overlap import same_word as _same_word
from .profile_cache import ProfileCache
from .same_subject import about_same as _about_same

#: Evidence weights (see module docstring): a shared specific HVD category or a title fully
#: shared in its rare words is enough alone; a shared field or theme only adds.
W_HVD = 0.6
W_TITLE = 0.6
W_FIELD = 0.15
W_THEME = 0.15
MIN_SCORE = 0.35
#: A title word translated by a dictionary (:mod:`.dictionary`) counts this share of a word
#: both titles spell alike: a dictionary lists several senses, any of which may match.
DICTIONARY = 0.75
#: Language versions of a partner title read (the 24 EU languages), and their length cap.
MAX_VERSIONS = 24
MAX_VERSION_CHARS = 300
#: Weight of a GEMET concept named only as a compound's modifier on either side: it says
#: what the thing relates to, not what it is, like a concept heading a field.
MINOR = 0.5
#: Confidence a theme or HVD suggestion needs to count as what the dataset is about.
MIN_SUGGESTION = 0.5
EU_THEME_SCHEME = "http://publications.europa.eu/resource/authority/data-theme"


@dataclass(frozen=True)
class Reason:
    """Why a reference is a counterpart; ``text`` is shown on the page."""

    kind: str  # "hvd", "hvd-field", "title", "theme", "confirmed"
    label: str
    weight: float
    #: A GEMET concept heading several narrower ones ("Programm"): it names a field.
    general: bool = False
    #: The HVD category or theme the reason names, for a label in the reader's language.
    uri: str = ""
    #: Title words matched only through a dictionary (:mod:`.dictionary`).
    translated: bool = False

    @property
    def text(self) -> str:
        prefix = {
            "hvd": "same HVD category",
            "hvd-field": "same HVD field",
            "title": "title",
            "theme": "same theme",
            "confirmed": "confirmed",
        }[self.kind]
        return f"{prefix}: {self.label}"


@dataclass(frozen=True)
class Counterpart:
    """One ranked partner reference (``id`` as given in the partner item)."""

    id: str
    score: float
    reasons: tuple[Reason, ...]


@dataclass
class Profile:
    """What one dataset is about: HVD categories, EU themes and title words."""

    hvd: dict[str, float] = field(default_factory=dict)
    themes: set[str] = field(default_factory=set)
    words: tuple[str, ...] = ()
    #: HVD categories the publisher declared (not suggested).
    declared: frozenset[str] = frozenset()
    #: GEMET concept number -> its label as found in the title.
    gemet: dict[str, str] = field(default_factory=dict)
    #: Concepts named only as a compound's modifier ("Zug" in "Zugriffsstatistiken").
    minor: frozenset[str] = frozenset()
    #: Head concept -> modifier concepts narrowing it ("Musikschule": school by music).
    narrowed: dict[str, frozenset[str]] = field(default_factory=dict)
    #: Language of the title (two letters, "" when not given).
    lang: str = ""
    #: Head word -> the words before it in a noun run ("stops" of "bus stops"), in
    #: languages that write compounds apart (:data:`.gemet.NOUN_ADJUNCTS`).
    heads: dict[str, frozenset[str]] = field(default_factory=dict)
    #: Every folded word of the title and its versions, short ones too ("bus").
    terms: frozenset[str] = frozenset()


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, (list, tuple, set)):
        return [v for v in value if isinstance(v, str) and v.strip()]
    return []


@cache
def _theme_suggester():
    from .calibration import bundled as bundled_calibration
    from .skos.alignments import bundled_alignments
    from .skos.schemes import bundled_concepts
    from .suggest.suggester import Suggester

    return Suggester(bundled_concepts(), bundled_alignments(), calibration=bundled_calibration())


@cache
def _themes_of(label: str, lang: str) -> frozenset[str]:
    found = _theme_suggester().suggest(label, lang or None, scheme=EU_THEME_SCHEME)
    return frozenset(s.concept for s in found if s.confidence >= MIN_SUGGESTION)


def _title_words(title: str) -> tuple[str, ...]:
    out: list[str] = []
    for word in text.words(title):
        long_word = len(word) >= MIN_WORD and word.isalpha()
        if long_word and word not in text.STOP_WORDS and word not in out:
            out.append(word)
    return tuple(out)


def profile(item: dict) -> Profile:
    """The profile of one dataset dict: ``title``, ``tags`` (strings), ``notes``, ``lang``,
    ``hvd_category`` and ``themes`` (concept URIs, declared), ``titles`` (other language
    versions of the title, ``{lang: text}``)."""
    from ..hvd.duties.suggest import suggest_one

    title = item.get("title") if isinstance(item.get("title"), str) else ""
    tags = _strings(item.get("tags"))
    lang = item.get("lang") if isinstance(item.get("lang"), str) else ""
    hvd = {uri: 1.0 for uri in _strings(item.get("hvd_category"))}
    query = {"title": title, "tags": tags, "notes": item.get("notes") or "", "lang": lang}
    for s in suggest_one(query, limit=3):
        if s["confidence"] >= MIN_SUGGESTION:
            hvd.setdefault(s["category"], s["confidence"])
    themes = {u for u in _strings(item.get("themes")) if u.startswith(EU_THEME_SCHEME)}
    for label in [title, *tags]:
        themes |= _themes_of(label, lang)
    named = gemet_roles(title, lang)
    words, gemet = list(_title_words(title)), dict(named.concepts)
    minor, narrowed = set(named.minor), {n: set(m) for n, m in named.narrowed.items()}
    versions = _versions(item.get("titles"))
    for code, version in versions:
        words += [w for w in _title_words(version) if w not in words]
        other = gemet_roles(version, code)
        for number, label in other.concepts.items():
            if number not in gemet:
                gemet[number] = label
                if number in other.minor:
                    minor.add(number)
                narrowed.setdefault(number, set()).update(other.narrowed.get(number, ()))
    heads, terms = _heads_and_terms([(lang.strip().lower()[:2], title), *versions])
    return Profile(
        heads=heads,
        terms=terms,
        hvd=hvd,
        themes=themes,
        words=tuple(words),
        declared=frozenset(_strings(item.get("hvd_category"))),
        gemet=gemet,
        minor=frozenset(minor),
        narrowed={n: frozenset(m) for n, m in narrowed.items() if m},
        lang=lang.strip().lower()[:2],
    )


def _heads_and_terms(
    versions: list[tuple[str, str]],
) -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """:attr:`Profile.heads` and :attr:`Profile.terms` of a title's language versions."""
    heads: dict[str, set[str]] = {}
    terms: set[str] = set()
    for code, version in versions:
        terms.update(text.words(version))
        if code in NOUN_ADJUNCTS:
            known = dictionary.lexicon(code)  # a name ("Metra") narrows nothing
            for run in noun_runs(version):
                heads.setdefault(run[-1], set()).update(m for m in run[:-1] if m in known)
    return {h: frozenset(m) for h, m in heads.items() if m}, frozenset(terms)


def _versions(titles) -> list[tuple[str, str]]:
    """The other language versions of a title the partner publishes (``{"de": "…"}``), so a
    German title meets the partner's own German version, capped: partner metadata is
    untrusted (at most :data:`MAX_VERSIONS`, each cut at :data:`MAX_VERSION_CHARS`)."""
    if not isinstance(titles, Mapping):
        return []
    found = [
        (code.strip().lower()[:2], text_[:MAX_VERSION_CHARS])
        for code, text_ in titles.items()
        if isinstance(code, str) and isinstance(text_, str) and text_.strip()
    ]
    return sorted(found)[:MAX_VERSIONS]


@cache
def _labels() -> tuple[dict[str, str], dict[str, str]]:
    """English labels of the HVD categories and EU themes (their official vocabularies)."""
    from ..hvd.rules.vocabulary import concept_index
    from .skos.schemes import bundled_concepts

    themes = {c.uri: c.pref_labels.get("en", c.uri) for c in bundled_concepts(EU_THEME_SCHEME)}
    return concept_index().labels, themes


def _hvd_reasons(own: Profile, other: Profile) -> list[Reason]:
    from ..hvd.rules.vocabulary import concept_index

    index = concept_index()
    hvd_labels, _ = _labels()
    shared = sorted(set(own.hvd) & set(other.hvd))
    specific = [u for u in shared if index.broader.get(u)]
    if specific:
        return [
            Reason("hvd", hvd_labels.get(u, u), W_HVD * min(own.hvd[u], other.hvd[u]), uri=u)
            for u in specific
        ]
    fields = {index.top(u) for u in own.hvd} & {index.top(u) for u in other.hvd}
    return [Reason("hvd-field", hvd_labels.get(u, u), W_FIELD, uri=u) for u in sorted(fields)][:1]


def _title_reason(own: Profile, other: Profile, idf: dict[str, float]) -> list[Reason]:
    """Share of the own title's (rarity-weighted) words found in the other title."""
    total = sum(idf.get(w, 1.0) for w in own.words)
    if not total:
        return []
    matched, got, spelled = [], 0.0, False
    apart = across(own, other)
    for word in own.words:
        if any(
            _same_word(word, w, apart) and not narrowed_apart(word, w, own, other)
            for w in other.words
        ):
            matched.append(word)
            got += idf.get(word, 1.0)
            spelled = True
        elif found := translated(word, own, other):
            # as rare as the partner's words are among the titles compared
            matched.append(f"{word} ↔ {' '.join(found)}")
            got += DICTIONARY * min(idf.get(word, 1.0), max(idf.get(w, 1.0) for w in found))
    if not matched:
        return []
    weight = W_TITLE * got / total
    return [Reason("title", ", ".join(matched), weight, translated=not spelled)]


def _gemet_reasons(own: Profile, other: Profile, rarity: dict[str, float]) -> list[Reason]:
    """The most telling GEMET concept both titles name: rare among the titles compared and
    specific in GEMET (a concept heading several narrower ones names a field)."""
    from .gemet import bundled

    g = bundled()

    def minor(n: str) -> bool:
        """Named only as a modifier, or as a head the other title does not narrow alike
        (a music school is a school, but "school" is the broader subject)."""
        if n in own.minor or n in other.minor:
            return True
        if narrowed_apart(own.gemet[n], other.gemet[n], own, other):
            return True
        for a, b in ((own, other), (other, own)):
            if a.narrowed.get(n) and not a.narrowed[n] & set(b.gemet):
                return True
        return False

    def weight(n: str) -> float:
        return W_TITLE * rarity.get(n, 1.0) * g.specificity(n) * (MINOR if minor(n) else 1.0)

    shared = sorted(set(own.gemet) & set(other.gemet), key=lambda n: (-weight(n), n))
    if not shared:
        return []
    best = shared[0]
    label = f"{own.gemet[best]} ↔ {other.gemet[best]}"
    general = g.specificity(best) < 1 or minor(best)
    return [Reason("title", label, weight(best), general=general)]


def _theme_reasons(own: Profile, other: Profile) -> list[Reason]:
    _, theme_labels = _labels()
    shared = sorted(own.themes & other.themes)
    return [Reason("theme", theme_labels.get(u, u), W_THEME, uri=u) for u in shared][:1]


def score(own: Profile, other: Profile, idf: dict[str, float]) -> tuple[float, list[Reason]]:
    """Score and reasons for one pair (strongest reason first). A shared GEMET concept and
    shared title words are two readings of one overlap of the titles: only the stronger
    counts (a common concept must not hide rarer shared words, nor add to them)."""
    titles = _gemet_reasons(own, other, idf) + _title_reason(own, other, idf)
    reasons = _hvd_reasons(own, other) + sorted(titles, key=lambda r: -r.weight)[:1]
    reasons += _theme_reasons(own, other)
    reasons.sort(key=lambda r: -r.weight)
    return round(min(1.0, sum(r.weight for r in reasons)), 3), reasons


#: Decisions of the open-data team (``rank(decisions=…)``).
CONFIRMED = "confirmed"
REJECTED = "rejected"


def rank(
    own: dict,
    references: Iterable[dict],
    limit: int = 3,
    decisions: Mapping[str, str] | None = None,
    cache: ProfileCache | None = None,
) -> list[Counterpart]:
    """The partner references about the same subject as ``own``, best first.

    ``references``: dicts like ``own`` with an ``id``. Only references scoring at least
    :data:`MIN_SCORE` are returned, at most ``limit``; ties keep the input order.
    ``decisions``: reference id -> :data:`CONFIRMED` / :data:`REJECTED`, what the open-data
    team decided. A confirmed reference comes first whatever its score (reason "confirmed");
    a rejected one is never returned. Other values are ignored.
    ``cache``: keeps the references' profiles between calls under their ``id`` and
    ``version`` (:mod:`.profile_cache`); the result is the same with or without it.
    """
    decisions = decisions if isinstance(decisions, Mapping) else {}
    refs = [r for r in references if isinstance(r, dict)]
    own_profile = profile(own)
    profiles = [profile(r) if cache is None else cache.get(r, profile) for r in refs]
    idf = _rarity([own_profile, *profiles])
    confirmed: list[Counterpart] = []
    found: list[Counterpart] = []
    covered: dict[str, tuple[float, float]] = {}
    for ref, prof in zip(refs, profiles, strict=True):
        ref_id = str(ref.get("id", ""))
        decision = decisions.get(ref_id)
        if decision == REJECTED:
            continue
        value, reasons = score(own_profile, prof, idf)
        if decision == CONFIRMED:
            reason = Reason("confirmed", "by the open-data team", 1.0)
            confirmed.append(Counterpart(ref_id, 1.0, (reason, *reasons)))
        elif value >= MIN_SCORE and _about_same(own_profile, prof, reasons):
            found.append(Counterpart(ref_id, value, tuple(reasons)))
            covered[ref_id] = (coverage(own_profile, prof), share(prof, own_profile))
    # equal evidence: the reference that matches more of our title first ("Bus stops": the
    # bus-stop layers before bus routes, which share only the concept "bus"), then the one
    # whose own title is more about our subject (air-quality data before a satisfaction
    # survey of the air-quality information service)
    found.sort(key=lambda c: (-c.score, -covered[c.id][0], -covered[c.id][1]))
    by_id = {str(r.get("id", "")): (r, p) for r, p in zip(refs, profiles, strict=True)}

    def key(c: Counterpart) -> tuple[str, set[str]]:
        ref, prof = by_id.get(c.id, ({}, Profile()))
        return series.publisher(ref), set(prof.words)

    # one publisher's series takes one place; a confirmed counterpart is never dropped
    kept = series.distinct(confirmed + found, key, lambda c: c.reasons[0].kind == CONFIRMED)
    return kept[: max(0, int(limit))]
