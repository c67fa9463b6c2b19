"""Make partner text safe to store and show: no markup that runs, no odd links, capped sizes.

Partner metadata is untrusted. Titles become plain text; descriptions keep a
small Markdown/HTML subset whose links are http(s) only; URLs that are not
plain http(s) are dropped; every field and list has a size cap.
"""

from __future__ import annotations

import html
import re
import unicodedata

import nh3

from ckanext.partnercity.harvesters.urls import is_http_url

TITLE_MAX = 500
TEXT_MAX = 1000
MARKDOWN_MAX = 20_000
URL_MAX = 2048
LIST_MAX_ITEMS = 100
LIST_ITEM_MAX = 300

_SAFE_TAGS = frozenset(
    {
        "a",
        "b",
        "blockquote",
        "br",
        "code",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "ul",
    }
)
_SAFE_ATTRIBUTES = {"a": ["href", "title"]}
_SAFE_PROTOCOLS = frozenset({"http", "https"})
# Markdown links and images whose target is not http(s): keep the text, drop the target.
_MD_LINK = re.compile(r"(!?\[[^\]]*\])\(\s*<?([^)\s>]*)>?(\s+\"[^\"]*\")?\s*\)")
_MD_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*(\S+).*$", re.MULTILINE)
# Control characters and invisible format characters (zero-width, bidi, BOM, word joiner,
# Arabic letter mark, soft hyphen): they hide text from readers and split look-alike words.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    r"\u2060-\u2064\u2066-\u2069\ufeff]"
)
# What is left looking like a tag after cleaning (entities nested deeper than the passes).
_TAG_LIKE = re.compile(r"<[/!?]?[A-Za-z][^<>]*>?")


def _truncate(value: str, limit: int) -> str:
    if len(value) <= limit:
        return value
    return value[: limit - 1].rstrip() + "…"


def _strip_controls(value: str) -> str:
    return _CONTROL.sub("", unicodedata.normalize("NFC", value))


MAX_CLEAN_PASSES = 4


def clean_text(value: object, limit: int = TEXT_MAX) -> str:
    """Plain text: tags removed, entities decoded, whitespace collapsed, capped."""
    if value is None:
        return ""
    text = _strip_controls(str(value))
    # Decoding entities can reveal markup ("&lt;b&gt;") or more entities ("&amp;amp;");
    # clean until nothing changes, so cleaning twice (harvest, then validators) agrees.
    for _ in range(MAX_CLEAN_PASSES):
        cleaned = " ".join(html.unescape(nh3.clean(text, tags=set(), strip_comments=True)).split())
        if cleaned == text:
            break
        text = cleaned
    else:
        text = " ".join(_TAG_LIKE.sub("", text).split())
    return _truncate(text, limit)


def clean_title(value: object) -> str:
    return clean_text(value, TITLE_MAX)


def clean_url(value: object) -> str:
    """An absolute http(s) URL, or "" when the partner gave anything else."""
    if not isinstance(value, str):
        return ""
    url = value.strip()
    if not url or len(url) > URL_MAX or _CONTROL.search(url) or any(c.isspace() for c in url):
        return ""
    if not is_http_url(url) or any(c in url for c in "<>\"'`"):
        return ""
    return url


def _safe_md_link(match: re.Match) -> str:
    label, target = match.group(1), match.group(2)
    if target and clean_url(target):
        return f"{label}({target})"
    return label.lstrip("!")


def clean_markdown(value: object, limit: int = MARKDOWN_MAX) -> str:
    """Markdown (or the HTML some portals publish) reduced to a safe subset."""
    if value is None:
        return ""
    text = _strip_controls(str(value)).replace("\r\n", "\n")
    text = nh3.clean(
        text,
        tags=set(_SAFE_TAGS),
        attributes={tag: set(names) for tag, names in _SAFE_ATTRIBUTES.items()},
        url_schemes=set(_SAFE_PROTOCOLS),
        strip_comments=True,
        link_rel=None,
    )
    text = _MD_LINK.sub(_safe_md_link, text)
    text = _MD_REF_DEF.sub(lambda m: m.group(0) if clean_url(m.group(1)) else "", text)
    return _truncate(text.strip(), limit)


def clean_list(values: object, item_limit: int = LIST_ITEM_MAX) -> list[str]:
    """Distinct, non-empty plain-text items, at most LIST_MAX_ITEMS of them."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for value in values if isinstance(values, (list, tuple)) else []:
        item = clean_text(value, item_limit)
        if item and item not in out:
            out.append(item)
        if len(out) == LIST_MAX_ITEMS:
            break
    return out


def clean_url_list(values: object) -> list[str]:
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, (list, tuple)):
        return []
    out = [url for url in (clean_url(v) for v in values) if url]
    return list(dict.fromkeys(out))[:LIST_MAX_ITEMS]


_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")
#: ``machine_translated``: language -> "machine" for versions a catalogue translated by machine
#: (data.europa.eu's ``translation_meta``), so pages can say so.
TRANSLATION_FIELDS = {"title": TITLE_MAX, "description": MARKDOWN_MAX, "machine_translated": 20}
TRANSLATIONS_MAX_LANGUAGES = 30


def clean_translations(value: object) -> dict[str, dict[str, str]]:
    """Per field, per language tag (``de``, ``pt-br``), the partner's sanitized text.

    Only the fields a reference shows in other languages are kept; language keys that are
    not tags (piveau's ``@none``, a partner's typo) are dropped; at most 30 languages.
    """
    out: dict[str, dict[str, str]] = {}
    for name, limit in TRANSLATION_FIELDS.items():
        versions = value.get(name) if isinstance(value, dict) else None
        if not isinstance(versions, dict):
            continue
        kept: dict[str, str] = {}
        for language, text in versions.items():
            tag = str(language).strip().lower().replace("_", "-")
            if not _LANGUAGE_TAG.match(tag) or tag in kept:
                continue
            clean = clean_title(text) if name != "description" else clean_markdown(text, limit)
            if clean:
                kept[tag] = clean
            if len(kept) == TRANSLATIONS_MAX_LANGUAGES:
                break
        if kept:
            out[name] = dict(sorted(kept.items()))
    return out
