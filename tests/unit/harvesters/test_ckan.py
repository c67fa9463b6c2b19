"""The CKAN harvester against a real local HTTP server answering like a partner CKAN/DKAN."""

from __future__ import annotations

import copy
import datetime
import json

import pytest

from ckanext.partnercity.harvesters.base import HarvestError, PartnerSource
from ckanext.partnercity.harvesters.dates import normalize_date
from ckanext.partnercity.harvesters.http import HttpClient
from ckanext.partnercity.harvesters.portals.ckan import SORT, CkanHarvester, package_to_record
from ckanext.partnercity.harvesters.registry import portal_types
from tests.support.fake_portals import (
    CKAN_SEARCH_PATH,
    FIXTURES,
    ckan_error,
    ckan_portal,
    load_datasets,
)
from tests.support.http_server import serve

ALBA = load_datasets("ckan/alba-iulia.json")
ALL_IDS = {d["id"] for d in ALBA}
HVD_ELI = "http://data.europa.eu/eli/reg_impl/2023/138/oj"


def client() -> HttpClient:
    return HttpClient(allow_private=True, retries=1, backoff=0, sleep=lambda s: None)


def harvester(url: str, page_size: int = 2, source_filter: str = "") -> CkanHarvester:
    source = PartnerSource(url, "ckan", source_filter=source_filter, page_size=page_size)
    return CkanHarvester(source, client())


def by_id(pages) -> dict:
    return {r.identifier: r for p in pages for r in p.records}


def search_requests(server) -> list:
    return [r for r in server.requests if r.path == CKAN_SEARCH_PATH]


def test_registered_as_ckan_portal_type():
    assert portal_types()["ckan"] is CkanHarvester


def test_lists_every_dataset_across_pages_once():
    with serve(ckan_portal(ALBA)) as server:
        pages = list(harvester(server.url, page_size=2).pages())
        starts = [r.param("start") for r in search_requests(server)]
        sorts = {r.param("sort") for r in search_requests(server)}
        rows = {r.param("rows") for r in search_requests(server)}
    identifiers = [r.identifier for p in pages for r in p.records]
    assert len(identifiers) == len(set(identifiers)) == len(ALBA)
    assert set(identifiers) == ALL_IDS
    assert starts == ["0", "2", "4", "6"]
    assert sorts == {SORT} and rows == {"2"}
    assert all(p.url.startswith(server.url + CKAN_SEARCH_PATH) for p in pages)
    assert not any(p.errors for p in pages)


def test_a_dataset_edited_while_listing_is_neither_skipped_nor_repeated():
    datasets = copy.deepcopy(ALBA)
    portal = ckan_portal(datasets)
    calls = []

    def editing_portal(method, path, query):
        calls.append(query.get("start"))
        if len(calls) == 2:  # between page 1 and 2 the partner edits a listed dataset
            first = next(d for d in datasets if d["name"] == "statii-transport-public")
            first["metadata_modified"] = "2030-01-01T00:00:00.000000"
        return portal(method, path, query)

    with serve(editing_portal) as server:
        pages = list(harvester(server.url, page_size=2).pages())
    identifiers = [r.identifier for p in pages for r in p.records]
    assert sorted(identifiers) == sorted(ALL_IDS)


def test_maps_a_romanian_package_in_detail():
    with serve(ckan_portal(ALBA)) as server:
        records = by_id(harvester(server.url, page_size=50).pages())
        base = server.url
    air = records["1d9f3b7e-5a2c-4e8b-9f60-c4a1e7d2b835"]
    assert air.title == "Calitatea aerului în municipiul Alba Iulia – 2023"
    assert air.description.startswith("Valori orare măsurate de stațiile automate")
    assert air.uri == "https://opendata.alba-iulia.example/id/dataset/calitatea-aerului-2023"
    assert air.landing_page == f"{base}/dataset/calitatea-aerului-2023"
    assert air.publisher == "Primăria Municipiului Alba Iulia"
    assert (air.license_title, air.license_url) == (
        "Creative Commons Attribution 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    )
    assert air.issued == "2023-02-14T09:12:33.481220"
    assert air.modified == "2024-07-02T11:05:12.004511"
    assert air.categories == ["Mediu"]
    assert air.keywords == ["calitatea aerului", "poluare", "PM10", "sănătate publică"]
    assert air.language == ["http://publications.europa.eu/resource/authority/language/RON"]
    assert air.hvd_category == ["http://data.europa.eu/bna/c_dd313021"]
    assert air.applicable_legislation == [HVD_ELI]
    csv, js = air.distributions
    assert csv.format == "CSV" and csv.media_type == "text/csv"
    assert csv.title == "Măsurători orare 2023 (CSV)"
    assert csv.url.endswith("/download/calitatea-aerului-2023.csv")
    assert csv.description == "Un rând pe oră și stație; separator virgulă."
    assert js.format == "JSON" and js.media_type == "application/json"


def test_hvd_fields_as_scheming_lists_or_single_strings_and_access_services():
    with serve(ckan_portal(ALBA)) as server:
        records = by_id(harvester(server.url, page_size=50).pages())
        base = server.url
    stops = records["0a4c8e2f-6b1d-4f3a-a7c9-e5b2d8f1a604"]
    assert stops.hvd_category == ["http://data.europa.eu/bna/c_b79e35eb"]
    assert stops.applicable_legislation == [HVD_ELI]
    assert stops.uri == f"{base}/dataset/0a4c8e2f-6b1d-4f3a-a7c9-e5b2d8f1a604"
    assert [d.format for d in stops.distributions] == ["GeoJSON", "CSV", "GTFS"]
    assert stops.distributions[0].media_type == "application/geo+json"
    gtfs = stops.distributions[2]
    assert gtfs.access_service == "https://opendata.alba-iulia.example/api/gtfs/v1"
    assert stops.distributions[0].access_service == ""
    green = records["d39f6b1a-8c4d-4e7f-b5a8-2b0c3d4e5f97"]
    assert green.hvd_category == ["http://data.europa.eu/bna/c_ac64a52d"]
    assert green.applicable_legislation == [HVD_ELI]
    assert green.categories == ["Mediu"]
    budget = records["e40a7c2b-9d5e-4f80-86b9-3c1d4e5f6aa8"]
    assert budget.language == ["ro"]
    assert budget.hvd_category == [] and budget.categories == ["Economie și finanțe publice"]


def test_licence_id_only_and_source_url_elsewhere():
    with serve(ckan_portal(ALBA)) as server:
        records = by_id(harvester(server.url, page_size=50).pages())
        base = server.url
    parking = records["c17d4f9e-7a2b-4c5d-93e6-0f8a1b2c3d75"]
    assert (parking.license_title, parking.license_url) == ("OGL-ROU-1.0", "")
    assert parking.keywords == ["parcări", "trafic"]
    events = records["62a5c17e-4b03-4e35-9b0e-8b6c9d0e1f5d"]
    # the "source" url points at another site; the landing page is the partner's own page
    assert events.landing_page == f"{base}/dataset/evenimente-culturale"
    assert events.categories == ["Cultură și turism"]


def test_source_filter_lists_only_that_organization():
    with serve(ckan_portal(ALBA)) as server:
        pages = list(harvester(server.url, source_filter="consiliul-judetean-alba").pages())
        fq = {r.param("fq") for r in search_requests(server)}
    records = [r for p in pages for r in p.records]
    assert [r.identifier for r in records] == ["f51b8d3c-0e6f-4a91-97ca-4d2e5f6a7bb9"]
    assert records[0].publisher == "Consiliul Județean Alba"
    assert fq == {'organization:"consiliul-judetean-alba"'}


def test_since_lists_only_datasets_modified_after_it():
    since = datetime.datetime(
        2024, 6, 1, 2, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
    )
    with serve(ckan_portal(ALBA)) as server:
        pages = list(harvester(server.url, source_filter="primaria-alba-iulia").pages(since=since))
        fq = {r.param("fq") for r in search_requests(server)}
    names = {r.landing_page.rsplit("/", 1)[1] for p in pages for r in p.records}
    assert names == {"calitatea-aerului-2023", "spatii-verzi", "buget-local-2024"}
    assert fq == {
        'organization:"primaria-alba-iulia" AND metadata_modified:[2024-06-01T00:00:00Z TO *]'
    }


def test_dkan_list_result_french_dates_and_capitalized_state():
    body = (FIXTURES / "ckan" / "hautsdefrance_dkan_package_show.json").read_bytes()
    with serve(lambda m, p, q: (200, {"Content-Type": "application/json"}, body)) as server:
        pages = list(harvester(server.url, page_size=10).pages())
        assert len(server.requests) == 1  # a short list-shaped page is the last one
    (record,) = [r for p in pages for r in p.records]
    assert record.identifier == "04be6288-696d-4331-850d-a144871a7e3a"
    assert record.issued == "2019-12-10T09:23:00"
    assert record.modified == "2019-09-30T22:00:00"
    assert record.publisher == "Opendata de la Région Hauts-de-France"
    assert record.categories == ["Région Hauts-de-France"]
    assert "ANTENNE REGIONALE" in record.keywords and len(record.keywords) == 13
    url = "http://www.etalab.gouv.fr/pages/Licence_ouverte_Open_licence-5899923.html"
    assert record.license_url == url
    xlsx, viewer = record.distributions
    assert (xlsx.format, xlsx.media_type) == ("XLSX", "")  # "xlsx" is no media type
    assert viewer.title == "Visionneuse mviewer"


def test_dkan_url_on_the_portal_host_is_the_landing_page():
    payload = json.loads((FIXTURES / "ckan" / "hautsdefrance_dkan_package_show.json").read_text())
    record = package_to_record(payload["result"][0], "https://opendata.hautsdefrance.fr/")
    assert record.landing_page == (
        "https://opendata.hautsdefrance.fr/?q=dataset/"
        "antennes-regionales-de-la-region-hauts-de-france-au-01102019-0"
    )


def test_gdynia_groups_become_categories():
    body = (FIXTURES / "ckan" / "gdynia_ckan_current_package_list_with_resources.json").read_bytes()
    with serve(lambda m, p, q: (200, {"Content-Type": "application/json"}, body)) as server:
        (record,) = [r for p in harvester(server.url).pages() for r in p.records]
    assert record.categories == ["Odpady stałe", "Środowisko"]
    assert record.publisher == "Wydział Środowiska"
    assert record.keywords == []
    assert record.license_url == "http://www.opendefinition.org/licenses/cc-by"
    assert [d.title for d in record.distributions] == [
        "Ilości odebranych odpadów z podziałem na sektory",
        "Ilości odebranych odpadów z podziałem na sektory ze spacja",
    ]


def test_a_malformed_package_becomes_a_record_error_and_the_page_goes_on():
    datasets = copy.deepcopy(ALBA)
    datasets[0]["metadata_created"] = "2000-01-01T00:00:00"  # sorts first: page 1
    # two more entries on page 1; the first is turned into a non-object in the answer
    datasets.append({"title": "Înlocuit", "metadata_created": "2000-01-02T00:00:00"})
    datasets.append({"title": "Fără identificator", "metadata_created": "2000-01-03T00:00:00"})
    served = ckan_portal(datasets)

    def portal(method, path, query):
        status, headers, body = served(method, path, query)
        if query.get("start") == ["0"]:
            body["result"]["results"][1] = "not a package"
        return status, headers, body

    with serve(portal) as server:
        pages = list(harvester(server.url, page_size=3).pages())
    first = pages[0]
    assert [e.message for e in first.errors] == [
        "dataset entry is a str, not an object",
        "dataset has neither an id nor a name",
    ]
    assert all(e.url == first.url for e in first.errors)
    identifiers = {r.identifier for p in pages for r in p.records}
    assert identifiers == ALL_IDS


def test_http_500_on_page_two_raises_naming_the_page_url():
    portal = ckan_portal(ALBA)

    def failing(method, path, query):
        if query.get("start") != ["0"]:
            return 500, {}, "Internal Server Error"
        return portal(method, path, query)

    with serve(failing) as server:
        pages = harvester(server.url, page_size=3).pages()
        first = next(pages)
        with pytest.raises(HarvestError) as caught:
            next(pages)
    assert len(first.records) == 3
    assert "HTTP 500" in str(caught.value)
    assert caught.value.url.startswith(server.url + CKAN_SEARCH_PATH)
    assert "start=3" in caught.value.url


def test_ckan_error_envelope_is_a_clear_harvest_error():
    envelope = ckan_error("Search Query is invalid: \"Invalid sort field: 'metadata_created'\"")
    with (
        serve(lambda m, p, q: (200, {}, envelope)) as server,
        pytest.raises(HarvestError) as caught,
    ):
        list(harvester(server.url).pages())
    message = str(caught.value)
    assert "rejected the search query" in message and "Search Query Error" in message
    assert "Invalid sort field" in message
    assert caught.value.url.startswith(server.url + CKAN_SEARCH_PATH)


def test_not_found_envelope_and_non_ckan_json_are_told_apart():
    not_found = ckan_error("Organisation not found", "Not Found Error")
    with (
        serve(lambda m, p, q: (200, {}, not_found)) as server,
        pytest.raises(HarvestError) as caught,
    ):
        list(harvester(server.url).pages())
    assert "no such action or object" in str(caught.value)
    with (
        serve(lambda m, p, q: (200, {}, {"datasets": []})) as server,
        pytest.raises(HarvestError, match="not a CKAN Action API answer"),
    ):
        list(harvester(server.url).pages())


def test_refusal_with_4xx_status_is_a_harvest_error_naming_the_url():
    with (
        serve(lambda m, p, q: (409, {}, ckan_error("bad fq"))) as server,
        pytest.raises(HarvestError, match="HTTP 409") as caught,
    ):
        list(harvester(server.url).pages())
    assert caught.value.url.startswith(server.url + CKAN_SEARCH_PATH)


def test_a_portal_ignoring_start_is_an_incomplete_listing():
    page = ckan_portal(ALBA)("GET", CKAN_SEARCH_PATH, {"rows": ["2"], "sort": [SORT]})[2]
    with (
        serve(lambda m, p, q: (200, {}, page)) as server,
        pytest.raises(HarvestError, match="ignores paging"),
    ):
        list(harvester(server.url, page_size=2).pages())


def test_a_catalogue_shrinking_during_the_listing_fails_the_run_after_the_last_page():
    datasets = copy.deepcopy(ALBA)
    portal = ckan_portal(datasets)
    seen_pages = []

    def shrinking(method, path, query):
        seen_pages.append(query.get("start"))
        if len(seen_pages) == 2:
            datasets.pop(0)  # the partner deletes a dataset mid-listing
        return portal(method, path, query)

    with serve(shrinking) as server:
        pages = harvester(server.url, page_size=3).pages()
        listed = []
        with pytest.raises(HarvestError, match="shrank from 7 to 6"):
            for page in pages:
                listed.extend(page.records)
    assert len(listed) >= 5


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("mar, 10/12/2019 - 09:23", "2019-12-10T09:23:00"),
        ("jeu, 19/12/2019 - 03:00", "2019-12-19T03:00:00"),
        ("Date changed  jeu, 19/12/2019 - 03:00", "2019-12-19T03:00:00"),
        ("Tue, 12/10/2019 - 09:23", "2019-12-10T09:23:00"),  # Drupal's English m/d/Y
        ("25/12/2019 - 10:00", "2019-12-25T10:00:00"),
        ("10/12/2019", "2019-12-10"),
        ("2019-09-30 22:00:00", "2019-09-30T22:00:00"),
        ("2020-05-27T15:44:27.733583", "2020-05-27T15:44:27.733583"),
        ("2024-03-01T10:00:00Z", "2024-03-01T10:00:00+00:00"),
        ("2024-01-05", "2024-01-05"),
        ("31/02/2019", ""),
        ("bientôt", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_date(raw, iso):
    assert normalize_date(raw) == iso


def test_ckanext_fluent_translated_fields_are_kept_as_language_versions():
    air = next(d for d in ALBA if d["name"] == "calitatea-aerului-2023")
    record = package_to_record(air, "https://opendata.alba-iulia.example")
    assert record.title == "Calitatea aerului în municipiul Alba Iulia – 2023"
    assert record.translations["title"] == air["title_translated"]
    assert set(record.translations["description"]) == {"ro", "de"}
    # without ckanext-fluent a package has no versions
    parks = next(d for d in ALBA if d["name"] == "spatii-verzi")
    assert package_to_record(parks, "https://opendata.alba-iulia.example").translations == {}


@pytest.mark.parametrize(
    "stored",
    [
        '{"ro": "Aer", "de": "Luft"}',  # an extra holds the dict as JSON text
        {"ro": "Aer", "de": "Luft", "en": ""},  # empty versions are dropped
    ],
)
def test_translated_fields_as_extras_or_dicts(stored):
    package = {"id": "p1", "name": "aer", "title": "Aer", "extras": []}
    if isinstance(stored, str):
        package["extras"] = [{"key": "title_translated", "value": stored}]
    else:
        package["title_translated"] = stored
    assert package_to_record(package, "https://x.example").translations == {
        "title": {"ro": "Aer", "de": "Luft"}
    }


def test_unreadable_translated_fields_are_no_versions():
    package = {"id": "p1", "name": "aer", "title": "Aer", "title_translated": "{broken"}
    assert package_to_record(package, "https://x.example").translations == {}
