"""Which language version of a partner's title (or description) a reader sees.

A reference keeps every version the partner publishes (``partner_translations``). A reader
sees the version in the UI language when the partner offers one, else the original; either
way the page must say which language the text is in (the ``lang`` attribute, for screen
readers and hyphenation, and a visible badge), so this module also works out the original's
language from what the partner declared. No CKAN imports: pages and the indexer share it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

#: The EU language authority (what DCAT-AP ``dct:language`` holds) → ISO 639-1, for the 24
#: official EU languages (Publications Office, "Languages" authority table, column ISO 639-1).
EU_LANGUAGES = {
    "BUL": "bg", "CES": "cs", "DAN": "da", "DEU": "de", "ELL": "el", "ENG": "en",
    "EST": "et", "FIN": "fi", "FRA": "fr", "GLE": "ga", "HRV": "hr", "HUN": "hu",
    "ITA": "it", "LAV": "lv", "LIT": "lt", "MLT": "mt", "NLD": "nl", "POL": "pl",
    "POR": "pt", "RON": "ro", "SLK": "sk", "SLV": "sl", "SPA": "es", "SWE": "sv",
}  # fmt: skip
_TAG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")


@dataclass(frozen=True)
class ShownText:
    """The text a reader sees, its language tag ("" when unknown) and whether it is a
    version the partner published in the reader's language rather than the original."""

    text: str
    lang: str = ""
    translated: bool = False
    #: the catalogue translated it by machine (data.europa.eu), not the partner
    machine: bool = False


def language_tag(value: Any) -> str:
    """A declared language as a lower-case tag: ``ro``, ``RON``, an EU authority URI
    (``…/language/RON``) or a locale (``pt_BR``); "" for anything else."""
    text = str(value or "").strip().rstrip("/")
    if not text:
        return ""
    code = text.rsplit("/", 1)[-1]
    if code.upper() in EU_LANGUAGES:
        return EU_LANGUAGES[code.upper()]
    tag = code.lower().replace("_", "-")
    return tag if _TAG.match(tag) else ""


def versions(translations: Any, field: str = "title") -> dict[str, str]:
    """The language versions of one field from ``partner_translations`` (a dict, or the JSON
    text CKAN stores); {} for anything unreadable: a page must never fail on it."""
    if isinstance(translations, str):
        try:
            translations = json.loads(translations) if translations.strip() else {}
        except ValueError:
            return {}
    found = translations.get(field) if isinstance(translations, dict) else None
    if not isinstance(found, dict):
        return {}
    return {str(k): str(v) for k, v in found.items() if isinstance(v, str) and v.strip()}


def _find(available: dict[str, str], wanted: str) -> str:
    """The key of ``available`` for the language ``wanted`` (exact tag, then the same base
    language: a German reader reads ``de-ch``), or ""."""
    if wanted in available:
        return wanted
    base = wanted.split("-")[0]
    if base in available:
        return base
    return next((key for key in sorted(available) if key.split("-")[0] == base), "")


def original_language(original: str, found: dict[str, str], declared: list[Any]) -> str:
    """The original's language: the version whose text it is, else the first language the
    partner declared for the dataset (then for its portal), else ""."""
    for tag, text in sorted(found.items()):
        if text.strip() == original.strip():
            return tag
    return next((tag for tag in (language_tag(value) for value in declared) if tag), "")


def shown(
    original: str, translations: Any, declared: list[Any], reader: str, field: str = "title"
) -> ShownText:
    """What a reader whose UI language is ``reader`` (``de``, ``pt_BR``) sees of ``field``."""
    found = {
        tag: text
        for key, text in versions(translations, field).items()
        if (tag := language_tag(key))
    }
    source = original_language(original, found, declared)
    wanted = language_tag(reader)
    key = _find(found, wanted) if wanted else ""
    if key and found[key].strip() != original.strip():
        machine = key in {language_tag(k) for k in versions(translations, "machine_translated")}
        return ShownText(found[key], key, True, machine)
    if key:
        return ShownText(original, key, False)
    return ShownText(original, source, False)


def search_text(translations: Any) -> str:
    """Every version of title and description as one text, for the search index."""
    parts: list[str] = []
    for field in ("title", "description"):
        parts.extend(text for _, text in sorted(versions(translations, field).items()))
    return "\n".join(dict.fromkeys(parts))
