"""The plain-text shortcut of markdown_extract against CKAN's own, on real partner texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ckan.lib.helpers import markdown_extract

from ckanext.partnercity.pages.plain_text import plain_extract

ROOT = Path(__file__).resolve().parents[3]
SOURCES = [
    ROOT / "tests/fixtures/ckan/alba-iulia.json",
    ROOT / "tests/fixtures/ckan/gdynia_ckan_current_package_list_with_resources.json",
    ROOT / "tests/fixtures/ckan/hautsdefrance_dkan_package_show.json",
    ROOT / "tests/fixtures/opendatasoft/mulhouse.json",
]


def _texts(node) -> list[str]:
    """Every description-like string of a portal's JSON."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("notes", "description") and isinstance(value, str) and value.strip():
                found.append(value)
            else:
                found += _texts(value)
    elif isinstance(node, list):
        for value in node:
            found += _texts(value)
    return found


TEXTS = sorted({t for source in SOURCES for t in _texts(json.loads(source.read_text("utf-8")))})


def _same(a: str, b: str) -> bool:
    """Equal as a browser shows them: HTML collapses whitespace."""
    return " ".join(a.split()) == " ".join(b.split())


@pytest.mark.parametrize("length", [180, 60, 0])
def test_the_shortcut_shows_what_ckan_shows_or_leaves_it_to_ckan(length):
    answered = 0
    for text in TEXTS:
        fast = plain_extract(text, length)
        if fast is not None:
            answered += 1
            assert _same(fast, markdown_extract(text, extract_length=length)), text
    # Most partner descriptions are plain sentences; some are Markdown or HTML.
    assert len(TEXTS) >= 20
    assert len(TEXTS) // 3 <= answered < len(TEXTS)


@pytest.mark.parametrize(
    "text",
    [
        "Daten **fett** und _kursiv_",
        "Siehe [Portal](https://example.org)",
        "<p>HTML</p>",
        "Tom &amp; Jerry",
        "# Titel",
        "Liste:\n- eins\n- zwei",
        "Schritte:\n1. eins\n2. zwei",
        "Titel\n=====",
        "Code:\n\n    x = 1",
        "`code`",
        "a\\*b",
    ],
)
def test_anything_that_may_be_markdown_or_html_goes_to_ckan(text):
    assert plain_extract(text, 180) is None


def test_plain_text_is_shortened_on_a_word_like_ckan():
    text = "Valori orare măsurate de stațiile automate de monitorizare " * 8
    assert plain_extract(text, 80) == markdown_extract(text, extract_length=80)
    assert plain_extract(text, 80).endswith("...") and len(plain_extract(text, 80)) <= 80
