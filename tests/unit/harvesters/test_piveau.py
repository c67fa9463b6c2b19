"""The piveau harvester against a real local HTTP server answering like hub-search, serving
real hub-search responses (tests/fixtures/piveau/)."""

from __future__ import annotations

import copy
import json

import pytest

from ckanext.partnercity.harvesters.base import HarvestError, PartnerSource
from ckanext.partnercity.harvesters.http import HttpClient
from ckanext.partnercity.harvesters.portals.piveau import (
    PiveauHarvester,
    parse_source_filter,
    search_result,
)
from ckanext.partnercity.harvesters.registry import portal_types
from tests.support.http_server import serve
from tests.support.piveau_portal import SEARCH_PATH, load_documents, load_response, piveau_portal

PIVEAU_TEST = "piveau-hub-search_example_search_response.json"
EDP_DOC = "data-europa-eu_search_via-university-college_documented.json"
DOCS = load_documents()
VIA = "medarbejdere-ved-via-university-college"


def client() -> HttpClient:
    return HttpClient(allow_private=True, retries=1, backoff=0, sleep=lambda s: None)


def harvester(url: str, page_size: int = 100, source_filter: str = "", **options):
    source = PartnerSource(
        url, "piveau", source_filter=source_filter, page_size=page_size, options=options
    )
    return PiveauHarvester(source, client())


def by_id(pages) -> dict:
    return {r.identifier: r for p in pages for r in p.records}


def searches(server) -> list:
    return [r for r in server.requests if r.path == SEARCH_PATH]


def test_registered_as_piveau_portal_type():
    assert portal_types()["piveau"] is PiveauHarvester


def test_fixtures_are_hub_search_answers():
    for name in (PIVEAU_TEST, EDP_DOC):
        items, count = search_result("u", load_response(name))
        assert items and isinstance(count, int)


def test_piveau_test_response_in_a_german_partners_language():
    with serve(piveau_portal(load_documents(PIVEAU_TEST))) as server:
        records = by_id(harvester(server.url, languages=["de"]).pages())
        base = server.url
    two, one = records["2"], records["1"]
    assert two.title == "beispiel title 2"
    assert two.description == "beispiel beschreibung 2"
    assert two.translations == {
        "title": {"de": "beispiel title 2", "en": "example title 2"},
        "description": {"de": "beispiel beschreibung 2", "en": "example description 2"},
    }
    # No German version: English, and the Spanish one is kept all the same.
    assert one.title == "example title 1"
    assert one.translations["title"] == {"en": "example title 1", "es": "título de ejemplo 1"}
    assert two.modified == "2019-12-04T00:00:00+00:00"  # older index: modification_date
    assert two.uri == "" and two.landing_page == f"{base}/datasets/2"
    assert two.distributions == [] and two.publisher == "" and two.keywords == []


def test_data_europa_eu_response_mapped_in_detail():
    with serve(piveau_portal(load_documents(EDP_DOC))) as server:
        (via,) = by_id(harvester(server.url, languages=["de"]).pages()).values()
    uri = f"http://data.europa.eu/88u/dataset/{VIA}"
    assert via.identifier == VIA
    assert via.title == "Staff at VIA University College"  # no German: English
    # The only description is Danish: the first published language.
    assert via.description == "Medarbejdere ved VIA University College fordelt på Campus..."
    assert via.translations == {
        "title": {
            "en": "Staff at VIA University College",
            "da": "Medarbejdere ved VIA University College",
            "it": "Personale del VIA University College",
        },
        "description": {"da": "Medarbejdere ved VIA University College fordelt på Campus..."},
        # translation_meta: data.europa.eu translated the English version from Danish
        "machine_translated": {"en": "machine"},
    }
    assert via.uri == uri and via.landing_page == uri
    assert via.publisher == "Aarhus Kommune"
    assert via.keywords == ["Campus", "Køn"]
    assert via.categories == [] and via.hvd_markers == []
    licence = "https://creativecommons.org/licenses/by/4.0/"
    assert (via.license_title, via.license_url) == (licence, licence)
    (dist,) = via.distributions
    assert dist.url == "https://admin.opendata.dk/dataset/.../download/file.csv"
    assert dist.format == "CSV"  # from the EU file-type URI
    assert dist.title == "Employees at VIA University College - Metadata.pdf"
    assert dist.license == licence


def test_partner_language_order_decides_the_title():
    with serve(piveau_portal(load_documents(EDP_DOC))) as server:
        danish = by_id(harvester(server.url, languages=["da", "en"]).pages())[VIA]
        italian = by_id(harvester(server.url, languages="it, da").pages())[VIA]
        none = by_id(harvester(server.url).pages())[VIA]
    assert danish.title == "Medarbejdere ved VIA University College"
    assert italian.title == "Personale del VIA University College"
    assert none.title == "Staff at VIA University College"
    assert danish.distributions[0].title == "Medarbejdere ved VIA University College - Metadata.pdf"


def test_pages_in_id_order_until_the_count_is_reached():
    with serve(piveau_portal(DOCS)) as server:
        pages = list(harvester(server.url, page_size=1).pages())
        requests = searches(server)
    assert [r.identifier for p in pages for r in p.records] == ["1", "2", VIA]
    assert [r.param("page") for r in requests] == ["0", "1", "2"]
    assert {r.param("limit") for r in requests} == {"1"}
    assert {(r.param("filter"), r.param("filters")) for r in requests} == {("dataset", "dataset")}
    assert {r.param("sort") for r in requests} == {"id asc"}  # id+asc, + decoded as space
    assert all(r.param("facets") is None for r in requests)


def test_page_size_is_capped_at_hub_search_maximum():
    with serve(piveau_portal(DOCS)) as server:
        list(harvester(server.url, page_size=5000).pages())
        (request,) = searches(server)
    assert request.param("limit") == "1000"


def test_an_instance_with_a_lower_page_size_is_followed_at_its_size():
    with serve(piveau_portal(DOCS, page_cap=2)) as server:
        pages = list(harvester(server.url, page_size=100).pages())
        requests = searches(server)
    assert [r.identifier for p in pages for r in p.records] == ["1", "2", VIA]
    assert [(r.param("page"), r.param("limit")) for r in requests] == [("0", "100"), ("1", "2")]


@pytest.mark.parametrize(
    ("source_filter", "facets", "expected"),
    [
        ("catalog:govdata", {"catalog": ["govdata"]}, {"1", "2"}),
        ("govdata", {"catalog": ["govdata"]}, {"1", "2"}),
        ("publisher:Aarhus Kommune", {"publisher": ["Aarhus Kommune"]}, {VIA}),
        (
            "catalog:open-data-dk; country:dk",
            {"catalog": ["open-data-dk"], "country": ["dk"]},
            {VIA},
        ),
        ("catalog:govdata;publisher:Aarhus Kommune", None, set()),
    ],
)
def test_source_filter_becomes_hub_search_facets(source_filter, facets, expected):
    with serve(piveau_portal(DOCS)) as server:
        records = by_id(harvester(server.url, source_filter=source_filter).pages())
        (request,) = searches(server)
    assert set(records) == expected
    if facets is not None:
        assert json.loads(request.param("facets")) == facets


def test_an_instance_ignoring_the_facets_fails_instead_of_listing_everything():
    ignoring = piveau_portal(DOCS)
    with (
        serve(lambda m, p, q: ignoring(m, p, {k: v for k, v in q.items() if k != "facets"})) as s,
        pytest.raises(HarvestError, match="catalog 'govdata' for source_filter catalog:open-data"),
    ):
        list(harvester(s.url, source_filter="catalog:open-data-dk").pages())


def test_parse_source_filter_syntax():
    assert parse_source_filter("") == {}
    assert parse_source_filter(" Catalog : a ; catalog:b; catalog:a ") == {"catalog": ["a", "b"]}
    assert parse_source_filter("publisher:Ville: Lyon") == {"publisher": ["Ville: Lyon"]}
    assert parse_source_filter("keywords:x") == {"catalog": ["keywords:x"]}


def _answer(results, count):
    return {"success": True, "result": {"count": count, "results": results, "facets": []}}


def _scripted(answers):
    """A handler answering page N with ``answers[N]`` (the last one again past the end)."""

    def handle(method, path, query):
        page = int(query["page"][-1])
        return 200, {}, answers[min(page, len(answers) - 1)]

    return handle


def _doc(identifier, **fields):
    return {"id": identifier, "title": {"en": f"T {identifier}"}, **fields}


def test_a_page_repeated_means_paging_is_ignored():
    same = _answer([_doc("a"), _doc("b")], 6)
    with (
        serve(_scripted([same])) as server,
        pytest.raises(HarvestError, match="previous page again") as exc,
    ):
        list(harvester(server.url, page_size=2).pages())
    assert "page=1" in exc.value.url


def test_paging_that_never_ends_is_stopped():
    answers = [_answer([_doc(f"{n}a"), _doc(f"{n}b")], 4 + 2 * n) for n in range(50)]
    with serve(_scripted(answers)) as server, pytest.raises(HarvestError, match="would not end"):
        list(harvester(server.url, page_size=2).pages())
        assert len(searches(server)) == 4  # ceil(4 / 2) + 2 spare pages, then it stops


def test_a_count_that_shrinks_fails_after_every_page_was_read():
    answers = [_answer([_doc("a"), _doc("b")], 5), _answer([_doc("c"), _doc("d")], 4)]
    pages = []
    with (
        serve(_scripted(answers)) as server,
        pytest.raises(HarvestError, match="shrank from 5 to 4"),
    ):
        pages.extend(harvester(server.url, page_size=2).pages())
    assert [r.identifier for p in pages for r in p.records] == ["a", "b", "c", "d"]


def test_a_short_page_before_the_count_is_an_incomplete_listing():
    answers = [_answer([_doc("a"), _doc("b")], 6), _answer([_doc("c")], 6)]
    with (
        serve(_scripted(answers)) as server,
        pytest.raises(HarvestError, match="a dataset would be skipped"),
    ):
        list(harvester(server.url, page_size=2).pages())


def test_an_empty_page_before_the_count_is_an_incomplete_listing():
    answers = [_answer([_doc("a"), _doc("b")], 6), _answer([], 6)]
    with (
        serve(_scripted(answers)) as server,
        pytest.raises(HarvestError, match="answered an empty page"),
    ):
        list(harvester(server.url, page_size=2).pages())


def test_a_selection_larger_than_a_city_catalogue_is_refused_with_advice():
    with serve(_scripted([_answer([_doc("a")], 1_600_000)])) as server:
        with pytest.raises(HarvestError, match="narrow source_filter"):
            list(harvester(server.url).pages())
        assert len(searches(server)) == 1


def test_a_page_past_the_instance_result_window_fails_naming_the_page():
    with (
        serve(piveau_portal(DOCS, window=2)) as server,
        pytest.raises(HarvestError, match="HTTP 400") as exc,
    ):
        list(harvester(server.url, page_size=1).pages())
    assert "page=2" in exc.value.url


def test_without_a_count_a_short_page_is_the_last():
    answers = [
        {"result": {"results": [_doc("a"), _doc("b")]}},
        {"result": {"results": [_doc("c")]}},
    ]
    with serve(_scripted(answers)) as server:
        pages = list(harvester(server.url, page_size=2).pages())
    assert [r.identifier for p in pages for r in p.records] == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"hello": "world"}, "not a piveau hub-search answer"),
        ({"result": {"results": "x"}}, "not a piveau hub-search answer"),
        ([1, 2], "not a piveau hub-search answer"),
        ({"success": False, "message": "bad facets"}, "refused the search: bad facets"),
    ],
)
def test_answers_that_are_not_search_results_fail_naming_the_url(payload, message):
    with (
        serve(lambda m, p, q: (200, {}, payload)) as server,
        pytest.raises(HarvestError, match=message) as exc,
    ):
        list(harvester(server.url).pages())
    assert exc.value.url.startswith(server.url + SEARCH_PATH)


def test_odd_shapes_never_crash_the_listing():
    via = copy.deepcopy(load_documents(EDP_DOC)[0])
    odd = [
        "not a dataset",
        {"title": {"en": "no id"}},
        {"id": "catalogue-x", "index": "catalogue", "title": {"en": "a catalogue"}},
        {
            "id": "plain",
            "title": "Plain title",
            "description": None,
            "keywords": ["park", {"label": "tree", "language": "en"}, {"id": "only-id"}],
            "categories": [
                {
                    "id": "ENVI",
                    "label": "Environment",
                    "resource": "http://publications.europa.eu/resource/authority/data-theme/ENVI",
                },
                {"id": "x", "label": {"en": "Local theme"}},
            ],
            "publisher": {"name": {"de": "Stadt Ulm", "en": "City of Ulm"}},
            "issued": "2023-01-15",
            "modified": "not a date",
            "language": [{"id": "DE", "resource": "http://x/DEU"}, "en"],
            "hvd_category": [
                {"id": "c_ac64a52d", "resource": "http://data.europa.eu/bna/c_ac64a52d"},
                {"id": "c_164e0bf5", "label": "Meteorological"},
                {"id": "not-a-concept"},
            ],
            "applicable_legislation": ["http://data.europa.eu/eli/reg_impl/2023/138/oj", "nope"],
            "is_hvd": True,
            "landing_page": [{"resource": "https://ulm.example/park"}],
            "distributions": [
                "junk",
                {"format": {"label": "CSV"}},  # no URL: nothing to link to
                {"access_url": "https://ulm.example/a.json", "format": "json", "licence": "CC-BY"},
                {
                    "access_url": ["ftp://x", "https://ulm.example/page"],
                    "download_url": ["https://ulm.example/b.geojson"],
                    "format": {"id": "GEOJSON"},
                    "media_type": "application/geo+json",
                },
            ],
        },
        via,
    ]
    with serve(lambda m, p, q: (200, {}, _answer(odd, len(odd)))) as server:
        (page,) = list(harvester(server.url, languages=["de"]).pages())
    assert {r.identifier for r in page.records} == {"plain", VIA}
    assert [e.message for e in page.errors] == [
        "dataset entry is a str, not an object",
        "dataset has no id",
    ]
    plain = by_id([page])["plain"]
    assert plain.title == "Plain title"
    assert plain.translations == {"title": {"@none": "Plain title"}}
    assert plain.keywords == ["park", "tree", "only-id"]
    assert plain.categories == [
        "http://publications.europa.eu/resource/authority/data-theme/ENVI",
        "Local theme",
    ]
    assert plain.publisher == "Stadt Ulm"
    assert (plain.issued, plain.modified) == ("2023-01-15", "")
    assert plain.language == ["de", "en"]
    assert plain.hvd_category == [
        "http://data.europa.eu/bna/c_ac64a52d",
        "http://data.europa.eu/bna/c_164e0bf5",
    ]
    assert plain.applicable_legislation == ["http://data.europa.eu/eli/reg_impl/2023/138/oj"]
    assert plain.hvd_markers == ["piveau: is_hvd"]
    assert plain.landing_page == "https://ulm.example/park"
    assert [(d.url, d.format, d.license) for d in plain.distributions] == [
        ("https://ulm.example/a.json", "JSON", "CC-BY"),
        ("https://ulm.example/b.geojson", "GeoJSON", ""),
    ]
    assert (plain.license_title, plain.license_url) == ("CC-BY", "")


def test_distributions_over_the_cap_are_cut_with_a_warning():
    dists = [{"access_url": [f"https://x.example/{n}.csv"]} for n in range(5)]
    with serve(lambda m, p, q: (200, {}, _answer([_doc("a", distributions=dists)], 1))) as server:
        (page,) = list(harvester(server.url, max_distributions_per_dataset=3).pages())
    assert len(page.records[0].distributions) == 3
    assert [(w.identifier, w.message) for w in page.warnings] == [
        ("a", "5 distributions, only the first 3 kept")
    ]
