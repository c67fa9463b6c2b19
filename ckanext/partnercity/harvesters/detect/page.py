"""What a page shows without parsing it as a document: meta generator tags, its title,
words that only one software's pages carry. Partner HTML is untrusted and can be anything,
so these are bounded regular expressions over the first bytes, never a DOM."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit, urlunsplit

from ckanext.partnercity.harvesters.detect.model import Seen, clean

HEAD_CHARS = 256 * 1024
_META = re.compile(r"<meta\b[^>]{0,500}>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-zA-Z:_-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TITLE = re.compile(r"<title[^>]{0,200}>([^<]{0,500})</title>", re.IGNORECASE)
_LOCALE = re.compile(r"^[a-z]{2}(?:[-_][a-zA-Z]{2})?$")


def head(seen: Seen) -> str:
    return seen.text[:HEAD_CHARS]


def metas(seen: Seen) -> dict[str, str]:
    """``name``/``property`` → ``content`` of the page's meta tags (the first of each)."""
    found: dict[str, str] = {}
    for tag in _META.findall(head(seen)):
        attrs = {m[0].lower(): m[1] or m[2] for m in _ATTR.findall(tag)}
        key = (attrs.get("name") or attrs.get("property") or "").lower()
        if key and "content" in attrs:
            found.setdefault(key, html.unescape(attrs["content"]))
    return found


def generator(seen: Seen) -> str:
    return clean(metas(seen).get("generator", "")) if seen.looks_html else ""


def title(seen: Seen) -> str:
    """The site's name as its page gives it: og:site_name, else the <title>."""
    if not seen.looks_html:
        return ""
    site = metas(seen).get("og:site_name")
    if site:
        return clean(site)
    match = _TITLE.search(head(seen))
    return clean(html.unescape(match.group(1))) if match else ""


def mentions(seen: Seen, *words: str) -> str:
    """The first of ``words`` the page contains (case-insensitive), or ""."""
    if not seen.looks_html:
        return ""
    text = head(seen).lower()
    return next((word for word in words if word.lower() in text), "")


def path_has(url: str, *fragments: str) -> str:
    """The first of ``fragments`` in the URL's path and query, or ""."""
    parts = urlsplit(url)
    where = f"{parts.path}?{parts.query}".lower()
    return next((f for f in fragments if f.lower() in where), "")


def base_url(url: str, markers: tuple[str, ...]) -> str:
    """The base URL before the first of ``markers`` in the path (no query, no slash at the
    end); a locale segment (``/fr``) or a file name at the end is dropped too, so a pasted
    dataset page, API URL or home page in some language all give the same base."""
    parts = urlsplit(url.strip())
    kept: list[str] = []
    for segment in (s for s in parts.path.split("/") if s):
        if segment.lower() in markers:
            break
        kept.append(segment)
    while kept and (_LOCALE.match(kept[-1]) or "." in kept[-1]):
        kept.pop()
    path = "/" + "/".join(kept) if kept else ""
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, "", ""))
