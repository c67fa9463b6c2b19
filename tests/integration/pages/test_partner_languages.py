"""Partner titles in the reader's language (issue 15 §4), on the real stack.

Alba Iulia (CKAN with ckanext-fluent, fixture ``ckan/alba-iulia.json``) publishes its
air-quality dataset in Romanian with a German title and description; the University of
Bologna's real DCAT-AP_IT catalogue (``dcat/dati-unibo_ckan_dcat-ap-it_catalog.rdf``)
publishes every title in Italian and English. Both are harvested through the actions and the
pages are rendered in English and German.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from ckan.tests.helpers import call_action

from tests.integration.harvest_support import harvest, references
from tests.integration.page_support import fresh_store, partner_portals, seed
from tests.support.http_server import serve

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("with_plugins")]

UNIBO = Path(__file__).resolve().parents[2] / "fixtures" / "dcat"
RO_TITLE = "Calitatea aerului în municipiul Alba Iulia – 2023"
DE_TITLE = "Luftqualität in der Stadt Alba Iulia – 2023"
IT_TITLE, EN_TITLE = "Insegnamenti 2017/2018", "Course unit catalogue 2017/2018"


@pytest.fixture(scope="module")
def data(reset_db, reset_index, migrate_db_for):
    fresh_store(reset_db, reset_index, migrate_db_for)
    body = (UNIBO / "dati-unibo_ckan_dcat-ap-it_catalog.rdf").read_bytes()
    rdf = {"Content-Type": "application/rdf+xml"}
    with partner_portals() as urls, serve(lambda m, p, q: (200, rdf, body)) as unibo:
        seeded = seed(urls)
        call_action(
            "partnercity_partner_create",
            name="bologna",
            title="Bologna",
            country="IT",
            languages=["it"],
            portal_type="dcat",
            portal_url=unibo.url + "/catalog.rdf",
        )
        run = harvest("bologna")
        assert run["status"] == "succeeded", run["errors"]
        yield {
            **seeded,
            "air": _by_title("alba-iulia", RO_TITLE),
            "courses": _by_title("bologna", IT_TITLE),
            "parks": _by_title("alba-iulia", "Spații verzi și parcuri"),
        }


def _by_title(partner: str, title: str) -> dict:
    return next(p for p in references(partner).values() if p["title"] == title)


def _title_span(text: str, lang: str) -> str:
    return f'<span lang="{lang}" data-partnercity="title-text">{text}</span>'


def _heading(body: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", body, re.S).group(1)


def test_every_language_version_is_stored(data):
    # stored as JSON text, as the validator partnercity_translations writes it
    air, courses = (json.loads(data[k]["partner_translations"]) for k in ("air", "courses"))
    assert air["title"] == {"de": DE_TITLE, "ro": RO_TITLE}
    assert courses["title"] == {"en": EN_TITLE, "it": IT_TITLE}
    assert set(courses["description"]) == {"en", "it"}


def test_a_german_query_finds_the_romanian_reference_by_its_german_title(app, data):
    for query in ("Luftqualität", "Luftmessstationen"):  # title, description
        found = call_action("package_search", q=query, fq="+dataset_type:partner_dataset")
        assert [p["id"] for p in found["results"]] == [data["air"]["id"]], query
    # the original's words still find it
    found = call_action("package_search", q="aerului", fq="+dataset_type:partner_dataset")
    assert data["air"]["id"] in {p["id"] for p in found["results"]}
    # a citizen searching the partner's profile in German
    body = app.get("/de/partner-cities/alba-iulia", query_string={"q": "Luftqualität"}).body
    results = body.split('data-partnercity="partner-results"')[1]
    assert results.count('class="dataset-item"') == 1
    assert _title_span(DE_TITLE, "de") in results


def test_reference_page_in_german_shows_the_partners_german_version(app, data):
    body = app.get(f"/de/partner_dataset/{data['air']['name']}").body
    assert _title_span(DE_TITLE, "de") in _heading(body)
    assert RO_TITLE not in _heading(body)
    # the sidebar's heading says the same
    assert f'<h1 class="heading">{_title_span(DE_TITLE, "de")}</h1>' in body
    badge = re.search(r'data-partnercity="language-badge" data-lang="de">([^<]+)<', body)
    assert badge.group(1) == "Deutsch (Übersetzung der Partnerstadt)"
    notes = re.search(
        r'<div class="notes embedded-content" lang="([^"]+)"[^>]*>(.*?)</div>', body, re.S
    )
    assert notes.group(1) == "de" and "Luftmessstationen" in notes.group(2)


def test_reference_page_in_english_shows_the_original_with_its_language(app, data):
    body = app.get(f"/partner_dataset/{data['air']['name']}").body
    assert _title_span(RO_TITLE, "ro") in _heading(body)
    badge = re.search(r'data-partnercity="language-badge" data-lang="ro">([^<]+)<', body)
    assert badge.group(1) == "Romanian (original)"
    assert 'lang="ro" data-partnercity="reference-notes"' in body


def test_an_english_version_is_shown_to_english_readers_and_the_italian_to_german_ones(app, data):
    name = data["courses"]["name"]
    english = app.get(f"/partner_dataset/{name}").body
    assert _title_span(EN_TITLE, "en") in _heading(english)
    assert (
        "English (partner&#39;s translation)" in english
        or "English (partner's translation)" in english
    )
    german = app.get(f"/de/partner_dataset/{name}").body
    assert _title_span(IT_TITLE, "it") in _heading(german)
    assert 'data-lang="it">Italienisch (Original)<' in german


def test_a_title_without_versions_takes_the_partners_language(app, data):
    """Spații verzi declares no language: the partner city's first language is the guess."""
    body = app.get(f"/partner_dataset/{data['parks']['name']}").body
    assert _title_span("Spații verzi și parcuri", "ro") in _heading(body)
    assert 'data-lang="ro">Romanian (original)<' in body


def test_partner_profile_lists_titles_in_the_readers_language(app, data):
    german = app.get("/de/partner-cities/alba-iulia").body
    assert _title_span(DE_TITLE, "de") in german
    assert 'data-lang="de">Deutsch (Übersetzung der Partnerstadt)<' in german
    english = app.get("/partner-cities/alba-iulia").body
    assert _title_span(RO_TITLE, "ro") in english and DE_TITLE not in english
    assert english.count('data-partnercity="language-badge"') == english.count(
        'class="dataset-item"'
    )


def test_theme_page_and_our_dataset_page_use_the_same_choice(app, data):
    theme = app.get("/de/themes/ENVI").body
    alba = theme.split('data-city="alba-iulia"')[1].split("</section>")[0]
    assert _title_span(DE_TITLE, "de") in alba and "Übersetzung der Partnerstadt" in alba
    related = app.get("/de/dataset/arnsberg-air-quality").body
    block = related.split('data-partnercity="related"')[1].split("</section>")[0]
    assert _title_span(DE_TITLE, "de") in block
    english = app.get("/dataset/arnsberg-air-quality").body
    block = english.split('data-partnercity="related"')[1].split("</section>")[0]
    assert _title_span(RO_TITLE, "ro") in block and "Romanian (original)" in block


def test_ckans_own_reference_search_uses_the_same_choice(app, data):
    german = app.get("/de/partner_dataset/", query_string={"q": "Luftqualität"}).body
    items = german.split('class="dataset-list')[1].split("</ul>\n")[0]
    assert _title_span(DE_TITLE, "de") in items
    assert 'data-lang="de">Deutsch (Übersetzung der Partnerstadt)<' in items
    english = app.get("/partner_dataset/", query_string={"q": "Luftqualität"}).body
    assert _title_span(RO_TITLE, "ro") in english


def _browser_title(body: str) -> str:
    import html

    return html.unescape(re.search(r"<title>(.*?)</title>", body, re.S).group(1)).strip()


def test_the_browser_title_is_the_version_the_reader_gets(app, data):
    name = data["air"]["name"]
    german = _browser_title(app.get(f"/de/partner_dataset/{name}").body)
    assert german.startswith(DE_TITLE + " ") and RO_TITLE not in german
    english = _browser_title(app.get(f"/partner_dataset/{name}").body)
    assert english.startswith(RO_TITLE + " ") and DE_TITLE not in english
    # the type in words, not CKAN's "Partner_Dataset"
    assert "Partner dataset" in english and "Partner_Dataset" not in english
    assert "Datensatz der Partnerstadt" in german
    courses = _browser_title(app.get(f"/partner_dataset/{data['courses']['name']}").body)
    assert courses.startswith(EN_TITLE + " ")
    # Our own datasets keep CKAN's title.
    own = call_action("package_search", fq="-dataset_type:partner_dataset", rows=1)["results"][0]
    assert _browser_title(app.get(f"/dataset/{own['name']}").body).startswith(own["title"] + " ")


def test_counterparts_on_our_dataset_page_use_the_same_choice(app, data):
    """Counterparts come first in "In our partner cities": their titles too are the
    reader's version, with its language."""
    from ckan.tests import factories

    factories.Dataset(  # declared HVD "Air", as Alba Iulia declares its air quality
        name="arnsberg-luftqualitaet-hvd",
        title="Luftqualität: Messwerte",
        owner_org=data["ours"]["air"]["owner_org"],
        hvd_category=["http://data.europa.eu/bna/c_63b37dd4"],
        tags=[{"name": "environment"}],
    )
    german = app.get("/de/dataset/arnsberg-luftqualitaet-hvd").body
    items = re.findall(r'<li data-partnercity="counterpart-item">(.*?)</li>', german, re.S)
    assert items, "no counterpart listed"
    assert all('data-partnercity="title-text"' in item for item in items)
    assert all(re.search(r'<span lang="[a-z]{2}" data-partnercity="title-text">', i) for i in items)
    assert _title_span(DE_TITLE, "de") in items[0]
    english = app.get("/dataset/arnsberg-luftqualitaet-hvd").body
    first = re.search(r'<li data-partnercity="counterpart-item">(.*?)</li>', english, re.S)
    assert _title_span(RO_TITLE, "ro") in first.group(1)
