"""The partner profile's result rows and facet links, built without url_for (no services)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from ckanext.partnercity.pages import lists as page_lists

BASE = "/de/partner-cities/alba-iulia"
THEME = "http://publications.europa.eu/resource/authority/data-theme/ENVI"
TITLES = {"partnercity_theme": "Shared themes", "res_format": "Formats"}


def _query(url: str) -> list[tuple[str, str]]:
    parts = urlsplit(url)
    assert parts.path == BASE
    return parse_qsl(parts.query, keep_blank_values=True)


def _facets(formats: int) -> dict:
    return {
        "partnercity_theme": {
            "items": [
                {"name": THEME, "display_name": "Umwelt", "count": 3},
                {"name": f"{THEME[:-4]}ECON", "display_name": "Wirtschaft", "count": 7},
            ]
        },
        "res_format": {
            "items": [
                {"name": f"F{i:02d}", "display_name": f"F{i:02d}", "count": i + 1}
                for i in range(formats)
            ]
        },
    }


def test_adding_a_filter_keeps_the_search_and_drops_the_page():
    params = [("q", "aer & apă"), ("sort", "title_string asc")]
    url = page_lists.add_param(BASE, params, "res_format", "CSV")
    assert _query(url) == [("q", "aer & apă"), ("sort", "title_string asc"), ("res_format", "CSV")]


def test_removing_one_value_keeps_the_others():
    params = [("res_format", "CSV"), ("res_format", "JSON"), ("q", "x")]
    assert _query(page_lists.remove_param(BASE, params, "res_format", "CSV")) == [
        ("res_format", "JSON"),
        ("q", "x"),
    ]
    assert _query(page_lists.remove_param(BASE, params, "res_format")) == [("q", "x")]
    assert page_lists.remove_param(BASE, [("res_format", "CSV")], "res_format", "CSV") == BASE


def test_facet_entries_are_sorted_linked_and_marked_active():
    params = [("partnercity_theme", THEME), ("page", "3")]
    blocks = page_lists.facet_blocks(_facets(2), TITLES, params, BASE)
    assert [b["name"] for b in blocks] == list(TITLES)
    themes = blocks[0]["items"]
    assert [i["label"] for i in themes] == ["Wirtschaft", "Umwelt"]  # biggest first
    econ, envi = themes
    assert envi["active"] and not econ["active"]
    assert _query(envi["href"]) == []  # removing the active filter, back to page 1
    assert _query(econ["href"]) == [
        ("partnercity_theme", THEME),
        ("partnercity_theme", f"{THEME[:-4]}ECON"),
    ]


def test_ten_entries_then_a_link_to_all_of_them_and_back():
    blocks = page_lists.facet_blocks(_facets(14), TITLES, [], BASE)
    formats = blocks[1]
    assert len(formats["items"]) == page_lists.FACET_ITEMS
    kind, url = formats["more"]
    assert kind == "more" and _query(url) == [("_res_format_limit", "0")]
    everything = page_lists.facet_blocks(_facets(14), TITLES, _query(url), BASE)[1]
    assert len(everything["items"]) == 14
    assert everything["more"] == ("less", BASE)
    assert page_lists.facet_blocks(_facets(3), TITLES, [], BASE)[1]["more"] is None


def test_a_bad_limit_parameter_falls_back_to_ten():
    assert page_lists.facet_limit([("_res_format_limit", "lots")], "res_format") == 10
    assert page_lists.facet_limit([("_res_format_limit", "0")], "res_format") == 0


def test_an_empty_facet_gives_an_empty_block():
    blocks = page_lists.facet_blocks({}, TITLES, [], BASE)
    assert [(b["items"], b["more"]) for b in blocks] == [([], None), ([], None)]


def test_reference_rows_have_links_unique_formats_and_short_notes():
    calls = []

    def url_for(endpoint, id):  # noqa: A002  (url_for's own keyword)
        calls.append(endpoint)
        return f"/de/partner_dataset/{id}"

    dataset_url = page_lists.dataset_url_maker(url_for, "partner_dataset.read")
    rows = page_lists.reference_items(
        [
            {
                "name": "aer-2023",
                "title": "Aer",
                "notes": "long " * 100,
                "res_format": ["CSV", "JSON", "CSV"],
            },
            {"name": "fara-titlu", "title": "", "notes": None, "res_format": None},
        ],
        dataset_url,
        lambda text: text[:20],
    )
    assert calls == ["partner_dataset.read"]  # one url_for for the whole list
    untagged = {"lang": "", "translated": False, "badge": ""}
    assert rows[0] == {
        "title": {"text": "Aer", **untagged},
        "url": "/de/partner_dataset/aer-2023",
        "notes": ("long " * 100)[:20],
        "notes_lang": "",
        "formats": ["CSV", "JSON"],
    }
    assert rows[1] == {
        "title": {"text": "fara-titlu", **untagged},
        "url": "/de/partner_dataset/fara-titlu",
        "notes": "",
        "notes_lang": "",
        "formats": [],
    }


def test_reference_rows_take_the_language_version_shown_chooses():
    def shown(result, field):
        versions = {"title": ("Luftqualität", "de"), "notes": ("Messwerte", "de")}
        text, lang = versions[field]
        return {"text": text, "lang": lang, "translated": True, "badge": "Deutsch"}

    rows = page_lists.reference_items(
        [{"name": "aer", "title": "Calitatea aerului", "notes": "Măsurători"}],
        lambda name: f"/partner_dataset/{name}",
        lambda text: text,
        shown,
    )
    assert rows[0]["title"] == {
        "text": "Luftqualität",
        "lang": "de",
        "translated": True,
        "badge": "Deutsch",
    }
    assert (rows[0]["notes"], rows[0]["notes_lang"]) == ("Messwerte", "de")


def test_dataset_names_are_quoted_in_links():
    dataset_url = page_lists.dataset_url_maker(lambda endpoint, id: f"/dataset/{id}", "x")  # noqa: A006
    assert dataset_url("a/b?c") == "/dataset/a%2Fb%3Fc"


def test_ties_are_ordered_by_name_ignoring_case_and_blank_entries_dropped():
    facets = {
        "res_format": {
            "items": [
                {"name": "zip", "display_name": "zip", "count": 2},
                {"name": "CSV", "display_name": "CSV", "count": 2},
                {"name": " ", "display_name": " ", "count": 9},
                {"name": "api", "display_name": "api", "count": 2},
            ]
        }
    }
    block = page_lists.facet_blocks(facets, {"res_format": "Formats"}, [], BASE)[0]
    assert [item["label"] for item in block["items"]] == ["api", "CSV", "zip"]
