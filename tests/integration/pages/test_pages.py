"""Citizen pages on the real stack, with partners harvested from fixture portals, in en and de."""

from __future__ import annotations

import csv
import io
import re

import pytest
from ckan.tests.helpers import call_action

from tests.integration.page_support import (
    ECON,
    ENVI,
    HVD_EARTH,
    TRAN,
    assert_inert,
    fresh_store,
    partner_portals,
    seed,
)

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("with_plugins")]


@pytest.fixture(scope="module")
def data(reset_db, reset_index, migrate_db_for):
    """Built once for the module: the pages below only read."""
    fresh_store(reset_db, reset_index, migrate_db_for)
    with partner_portals() as urls:
        yield seed(urls)


def _hooks(body: str, hook: str) -> int:
    return body.count(f'data-partnercity="{hook}"')


def _cell(body: str, theme_key: str, city: str) -> str:
    row = re.search(rf'<tr data-theme="{theme_key}">(.*?)</tr>', body, re.S).group(1)
    return re.search(rf'data-city="{city}" data-count="(\d+)"', row).group(1)


# /partner-cities


def test_partner_cards_in_english(app, data):
    body = app.get("/partner-cities").body
    assert _hooks(body, "partner-card") == 2
    alba = body.split('data-partner="alba-iulia"')[1].split("</li>\n      \n")[0]
    assert "Alba Iulia" in alba and "Romania" in alba
    assert '<dd data-partnercity="partnership-since">1997</dd>' in alba
    assert '<dd data-partnercity="dataset-count">8</dd>' in alba
    # Its image_url does not answer: no image, and never a link to the partner's copy.
    assert "stema-alba-iulia.png" not in alba and "<img" not in alba
    assert "/themes/ENVI" in alba  # a top theme we share (our air quality data)
    assert data["runs"]["alba-iulia"]["status"] == "succeeded"
    assert "Alba Iulia's portal" in alba
    assert_inert(body)


def test_partner_cards_in_german(app, data):
    body = app.get("/de/partner-cities").body
    assert '<h1 class="page-heading">Partnerstädte</h1>' in body
    assert "Rumänien" in body and "Frankreich" in body
    assert "Partnerschaft seit" in body
    assert ">Umwelt</a>" in body  # the theme label in German


# /partner-cities/<name>


def test_partner_page_lists_references_with_facets(app, data):
    body = app.get("/partner-cities/alba-iulia").body
    assert _hooks(body, "partner-profile") == 1
    assert "Twin city in Romania." in body
    assert "8 datasets found" in body
    for title in ("Shared themes", "Formats", "Licences", "HVD categories"):
        assert title in body
    assert "Environment" in body  # theme facet labelled
    assert "GeoJSON" in body
    assert "/partner_dataset/" in body
    assert_inert(body)


def test_partner_page_filters_by_theme_format_and_hvd(app, data):
    envi = app.get("/partner-cities/alba-iulia", query_string={"partnercity_theme": ENVI}).body
    assert "2 datasets found" in envi
    geojson = app.get(
        "/partner-cities/alba-iulia",
        query_string={"partnercity_theme": ENVI, "res_format": "GeoJSON"},
    ).body
    assert "1 dataset found" in geojson and "Spații verzi" in geojson
    hvd = app.get(
        "/partner-cities/alba-iulia", query_string={"partnercity_hvd_category": HVD_EARTH}
    ).body
    assert "1 dataset found" in hvd and "Calitatea aerului" in hvd


def test_partner_page_pages_and_searches(app, data):
    call = call_action(
        "package_search", fq="+dataset_type:partner_dataset +organization:alba-iulia", rows=0
    )
    assert call["count"] == 8
    from ckanext.partnercity.views import citizen as page_views

    original = page_views.ROWS
    page_views.ROWS = 3
    try:
        first = app.get("/partner-cities/alba-iulia").body
        third = app.get("/partner-cities/alba-iulia", query_string={"page": 3}).body
    finally:
        page_views.ROWS = original
    assert first.count('class="dataset-item') == 3
    assert third.count('class="dataset-item') == 2
    assert "/partner-cities/alba-iulia?page=2" in first
    found = app.get("/partner-cities/alba-iulia", query_string={"q": "buget"}).body
    assert "1 dataset found" in found and "Bugetul local" in found


def test_result_pages_show_what_solr_has_at_their_offset(app, data, monkeypatch):
    """Rows come BLOCK result pages at a time: each page still shows exactly its slice."""
    from ckanext.partnercity.views import citizen as page_views

    monkeypatch.setattr(page_views, "ROWS", 2)
    monkeypatch.setattr(page_views, "BLOCK", 2)
    fq = "+dataset_type:partner_dataset +organization:alba-iulia"
    link = re.compile(r'href="/partner_dataset/([^"]+)"')
    for number in (1, 2, 3, 4, 5):
        expected = call_action(
            "package_search", fq=fq, sort="title_string asc", rows=2, start=(number - 1) * 2
        )["results"]
        body = app.get(
            "/partner-cities/alba-iulia",
            query_string={"sort": "title_string asc", "page": number, "x": "slices"},
        ).body
        shown = link.findall(body.split('data-partnercity="partner-results"')[1])
        assert list(dict.fromkeys(shown)) == [d["name"] for d in expected], number


def test_partner_page_in_german_and_unknown_partner(app, data):
    body = app.get("/de/partner-cities/mulhouse").body
    assert "Datensätze von Mulhouse" in body
    assert "Gemeinsame Themen" in body and "Umwelt" in body
    assert app.get("/partner-cities/no-such-city", status=404)
    assert app.get("/partner-cities/arnsberg", status=404)  # an ordinary organization


# Citizen search input is plain text: query syntax never reaches Solr as syntax

HOSTILE_QUERIES = [
    'title:"unclosed',
    "{!xmlparser v='<!DOCTYPE a SYSTEM \"http://127.0.0.1:9/x\"><a/>'}",
    "{!join from=id to=owner_org}*:*",
    " OR ".join(f"w{i}" for i in range(2000)),
    "buget AND (",
    "[* TO *] buget~ buget^9 /re.*x/ \\",
    'id:* OR -state:active && !site_id:x || "',
    "x" * 5000,
]


@pytest.mark.parametrize("q", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
def test_any_search_text_is_a_page_never_a_500(app, data, q):
    body = app.get("/partner-cities/alba-iulia", query_string={"q": q}, status=200).body
    assert 'data-partnercity="partner-profile"' in body


def test_search_syntax_in_the_text_still_finds_its_words(app, data):
    for q in ('title:"buget', "buget:", "{!lucene}buget", "+buget -", "buget OR"):
        found = app.get("/partner-cities/alba-iulia", query_string={"q": q}, status=200).body
        assert "1 dataset found" in found and "Bugetul local" in found, q


def test_filters_and_pages_out_of_bounds_are_a_page_never_a_500(app, data):
    many = [("res_format", f"f{i}") for i in range(2000)]
    app.get("/partner-cities/alba-iulia", query_string=many, status=200)
    app.get("/partner-cities/alba-iulia", query_string={"page": 10**12}, status=200)
    app.get("/themes/ENVI", query_string={"q": 'title:"unclosed'}, status=200)
    # The theme page's "all of ours" link is CKAN's own search, which answers such text.
    ckan_search = {"q": 'title:"unclosed', "partnercity_theme": ENVI}
    assert app.get("/dataset/", query_string=ckan_search).status_code == 200


# Reference pages


def test_reference_page_says_where_the_data_lives(app, data):
    body = app.get("/partner_dataset/" + _reference("alba-iulia", "Spații verzi")).body
    link = re.search(
        r'<a class="btn btn-primary partnercity-open-at-partner"[^>]*>\s*(.*?)\s*</a>', body, re.S
    )
    assert link.group(1) == "Open at Alba Iulia's portal"
    assert "Last checked at the partner:" in body
    categories = body.split('data-partnercity="partner-categories"')[1].split("</dd>")[0]
    assert ">Mediu<" in categories
    themes = body.split('data-partnercity="shared-themes"')[1].split("</dd>")[0]
    assert ">Environment<" in themes and "/themes/ENVI" in themes
    german = app.get("/de/partner_dataset/" + _reference("alba-iulia", "Spații verzi")).body
    assert "Beim Portal von Alba Iulia öffnen" in german
    assert ">Umwelt<" in german


def test_hostile_partner_text_renders_inert(app, data):
    name = _reference("alba-iulia", "Zgomot")
    pages = [
        app.get("/partner_dataset/" + name).body,
        app.get("/partner-cities/alba-iulia").body,
        app.get("/partner-cities/alba-iulia", query_string={"q": "Zgomot"}).body,
    ]
    for body in pages:
        assert_inert(body)
    assert "Zgomot" in pages[0]
    assert "alert(" not in pages[0] and "onerror" not in pages[0]  # removed at harvest


def _reference(partner: str, title_start: str) -> str:
    found = call_action(
        "package_search", fq=f"+dataset_type:partner_dataset +organization:{partner}", rows=100
    )
    return next(p["name"] for p in found["results"] if title_start in p["title"])


# /themes


def test_themes_index_lists_labels_and_counts(app, data):
    body = app.get("/themes").body
    item = body.split('data-theme="ENVI"')[1].split("</li>")[0]
    assert "Environment" in item
    assert "5 datasets" in item and "3 cities" in item
    german = app.get("/de/themes").body
    assert "Gemeinsame Themen" in german and ">Umwelt</a>" in german


def test_theme_page_groups_by_city(app, data):
    body = app.get("/themes/ENVI").body
    assert '<h1 class="page-heading" data-partnercity="theme-title">Environment</h1>' in body
    groups = re.findall(r'data-partnercity="theme-city-group" data-city="([^"]+)"', body)
    assert groups == ["_site", "alba-iulia", "mulhouse"]  # ours first, then by name

    def group(city):
        return body.split(f'data-city="{city}"')[1].split("</section>")[0]

    assert "Luftqualität Arnsberg" in group("_site")
    assert "Haushalt" not in group("_site")
    assert "2 datasets" in group("alba-iulia") and "Calitatea aerului" in group("alba-iulia")
    assert "2 datasets" in group("mulhouse") and "Indice ATMO" in group("mulhouse")
    assert "Calitatea" not in group("mulhouse")
    german = app.get("/de/themes/ENVI").body
    assert "<title>Umwelt" in german or ">Umwelt</h1>" in german
    assert "unser Portal" in german


def test_unknown_theme_is_404(app, data):
    app.get("/themes/NOPE", status=404)
    app.get("/themes/%3Cscript%3E", status=404)


# /partner-cities/compare


def test_compare_matrix_numbers_and_csv(app, data):
    matrix = call_action("partnercity_compare")
    cities = [c["key"] for c in matrix["cities"]]
    assert cities == ["_site", "alba-iulia", "mulhouse"]
    by_uri = {t["uri"]: t["counts"] for t in matrix["themes"]}
    assert by_uri[ENVI] == {"_site": 1, "alba-iulia": 2, "mulhouse": 2}
    assert by_uri[TRAN]["_site"] == 0  # a gap on our side
    # Each count is what package_search gives for that city and theme.
    for uri in (ENVI, TRAN, ECON):
        for city in ("alba-iulia", "mulhouse"):
            direct = call_action(
                "package_search",
                fq=f'+dataset_type:partner_dataset +organization:{city} +partnercity_theme:"{uri}"',
                rows=0,
            )["count"]
            assert by_uri[uri][city] == direct

    body = app.get("/partner-cities/compare").body
    assert _hooks(body, "compare-matrix") == 1
    assert _cell(body, "ENVI", "alba-iulia") == "2"
    assert _cell(body, "TRAN", "_site") == "0"
    assert "partnercity-gap" in body

    response = app.get("/partner-cities/compare.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["theme_uri", "theme", "CKAN", "Alba Iulia", "Mulhouse"] or rows[0][2:] == [
        matrix["cities"][0]["title"],
        "Alba Iulia",
        "Mulhouse",
    ]
    csv_counts = {row[0]: [int(n) for n in row[2:]] for row in rows[1:]}
    for theme in matrix["themes"]:
        assert csv_counts[theme["uri"]] == [theme["counts"][c] for c in cities]
    german = app.get("/de/partner-cities/compare").body
    assert "Wer veröffentlicht was" in german and ">Umwelt</a>" in german
    german_csv = app.get("/de/partner-cities/compare.csv").get_data(as_text=True)
    assert "Umwelt" in german_csv


# Our own dataset pages


def test_own_dataset_page_shows_partner_references(app, data):
    body = app.get("/dataset/arnsberg-air-quality").body
    related = body.split('data-partnercity="related"')[1].split("</section>")[0]
    assert "In our partner cities" in related
    items = re.findall(
        r'data-partnercity="related-item">\s*<a href="/partner_dataset/([^"]+)"', related
    )
    assert 1 <= len(items) <= 5
    assert "/themes/ENVI" in related
    api = call_action("partnercity_related", id="arnsberg-air-quality", limit=50)
    assert api["count"] == 4  # two in each city filed under Environment
    assert {t["uri"] for t in api["themes"]} == {ENVI}
    german = app.get("/de/dataset/arnsberg-air-quality").body
    assert "In unseren Partnerstädten" in german


def test_dataset_without_themes_has_no_partner_section(app, data):
    body = app.get("/dataset/arnsberg-budget").body
    assert 'data-partnercity="related"' not in body


def test_related_ranks_most_shared_themes_first(app, data):
    from ckan.tests import factories

    from ckanext.partnercity.themes import mappings as themes_mappings

    both = factories.Dataset(
        name="arnsberg-both",
        owner_org=data["ours"]["air"]["owner_org"],
        tags=[{"name": "environment"}, {"name": "transport"}],
    )
    themes_mappings.refresh_mappings(None, {"transport": "en", "environment": "en"})
    themes_mappings.reindex([both["id"]])
    result = call_action("partnercity_related", id=both["id"], limit=50)
    assert {t["uri"] for t in result["themes"]} == {ENVI, TRAN}
    # No reference carries both, so the ranking must at least keep all matches.
    assert result["count"] == len(result["results"])
    call_action("dataset_purge", id=both["id"])


def test_public_actions_need_no_login(app, data):
    for action in ("partnercity_compare", "partnercity_concept_list"):
        response = app.get(f"/api/3/action/{action}")
        assert response.json["success"] is True
    related = app.get(
        "/api/3/action/partnercity_related", query_string={"id": "arnsberg-air-quality"}
    )
    assert related.json["result"]["count"] == 4
    listed = app.get("/api/3/action/partnercity_partner_list").json["result"]
    alba = next(p for p in listed if p["name"] == "alba-iulia")
    assert alba["partnership_since"] == 1997 and alba["image_url"].endswith(".png")


def test_header_links_to_the_pages(app, data):
    body = app.get("/").body
    assert 'href="/partner-cities"' in body and 'href="/themes"' in body
    assert "Partnerstädte" in app.get("/de/").body


def test_private_datasets_stay_out_of_the_public_pages(app, data):
    from ckan.tests import factories

    from ckanext.partnercity.themes import mappings as themes_mappings

    private = factories.Dataset(
        name="arnsberg-private",
        title="Interne Luftmessungen",
        owner_org=data["ours"]["air"]["owner_org"],
        private=True,
        tags=[{"name": "environment"}],
    )
    themes_mappings.reindex([private["id"]])
    try:
        envi = next(t for t in call_action("partnercity_compare")["themes"] if t["uri"] == ENVI)
        assert envi["counts"]["_site"] == 1
        assert "Interne Luftmessungen" not in app.get("/themes/ENVI").body
        answer = app.get(
            "/api/3/action/partnercity_related", query_string={"id": private["id"]}, status=403
        )
        assert answer.json["success"] is False
        bad = app.get(
            "/api/3/action/partnercity_related",
            query_string={"id": "arnsberg-air-quality", "limit": "many"},
            status=409,
        )
        assert "limit" in bad.json["error"]
    finally:
        call_action("dataset_purge", id=private["id"])


def test_the_stylesheet_is_served_by_the_portal_with_a_version(app, data):
    body = app.get("/partner-cities").body
    href = re.search(r'<link rel="stylesheet" href="([^"]*partnercity\.css\?v=[0-9a-f]{12})"', body)
    assert href, "no versioned stylesheet link"
    assert href.group(1).startswith("/partnercity/")  # our portal, no external host
    # After CKAN's theme CSS (webassets renders it after the styles block), or it loses.
    ckan_css = re.search(r'<link href="/webassets/[^"]*\.css" rel="stylesheet"/>', body)
    assert ckan_css and ckan_css.start() < href.start() < body.index("</head>")
    css = app.get(href.group(1))
    assert css.status_code == 200 and css.headers["Content-Type"].startswith("text/css")
    assert ".partnercity-card" in css.body
