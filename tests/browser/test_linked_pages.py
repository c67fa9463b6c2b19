"""The German and English pages of issue 15 in a real browser: a reference page (the
reader's title version with its language and badge, the browser title, schema.org JSON-LD),
a partner page (schema.org City, its Wikidata link), our dataset page with "In our partner
cities", and the partnership graph by content negotiation on /partner-cities. axe-core finds
no serious violation on any of them."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator

import pytest
import rdflib
from playwright.sync_api import Page, expect
from rdflib.namespace import RDF

from tests.browser.conftest import LivePortal, screenshot
from tests.browser.pages import AIR_QUALITY, GERMAN_AIR_QUALITY, axe_violations
from tests.browser.test_citizen import reference_path
from tests.browser.test_german import german

SCHEMA = rdflib.Namespace("https://schema.org/")
ALBA_WIKIDATA = "Q179909"  # Alba Iulia's Wikidata item
OUR_AIR = "/dataset/arnsberg-air-quality"


def _post(live_portal: LivePortal, action: str, **data) -> dict:
    request = urllib.request.Request(
        f"{live_portal.url}/api/3/action/{action}",
        data=json.dumps(data).encode(),
        headers={"Content-Type": "application/json", "Authorization": live_portal.admin_token},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)["result"]


@pytest.fixture
def alba_wikidata(live_portal: LivePortal) -> Iterator[str]:
    """Alba Iulia with its Wikidata item for one test; taken off again after it."""
    _post(live_portal, "partnercity_partner_update", id="alba-iulia", wikidata=ALBA_WIKIDATA)
    try:
        yield f"http://www.wikidata.org/entity/{ALBA_WIKIDATA}"
    finally:
        _post(live_portal, "partnercity_partner_update", id="alba-iulia", wikidata="")


def _json_ld(page: Page) -> list[dict]:
    """Every schema.org JSON-LD block of the page, parsed as JSON (a broken one fails)."""
    scripts = page.locator('script[type="application/ld+json"]')
    return [json.loads(scripts.nth(i).inner_text()) for i in range(scripts.count())]


def _no_serious_violations(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {violations}"


@pytest.mark.parametrize(
    ("prefix", "title", "lang", "badge"),
    [
        ("", AIR_QUALITY, "ro", "Romanian (original)"),
        ("/de", GERMAN_AIR_QUALITY, "de", None),
    ],
)
def test_reference_page_in_the_readers_language_with_schema_org_dataset(
    anon: Page, live_portal: LivePortal, prefix: str, title: str, lang: str, badge: str | None
):
    path = reference_path(live_portal)
    answer = anon.goto(f"{prefix}{path}")
    assert answer is not None and answer.status == 200
    heading = anon.locator('[role="main"] h1 [data-partnercity="title-text"]')
    expect(heading).to_have_text(title)
    expect(heading).to_have_attribute("lang", lang)
    badge = badge or german("{language} (partner's translation)").format(language="Deutsch")
    expect(anon.locator('[data-partnercity="title-language"]')).to_have_text(badge)
    # The browser's title names the same version.
    assert anon.title().startswith(f"{title} ")
    other = GERMAN_AIR_QUALITY if lang == "ro" else AIR_QUALITY
    assert other not in anon.title()

    reference = live_portal.api("package_show", id=path.rsplit("/", 1)[1])
    datasets = [block for block in _json_ld(anon) if block.get("@type") == "Dataset"]
    assert len(datasets) == 1
    dataset = datasets[0]
    assert dataset["@context"] == "https://schema.org"
    assert dataset["url"] == reference["partner_landing_page"]
    assert dataset["url"].startswith(live_portal.partners_url + "/alba-iulia")
    assert dataset["spatialCoverage"]["@type"] == "City"
    assert dataset["spatialCoverage"]["url"] == f"{live_portal.url}/partner-cities/alba-iulia"
    screenshot(anon, f"linked-reference{prefix.replace('/', '-')}")
    _no_serious_violations(anon)


@pytest.mark.parametrize("prefix", ["", "/de"])
def test_partner_page_has_a_schema_org_city_and_its_wikidata_link(
    anon: Page, alba_wikidata: str, prefix: str
):
    answer = anon.goto(f"{prefix}/partner-cities/alba-iulia")
    assert answer is not None and answer.status == 200
    cities = [block for block in _json_ld(anon) if block.get("@type") == "City"]
    assert len(cities) == 1
    assert cities[0]["name"] == "Alba Iulia"
    assert cities[0]["sameAs"] == alba_wikidata
    assert cities[0]["address"]["addressCountry"] == "RO"
    link = anon.locator('[data-partnercity="partner-wikidata"]')
    expect(link).to_have_text(ALBA_WIKIDATA)
    expect(link).to_have_attribute("href", f"https://www.wikidata.org/wiki/{ALBA_WIKIDATA}")
    label = german("Wikidata item") if prefix else "Wikidata item"
    assert label, "no German translation of 'Wikidata item'"
    expect(anon.locator(".partnercity-profile dt", has_text=label)).to_have_count(1)
    # The shared-theme facet lists themes; the stops' HVD category "Mobility" has its own.
    themes = anon.locator('[data-partnercity="partner-facets"] section').first
    expect(themes).to_contain_text("Verkehr" if prefix else "Transport")
    expect(themes).not_to_contain_text("Mobilität" if prefix else "Mobility")
    screenshot(anon, f"linked-partner{prefix.replace('/', '-')}")
    _no_serious_violations(anon)


@pytest.mark.parametrize("prefix", ["", "/de"])
def test_our_dataset_page_lists_the_partner_cities_data(
    anon: Page, live_portal: LivePortal, prefix: str
):
    answer = anon.goto(f"{prefix}{OUR_AIR}")
    assert answer is not None and answer.status == 200
    block = anon.locator('[data-partnercity="related"]')
    heading = "In our partner cities" if not prefix else german("In our partner cities")
    assert heading
    expect(block.locator("h2")).to_have_text(heading)
    # Alba Iulia's air quality, in the version of this reader's language, with its language.
    title = AIR_QUALITY if not prefix else GERMAN_AIR_QUALITY
    entry = block.locator('[data-partnercity="title-text"]', has_text=title)
    expect(entry.first).to_have_attribute("lang", "ro" if not prefix else "de")
    assert anon.title().startswith("Luftqualität: Messwerte ")
    screenshot(anon, f"linked-our-dataset{prefix.replace('/', '-')}")
    _no_serious_violations(anon)


@pytest.mark.parametrize(
    ("accept", "content_type", "syntax"),
    [
        ("text/turtle", "text/turtle; charset=utf-8", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
    ],
)
def test_partner_cities_answers_a_graph_by_content_negotiation(
    live_portal: LivePortal, accept: str, content_type: str, syntax: str
):
    request = urllib.request.Request(
        f"{live_portal.url}/partner-cities", headers={"Accept": accept}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 200
        assert answer.headers["Content-Type"] == content_type
        assert "Accept" in (answer.headers.get("Vary") or "")
        body = answer.read().decode("utf-8")
    graph = rdflib.Graph().parse(data=body, format=syntax)
    alba = rdflib.URIRef(f"{live_portal.url}/partner-cities/alba-iulia#city")
    assert (alba, RDF.type, SCHEMA.City) in graph
    assert re.search(r"^@prefix ", body, re.M) if syntax == "turtle" else body.lstrip()[0] in "[{"
