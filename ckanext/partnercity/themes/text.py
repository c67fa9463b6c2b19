"""Label normalization for theme matching: folding, compound splitting, stop words.

``parts("Kultur, Freizeit, Sport und Tourismus")`` →
``(("kultur",), ("freizeit",), ("sport",), ("tourismus",))``: a label is split into
parts at punctuation and at conjunctions of the EU languages; each part is a
tuple of folded content words (case, accents and diacritics removed, Greek
tonos removed, ß→ss, Cyrillic kept as is), without stop words, numbers and
one-letter words.
"""

from __future__ import annotations

import functools
import re
import unicodedata

#: Words that join the parts of a compound label ("Umwelt und Klima").
CONJUNCTIONS = frozenset(
    """
    und oder and or et ou e ed o y i oraz lub si sau и или και η en a ja og eller och es ir
    un u agus
    """.split()
)
# Not here although they mean "and"/"or" somewhere: "in" (sl; a preposition in de/en/it/nl)
# and "of" (nl; a preposition in en). They are stop words.

#: Articles, prepositions and other words that carry no theme (folded forms).
STOP_WORDS = frozenset(
    """
    der die das des dem den ein eine einer eines einem fur von vom zu zum zur im in am an auf
    mit bei aus nach uber sowie sonstige sonstiges allgemein allgemeines
    the of for on to an by with at from other others general
    le la les de du des un une pour au aux dans sur par autres autre general generale
    il lo gli di del della dei degli delle dello dell da dal dalla dai per nel nella nei
    negli nelle con su una uno altro altri altre generali
    din la pentru al ale cu pe alte altele
    het een van voor op met te bij naar andere overige algemeen
    w z na do dla inne ogolne
    на за в с от във със други общи
    του της των το τα ο οι στο στη στην στον στα για με απο αλλα λοιπα γενικα
    el los las del para otros otras
    os as do da dos das em no na nos nas outros
    data dati daten donnees gegevens dane datos dados δεδομενα данни
    open offene aperti ouvertes
    """.split()
)

_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "ss",
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "đ": "d",
        "Đ": "d",
        "ı": "i",
        "ħ": "h",
        "Ħ": "h",
        "þ": "th",
        "ð": "d",
        "’": "'",
        "`": "'",
    }
)
# "_" joins the topics of a slug ("umwelt_klima"); "-" joins words ("dati-ambientali").
PART_SEPARATORS = re.compile(r"\s+[-–—]\s+|[_,;/|&+·:()\[\]{}<>\"«»„“”!?]+|\.(?=\s|$)")
_WORD = re.compile(r"[^\W\d_]+")


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def demojibake(text: str) -> str:
    """Repair UTF-8 read as Latin-1/CP-1252 ("DÃ©veloppement" → "Développement")."""
    if "Ã" not in text and "Â" not in text:
        return text
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
    return text


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case, strip accents/diacritics (not from Cyrillic letters), ß→ss, ł→l …"""
    text = unicodedata.normalize("NFC", demojibake(text)).translate(_SPECIAL).casefold()
    out: list[str] = []
    base_cyrillic = False
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            if base_cyrillic:
                out.append(ch)
            continue
        base_cyrillic = _is_cyrillic(ch)
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


_LATIN_TO_CYRILLIC = str.maketrans("aeopcxytkmi", "аеорсхуткмі")
_LATIN_TO_GREEK = str.maketrans("aeioptkvxy", "αειορτκνχυ")


def _is_greek(ch: str) -> bool:
    return "\u0370" <= ch <= "\u03ff"


def _unmix(word: str) -> str:
    """A Cyrillic or Greek word with Latin look-alike letters ("tехнологии", "Δικαιoσύνη")
    written in its own script only (such typos occur in the official vocabularies)."""
    for is_script, table in ((_is_cyrillic, _LATIN_TO_CYRILLIC), (_is_greek, _LATIN_TO_GREEK)):
        count = sum(is_script(ch) for ch in word)
        if count and count * 2 >= len(word) and count < len(word):
            return word.translate(table)
    return word


def split_camel(text: str) -> str:
    """Code-style words apart: camelCase ("inlandWaters" → "inland Waters",
    "imageryBaseMapsEarthCover" → "imagery Base Maps Earth Cover") and an acronym of
    two or more capitals before a capitalized word ("HVDCategory" → "HVD Category",
    "ÖPNVAnbindung" → "ÖPNV Anbindung"), in any script. Snake and kebab case need
    nothing here: "_" separates parts and "-" words (``parts``).

    An upper-case letter starts a word after a lower-case letter when a lower-case
    letter follows it; after two or more capitals when two lower-case letters do
    (so "PDFs", "WC", "IoT" and a typo like "UMwelt" stay one word).
    """
    out: list[str] = []
    for i, ch in enumerate(text):
        if i and ch.isupper():
            before, after = text[max(0, i - 2) : i], text[i + 1 : i + 3]
            camel = before[-1].islower() and after[:1].islower()
            acronym = before.isalpha() and before.isupper() and after.isalpha() and after.islower()
            if camel or acronym:
                out.append(" ")
        out.append(ch)
    return "".join(out)


def words(text: str) -> list[str]:
    """Folded words of ``text`` (camelCase and acronyms split; digits dropped)."""
    text = split_camel(demojibake(text))
    return [_unmix(w) for w in _WORD.findall(fold(text))]


@functools.lru_cache(maxsize=65536)
def parts(label: str) -> tuple[tuple[str, ...], ...]:
    """The parts of a compound label, each a tuple of content words (see module doc)."""
    out: list[tuple[str, ...]] = []
    for chunk in PART_SEPARATORS.split(label):
        current: list[str] = []
        for word in words(chunk):
            if word in CONJUNCTIONS:
                if current:
                    out.append(tuple(current))
                current = []
            elif len(word) > 1 and word not in STOP_WORDS:
                current.append(word)
        if current:
            out.append(tuple(current))
    return tuple(out)


def key(label: str) -> tuple[tuple[str, ...], ...]:
    """Order-free identity of a label: its sorted parts ("Kultur und Sport" = "Sport, Kultur")."""
    return tuple(sorted(set(parts(label))))


def umlaut_variants(word: str) -> set[str]:
    """German transliteration variants: "bevoelkerung" ↔ "bevolkerung" (ä=ae, ö=oe, ü=ue)."""
    out = {word}
    replaced = re.sub(r"(?<=[a-z])(ae|oe|ue)", lambda m: m.group(1)[0], word)
    if replaced != word:
        out.add(replaced)
    return out


_COGNATE_RULES = (
    (re.compile(r"ph"), "f"),
    (re.compile(r"(?<=[tr])h"), ""),
    (re.compile(r"ck|k|ch(?=[^aeiou])"), "c"),
    (re.compile(r"y"), "i"),
    (re.compile(r"z+"), "c"),
    (re.compile(r"t(?=i[oa])"), "c"),
    (re.compile(r"([a-z])\1"), r"\1"),
)


@functools.lru_cache(maxsize=65536)
def cognate(word: str) -> str:
    """A spelling shared by cognates across Latin-script languages.

    "kultur"/"cultura", "demographie"/"demografia", "hydrography"/"hydrografie",
    "education"/"educazione", "comune"/"commune": ph→f, th→t, k→c, y→i, z→c,
    t before io/ia → c, doubled letters once.
    """
    for pattern, replacement in _COGNATE_RULES:
        word = pattern.sub(replacement, word)
    return word


@functools.lru_cache(maxsize=65536)
def spellings(word: str) -> tuple[tuple[str, float], ...]:
    """The forms a word is compared under, with their weight (the word itself: 1.0)."""
    forms: dict[str, float] = {}
    for variant in umlaut_variants(word):
        forms[variant] = 1.0
    if len(word) >= 5 and word.isascii():
        for variant in list(forms):
            forms.setdefault(cognate(variant), 0.9)
    return tuple(forms.items())


@functools.lru_cache(maxsize=262144)
def word_similarity(a: str, b: str) -> float:
    """``token_similarity`` over the spellings of both words (cognate forms count 0.9)."""
    best = 0.0
    for x, wx in spellings(a):
        for y, wy in spellings(b):
            if wx * wy > best:
                best = max(best, wx * wy * token_similarity(x, y))
    return best


def _one_edit(a: str, b: str) -> bool:
    """True when one insertion, deletion, substitution or swap of neighbours turns a into b."""
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        if a[i + 1 :] == b[i + 1 :]:
            return True
        return a[i : i + 2] == b[i : i + 2][::-1] and a[i + 2 :] == b[i + 2 :]
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i + 1 :] == shorter[i:]


def token_similarity(a: str, b: str) -> float:
    """1.0 for equal words, 0.8–0.9 for the same stem (inflection, compounds), else 0.

    Light, language-neutral stemming: the shorter word (≥ 4 letters) is a prefix of
    the longer one ("verkehr"/"verkehrsdaten", "transport"/"transporturi"), or they
    differ only in the last one or two letters ("energie"/"energia",
    "agricola"/"agricoltura"), or (7 letters or more) by one typo. Words of 3
    letters or fewer must be equal.
    """
    if a == b:
        return 1.0
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    if len(shorter) < 4:
        return 0.0
    if len(shorter) >= 7 and _one_edit(a, b):
        return 0.85  # a typo: "employmnet", "indvidu"
    cp = 0
    for x, y in zip(shorter, longer, strict=False):
        if x != y:
            break
        cp += 1
    if cp == len(shorter):
        if len(longer) - cp <= 3:
            return 0.9
        # A compound or derivation ("umwelt"/"umweltschutz"); a 4-letter first
        # part is too often another word ("land"/"landwirtschaft").
        return 0.8 if len(shorter) >= 5 else 0.0
    if cp >= 4 and cp >= len(shorter) - 1 and len(longer) - cp <= 3:
        return 0.85
    if cp >= 6 and cp >= len(shorter) - 2:
        return 0.8
    return 0.0


#: Languages that write compounds as one word ("Verkehrsunfallstatistik", "luchtkwaliteit").
COMPOUNDING_LANGUAGES = frozenset({"de", "nl", "da", "sv", "nb", "nn", "no"})
#: Linking elements between the parts of a compound ("Verkehr-s-unfall", "Kinder-en-opvang").
_LINKS = ("s", "es", "n", "en", "e", "er")
#: Endings an inflected head may carry ("Unfälle" → "unfall" + "e").
_ENDINGS = ("e", "en", "n", "s", "er", "es")
MIN_HEAD = 5
MIN_MODIFIER = 3


def _known_form(piece: str, known: frozenset[str]) -> str | None:
    """The known word ``piece`` is: itself, without a linking element or ending
    ("verkehrs" → "verkehr"), or with an ending ("unfall" → "unfalle")."""
    if piece in known:
        return piece
    for tail in _LINKS:
        stem = piece[: -len(tail)]
        if piece.endswith(tail) and len(stem) >= MIN_MODIFIER and stem in known:
            return stem
    for ending in _ENDINGS:
        if piece + ending in known:
            return piece + ending
    return None


@functools.lru_cache(maxsize=65536)
def split_compound(word: str, known: frozenset[str]) -> tuple[str, ...]:
    """Known words a compound is made of, head last; () when it is not one.

    The head (the longest known word, of at least 5 letters, ending the word,
    possibly inflected) decides; known modifiers before it are kept, unknown ones
    dropped: "verkehrsunfallstatistik" → ("verkehr", "unfall", "statistik") when
    all three are known, "radverkehr" → ("verkehr",) when only "verkehr" is.
    ``known``: the folded words of the same language.
    """
    if len(word) < MIN_HEAD + MIN_MODIFIER or word in known:
        return ()
    for start in range(MIN_MODIFIER, len(word) - MIN_HEAD + 1):
        head = _known_form(word[start:], known)
        if head is None:
            continue
        modifier = word[:start]
        found = _known_form(modifier, known)
        if found is not None:
            return (found, head)
        return (*split_compound(modifier, known), head)
    return ()
