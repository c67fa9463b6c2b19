"""Partner text is made inert and capped before it is stored."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from ckanext.partnercity.harvesters import sanitize

# Markup that must never survive as live HTML, links or script.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://evil.example/"></iframe>',
    "<body onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '"><script>alert(document.cookie)</script>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "[click](javascript:alert(1))",
    "[click]( javascript:alert(1) )",
    "![img](javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "<javascript:alert(1)>",
    "[ref]: javascript:alert(1)\n[x][ref]",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)>",
    '<form action="javascript:alert(1)"><button>x</button></form>',
    "<meta http-equiv=refresh content=0;url=javascript:alert(1)>",
    "<link rel=stylesheet href=javascript:alert(1)>",
    "<style>@import 'javascript:alert(1)';</style>",
    "<a href=' javascript:alert(1)'>x</a>",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "<base href=javascript:alert(1)//>",
    "\u202e<script>alert(1)</script>",
    "<!--<script>alert(1)</script>-->",
]


class _Markup(HTMLParser):
    """Collects the tags, attributes and link targets a browser would see."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            self.attributes.add(name)
            if name == "href":
                self.hrefs.append(value or "")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_payloads_are_inert(payload):
    cleaned = sanitize.clean_markdown(f"Intro {payload} outro")
    markup = _Markup()
    markup.feed(cleaned)
    assert markup.tags <= sanitize._SAFE_TAGS
    assert markup.attributes <= {"href", "title"}
    assert all(href.startswith(("http://", "https://")) for href in markup.hrefs)
    for target in re.findall(r"\]\(\s*<?([^)\s>]*)", cleaned):
        assert target.startswith(("http://", "https://")), target
    for target in re.findall(r"^\s*\[[^\]]+\]:\s*(\S+)", cleaned, re.MULTILINE):
        assert target.startswith(("http://", "https://")), target
    assert "\u202e" not in cleaned


@pytest.mark.parametrize("payload", PAYLOADS)
def test_titles_are_plain_text(payload):
    cleaned = sanitize.clean_title(payload)
    assert "\n" not in cleaned
    assert "<script" not in cleaned.lower() or "&lt;" in cleaned.lower()
    assert "\u202e" not in cleaned


@pytest.mark.parametrize("url", [p for p in PAYLOADS if ":" in p] + ["ftp://x.org/a", "//x.org"])
def test_urls_other_than_http_are_dropped(url):
    assert sanitize.clean_url(url) == ""


def test_safe_markdown_survives():
    text = "Air **quality** in [Alba Iulia](https://data.apulum.ro/ro/dataset/aer)\n\n- NO2\n- PM10"
    assert sanitize.clean_markdown(text) == text


def test_safe_html_subset_kept_with_http_links_only():
    cleaned = sanitize.clean_markdown(
        '<p>Qualité de l\'air à <a href="https://data.mulhouse-alsace.fr/">Mulhouse</a></p>'
    )
    assert (
        cleaned
        == '<p>Qualité de l\'air à <a href="https://data.mulhouse-alsace.fr/">Mulhouse</a></p>'
    )


def test_caps():
    assert len(sanitize.clean_title("x" * 10_000)) == sanitize.TITLE_MAX
    assert len(sanitize.clean_markdown("y" * 100_000)) == sanitize.MARKDOWN_MAX
    assert len(sanitize.clean_list([f"k{i}" for i in range(1000)])) == sanitize.LIST_MAX_ITEMS
    assert sanitize.clean_url("https://x.org/" + "a" * 5000) == ""


def test_lists_are_deduplicated_and_cleaned():
    assert sanitize.clean_list(["Mediu", " Mediu ", "<b>Transport</b>", "", None]) == [
        "Mediu",
        "Transport",
    ]
    assert sanitize.clean_list("single") == ["single"]
    assert sanitize.clean_list({"not": "a list"}) == []


def test_entities_decoded_in_titles():
    assert sanitize.clean_title("Qualit&eacute; de l&#39;air") == "Qualité de l'air"


@pytest.mark.parametrize(
    "raw", ["A &lt;b&gt; B", "&amp;amp;lt;script&amp;amp;gt;", "Umwelt &amp; Klima", "x &lt; y"]
)
def test_cleaning_is_idempotent_so_harvest_and_validators_agree(raw):
    once = sanitize.clean_list([raw])
    assert sanitize.clean_list(once) == once
    assert not any("<b>" in item or "script" in item for item in once)


def test_markup_hidden_in_entities_deeper_than_the_passes_is_never_stored_as_tags():
    payload = "<script>alert(1)</script> ok <b>x</b>"
    for depth in range(9):
        text = payload
        for _ in range(depth):
            text = html.escape(text)
        cleaned = sanitize.clean_text(text)
        assert "<script" not in cleaned.lower() and "<b>" not in cleaned, (depth, cleaned)


def test_invisible_format_characters_are_removed():
    hidden = "Luft\ufeffqualit\u2060\u00e4t \u061cund\u00ad Wasser\u180e"
    assert sanitize.clean_title(hidden) == "Luftqualität und Wasser"


def test_translations_keep_language_tags_and_sanitize_each_version():
    kept = sanitize.clean_translations(
        {
            "title": {"de": " Luftqualität ", "EN": "Air <b>quality</b>", "@none": "x", "": "y"},
            "description": {"fr_FR": "<script>alert(1)</script>Qualité", "ro": ""},
            "publisher": {"de": "dropped: not a translated field"},
        }
    )
    assert kept == {
        "title": {"de": "Luftqualität", "en": "Air quality"},
        "description": {"fr-fr": "Qualité"},
    }


def test_translations_of_anything_else_are_empty():
    assert sanitize.clean_translations("title") == {}
    assert sanitize.clean_translations({"title": ["de", "x"]}) == {}
    many = {"title": {f"a{chr(97 + i // 26)}{chr(97 + i % 26)}": "t" for i in range(40)}}
    assert len(sanitize.clean_translations(many)["title"]) == sanitize.TRANSLATIONS_MAX_LANGUAGES
