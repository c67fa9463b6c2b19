"""A citizen finds partner data through the shared themes and follows it to the partner;
every citizen page passes axe-core without serious violations, in English and German."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LivePortal, screenshot
from tests.browser.pages import (
    AIR_QUALITY,
    CITIZEN_PAGES,
    ENVIRONMENT,
    OUR_AIR_QUALITY,
    axe_violations,
    path_of,
)


def reference_path(live_portal: LivePortal) -> str:
    found = live_portal.api(
        "package_search", q=f'title:"{AIR_QUALITY}"', fq="dataset_type:partner_dataset"
    )
    assert found["count"] == 1, found
    return f"/partner_dataset/{found['results'][0]['name']}"


def test_citizen_finds_partner_dataset_through_theme_page(anon: Page, live_portal: LivePortal):
    anon.goto("/themes")
    anon.locator(f"a[href$='/themes/{ENVIRONMENT}']").first.click()
    expect(anon).to_have_url(re.compile(f"/themes/{ENVIRONMENT}$"))
    expect(anon.locator("h1")).to_contain_text("Environment")

    groups = anon.locator('[data-partnercity="theme-city-group"]')
    alba = groups.filter(has_text="Alba Iulia")
    mulhouse = groups.filter(has_text="Mulhouse")
    expect(alba).to_have_count(1)
    expect(mulhouse).to_have_count(1)
    # The partners' own categories "Mediu" and "Environnement" landed on the shared theme;
    # their transport data did not.
    expect(alba.get_by_role("link", name=AIR_QUALITY)).to_be_visible()
    expect(alba.get_by_role("link", name="Spații verzi și parcuri")).to_be_visible()
    expect(alba).not_to_contain_text("Parcări publice cu plată")
    arbres = "Arbres d'alignement de la Ville de Mulhouse"
    expect(mulhouse.get_by_role("link", name=arbres)).to_be_visible()
    expect(mulhouse).not_to_contain_text("Stationnements vélos")
    # Our own air-quality dataset (tag "environment") next to the partners', and our weather
    # stations through their HVD category (Meteorological, aligned with Environment); not
    # our road network (Transport networks: Transport).
    ours = groups.filter(has_text="(our portal)")
    expect(ours).to_have_count(1)
    expect(ours.get_by_role("link", name=OUR_AIR_QUALITY)).to_be_visible()
    expect(ours.get_by_role("link", name="Wetterstationen: Tageswerte")).to_be_visible()
    expect(ours).not_to_contain_text("Straßennetz")

    alba.get_by_role("link", name=AIR_QUALITY).click()
    expect(anon).to_have_url(re.compile(r"/partner_dataset/[a-z0-9-]+$"))
    expect(anon.locator("h1").first).to_contain_text(AIR_QUALITY)

    link = anon.locator("a.partnercity-open-at-partner")
    expect(link).to_have_count(1)
    expect(link).to_contain_text("Open at Alba Iulia's portal")
    target = f"{live_portal.partners_url}/alba-iulia/dataset/calitatea-aerului-2023"
    assert link.get_attribute("href") == target
    if link.get_attribute("target") == "_blank":
        with anon.context.expect_page() as opened:
            link.click()
        partner_page = opened.value
    else:
        link.click()
        partner_page = anon
    partner_page.wait_for_load_state()
    assert partner_page.url == target
    expect(partner_page.locator("h1")).to_have_text(AIR_QUALITY)


def test_partner_profile_searches_and_filters_references(anon: Page):
    anon.goto("/partner-cities")
    cards = anon.locator('[data-partnercity="partner-card"]')
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text("Alba Iulia")
    expect(cards.nth(1)).to_contain_text("Mulhouse")

    cards.nth(0).get_by_role("link", name="Alba Iulia").first.click()
    expect(anon).to_have_url(re.compile("/partner-cities/alba-iulia$"))
    results = anon.locator('[data-partnercity="partner-results"] li.dataset-item')
    expect(results).to_have_count(7)  # all of the fixture's datasets

    search = anon.locator('[data-partnercity="partner-search"] input[name=q]')
    search.fill("aerului")
    search.press("Enter")
    expect(anon).to_have_url(re.compile(r"/partner-cities/alba-iulia\?(.*&)?q=aerului"))
    expect(results).to_have_count(1)
    expect(results.get_by_role("link", name=AIR_QUALITY)).to_be_visible()


def test_compare_matrix_counts_partner_datasets_per_theme(anon: Page):
    anon.goto("/partner-cities/compare")
    matrix = anon.locator('[data-partnercity="compare-matrix"]')
    expect(matrix).to_be_visible()
    expect(matrix).to_contain_text("Alba Iulia")
    expect(matrix).to_contain_text("Mulhouse")
    environment = matrix.locator("tr", has_text="Environment")
    expect(environment).to_have_count(1)
    # Alba Iulia files two datasets under "Mediu", Mulhouse two under "Environnement", and
    # our city has two there too (air quality; weather stations through their HVD category).
    expect(environment.locator("td, th").filter(has_text=re.compile(r"^\s*2\s*$"))).to_have_count(3)
    answer = anon.request.get("/partner-cities/compare.csv")
    assert answer.ok and answer.headers["content-type"].startswith("text/csv")
    assert "Alba Iulia" in answer.text() and "Mulhouse" in answer.text()


@pytest.mark.parametrize("name", list(CITIZEN_PAGES))
def test_citizen_page_has_no_serious_accessibility_violations(
    anon: Page, live_portal: LivePortal, name: str
):
    """axe-core (run inside the page) on each citizen page; screenshots in en and de."""
    path = CITIZEN_PAGES[name] or reference_path(live_portal)
    answer = anon.goto(path)
    assert answer is not None and answer.status == 200, (path, answer and answer.status)
    assert path_of(anon.url) == path
    screenshot(anon, name)
    violations = axe_violations(anon)
    assert violations == [], f"{path}: {violations}"

    answer = anon.goto(f"/de{path}")
    assert answer is not None and answer.status == 200, (path, answer and answer.status)
    expect(anon.locator("html")).to_have_attribute("lang", re.compile("^de"))
    screenshot(anon, f"{name}-de")
