"""The German UI (/de/...): CKAN's own labels, the extension's labels from its German
catalogue, and the shared themes' German labels from the EU vocabulary."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po
from playwright.sync_api import Page, expect

from tests.browser.pages import AIR_QUALITY, ENVIRONMENT, GERMAN_AIR_QUALITY
from tests.support.live_portal import ROOT

CATALOGUES = sorted((ROOT / "ckanext" / "partnercity" / "i18n" / "de").glob("LC_MESSAGES/*.po"))


def german(msgid: str) -> str:
    """The extension's German translation of ``msgid`` (empty when it has none)."""
    for path in CATALOGUES:
        with path.open("rb") as stream:
            message = read_po(stream, locale="de").get(msgid)
        if message and message.string:
            return message.string
    return ""


def test_german_ui_shows_german_labels(anon: Page):
    assert CATALOGUES, "no German catalogue in ckanext/partnercity/i18n/de/LC_MESSAGES/"

    anon.goto("/partner-cities")
    english = anon.locator("h1").first.inner_text().strip()
    anon.goto("/de/partner-cities")
    expect(anon.locator("html")).to_have_attribute("lang", re.compile("^de"))
    assert german(english), f"{english!r} has no German translation"
    expect(anon.locator("h1").first).to_have_text(german(english))
    # CKAN's own navigation is German too.
    expect(anon.locator("header").get_by_role("link", name="Datensätze").first).to_be_visible()

    # Theme labels come from the EU data-theme vocabulary's German labels.
    anon.goto(f"/de/themes/{ENVIRONMENT}")
    expect(anon.locator("h1").first).to_contain_text("Umwelt")
    expect(anon.locator("h1").first).not_to_contain_text("Environment")
    groups = anon.locator('[data-partnercity="theme-city-group"]')
    expect(groups.filter(has_text="Alba Iulia")).to_have_count(1)

    anon.goto("/de/themes")
    expect(anon.locator(f"a[href$='/de/themes/{ENVIRONMENT}']").first).to_contain_text("Umwelt")


def test_reference_title_in_the_readers_language_with_its_badge(anon: Page, live_portal):
    """Alba Iulia publishes a German title for its Romanian air-quality dataset (issue 15 §4)."""
    from tests.browser.test_citizen import reference_path

    path = reference_path(live_portal)
    anon.goto(f"/de{path}")
    heading = anon.locator('[role="main"] h1 [data-partnercity="title-text"]')
    expect(heading).to_have_text(GERMAN_AIR_QUALITY)
    expect(heading).to_have_attribute("lang", "de")
    expect(anon.locator('[data-partnercity="title-language"]')).to_have_text(
        german("{language} (partner's translation)").format(language="Deutsch")
    )
    expect(anon.locator('[data-partnercity="reference-notes"]')).to_have_attribute("lang", "de")

    anon.goto(path)
    expect(heading).to_have_text(AIR_QUALITY)
    expect(heading).to_have_attribute("lang", "ro")
    expect(anon.locator('[data-partnercity="title-language"]')).to_have_text("Romanian (original)")
