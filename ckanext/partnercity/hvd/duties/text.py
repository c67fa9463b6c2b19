"""Text normalisation for the duties finder: lowercase, accents folded, light stemming.

Municipal titles come in many languages and inflected forms ("Lärmkarten", "geluidskaart",
"parcelles cadastrales", "działek"), and the official labels we match them against are
nominative dictionary forms. A full stemmer per language would be a dependency for little
gain: folding accents and cutting a few common inflectional endings, then matching by
prefix (and inside compounds for the compounding languages) is enough for labels.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Languages that write compounds as one word: a label stem may sit inside a token
#: ("Straßenlärmkarte", "geluidsbelastingkaart").
COMPOUNDING = frozenset({"de", "nl", "sv", "da", "fi", "et", "hu", "lb", "no", "is"})

#: Inflectional endings cut before matching, longest first. Shared by all languages on purpose:
#: cutting "-en" from an English or Romance word only shortens the prefix it must match.
_ENDINGS = tuple(
    sorted(
        {
            "ami",
            "ach",
            "ów",
            "ych",
            "ich",
            "ego",
            "ymi",
            "iami",
            "owie",
            "om",
            "ies",
            "es",
            "en",
            "er",
            "ern",
            "s",
            "e",
            "n",
            "a",
            "i",
            "o",
            "y",
            "u",
            "ii",
            "ile",
            "ele",
            "ul",
            "ului",
            "lor",
            "le",
            "elor",
            "ní",
            "ně",
            "ou",
            "ách",
            "ům",
            "ím",
            "ého",
            "ões",
            "ais",
            "eis",
            "os",
            "as",
            "oes",
        },
        key=len,
        reverse=True,
    )
)

#: Stems shorter than this only match whole tokens ("air", "lärm" are still fine as tokens).
MIN_PREFIX = 4

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lowercase, accents and ligatures folded (ß→ss, ł→l, æ→ae), so spellings meet.

    ä, ö, ü become ae, oe, ue (both in labels and in text), so the German spelling without
    umlauts ("Laerm", "Flaechennutzung") meets the label ("Lärm"); ph and th become f and t, so
    "Orthophoto" meets "Ortofoto" and "Orthofotografie".
    """
    text = text.lower().replace("ß", "ss").replace("ł", "l").replace("æ", "ae")
    text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    # Greek-origin spellings differ by language only in these: ortho/orto, photo/foto.
    text = text.replace("ph", "f").replace("th", "t")
    text = text.replace("œ", "oe").replace("ø", "o").replace("đ", "d").replace("ı", "i")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _fold_endings() -> tuple[str, ...]:
    return tuple(sorted({fold(e) for e in _ENDINGS}, key=len, reverse=True))


ENDINGS = _fold_endings()


@lru_cache(maxsize=131072)
def stem(token: str) -> str:
    """``token`` (already folded) without one inflectional ending, keeping ≥ 3 letters."""
    for ending in ENDINGS:
        if len(token) - len(ending) >= 3 and token.endswith(ending):
            return token[: -len(ending)]
    return token


def tokens(text: str) -> list[str]:
    """Folded word tokens of ``text`` (letters and digits; punctuation splits)."""
    return _TOKEN.findall(fold(text)) if text else []
