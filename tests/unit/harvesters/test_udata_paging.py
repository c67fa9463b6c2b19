"""udata paging over a real local server: next_page, organization slugs, resources links,
``since``, and every way a portal's paging can go wrong (a HarvestError, never a loop)."""

from __future__ import annotations

import copy
import datetime

import pytest

from ckanext.partnercity.harvesters.base import HarvestError, PartnerSource
from ckanext.partnercity.harvesters.http import HttpClient
from ckanext.partnercity.harvesters.portals import udata
from ckanext.partnercity.harvesters.portals.udata import UdataHarvester
from tests.support.http_server import serve
from tests.support.udata_portal import (
    DATASETS_PATH,
    JSON,
    decedees,
    portal_datasets,
    search_page,
    udata_portal,
)

INSEE_ID = "534fff81a3a7292c64a77e5c"
INSEE_SLUG = "institut-national-de-la-statistique-et-des-etudes-economiques-insee"
DECEDEES, SIRENE = "5de8f397634f4164071119c5", "5b7ffc618b4c4169d30727e0"


def harvester(url: str, page_size: int = 2, source_filter: str = "") -> UdataHarvester:
    client = HttpClient(allow_private=True, retries=0, backoff=0, sleep=lambda s: None)
    source = PartnerSource(url, "udata", source_filter=source_filter, page_size=page_size)
    return UdataHarvester(source, client)


def identifiers(pages) -> list[str]:
    return [r.identifier for p in pages for r in p.records]


def list_requests(server) -> list:
    return [r for r in server.requests if r.path == DATASETS_PATH]


def test_whole_site_is_listed_page_by_page_oldest_first():
    with udata_portal() as server:
        pages = list(harvester(server.url, page_size=2).pages())
        requests = list_requests(server)
    expected = sorted(portal_datasets(), key=lambda d: d["created_at"])
    assert identifiers(pages) == [d["id"] for d in expected]
    assert [r.param("page") for r in requests] == ["1", "2", "3"]
    assert {(r.param("sort"), r.param("page_size")) for r in requests} == {("created", "2")}
    assert all(r.param("organization") is None for r in requests)
    assert not any(p.errors for p in pages)


def test_organization_slug_is_looked_up_once_and_listed_by_id():
    with udata_portal() as server:
        pages = list(harvester(server.url, source_filter=INSEE_SLUG).pages())
        lookups = [r.path for r in server.requests if r.path.startswith("/api/1/organizations/")]
        requests = list_requests(server)
    assert lookups == [f"/api/1/organizations/{INSEE_SLUG}/"]
    assert {r.param("organization") for r in requests} == {INSEE_ID}
    assert sorted(identifiers(pages)) == sorted([DECEDEES, SIRENE])


def test_organization_id_is_used_as_is():
    with udata_portal() as server:
        pages = list(harvester(server.url, source_filter=INSEE_ID).pages())
        assert not [r for r in server.requests if "organizations" in r.path]
    assert sorted(identifiers(pages)) == sorted([DECEDEES, SIRENE])


@pytest.mark.parametrize("lang", ["/fr", "/en", ""])
def test_an_organization_page_pasted_as_portal_url_lists_that_organization(lang):
    with udata_portal() as server:
        pasted = f"{server.url}{lang}/organizations/{INSEE_SLUG}/"
        pages = list(harvester(pasted).pages())
        requests = list_requests(server)
    assert {r.param("organization") for r in requests} == {INSEE_ID}
    assert sorted(identifiers(pages)) == sorted([DECEDEES, SIRENE])


def test_the_source_filter_wins_over_a_pasted_organization_page():
    with udata_portal() as server:
        pasted = f"{server.url}/fr/organizations/{INSEE_SLUG}/"
        harvester_ = harvester(pasted, source_filter="5530fbacc751df5ff937dddb")
        assert harvester_.portal_url == server.url
        assert harvester_.organization_id() == "5530fbacc751df5ff937dddb"


def test_unknown_organization_is_a_harvest_error_naming_the_lookup():
    with udata_portal() as server, pytest.raises(HarvestError) as caught:
        list(harvester(server.url, source_filter="ville-inconnue").pages())
    assert caught.value.url == f"{server.url}/api/1/organizations/ville-inconnue/"
    assert "404" in caught.value.message


def test_resources_links_are_followed_page_by_page():
    with udata_portal() as server:
        link = next(d for d in server.portal.datasets if d["id"] == SIRENE)["resources"]
        link["href"] = link["href"].replace("page_size=50", "page_size=5")
        records = {r.identifier: r for p in harvester(server.url).pages() for r in p.records}
        resource_pages = [r for r in server.requests if r.path.endswith(f"{SIRENE}/resources/")]
    distributions = records[SIRENE].distributions
    assert len(distributions) == 18
    assert [r.param("page") for r in resource_pages] == ["1", "2", "3", "4"]
    assert distributions[0].title == (
        "liste-csv-des-variables-du-dessin-du-fichier-stocketablissementlienssuccession-311.csv"
    )
    assert (distributions[0].format, distributions[0].media_type) == ("CSV", "text/csv")
    assert len(records["5530fbacc751df5ff937dddb"].distributions) == 1  # BAN: one link
    assert len(records[DECEDEES].distributions) == 100  # inline (API v1), capped


def test_datasets_with_more_resources_than_kept_are_warned_about():
    with udata_portal() as server:
        pages = list(harvester(server.url).pages())
    warnings = [w for p in pages for w in p.warnings]
    assert [(w.identifier, w.message) for w in warnings] == [
        (DECEDEES, f"dataset {DECEDEES} has 129 resources: the first 100 are linked")
    ]
    assert warnings[0].url.startswith(f"{server.url}{DATASETS_PATH}?")


def test_resource_limit_comes_from_the_source_options():
    with udata_portal() as server:
        source = PartnerSource(
            server.url, "udata", page_size=5, options={"max_distributions_per_dataset": 10}
        )
        client = HttpClient(allow_private=True, retries=0)
        (page,) = list(UdataHarvester(source, client).pages())
    counts = {r.identifier: len(r.distributions) for r in page.records}
    assert counts == {
        DECEDEES: 10,
        SIRENE: 10,
        "5c4ae55a634f4117716d5656": 9,
        "5530fbacc751df5ff937dddb": 1,
        "6010206e7aa742eb447930f7": 10,
    }
    assert sorted(w.identifier for w in page.warnings) == sorted(
        [DECEDEES, SIRENE, "6010206e7aa742eb447930f7"]
    )


def test_resources_link_failure_is_a_record_error_and_the_listing_goes_on():
    with udata_portal() as server:
        del server.portal.resources[SIRENE]  # its resources link now answers 404
        pages = list(harvester(server.url).pages())
    errors = [e for p in pages for e in p.errors]
    assert [e.identifier for e in errors] == [SIRENE]
    assert "resources could not be read" in errors[0].message and "404" in errors[0].message
    assert SIRENE not in identifiers(pages) and len(identifiers(pages)) == 4


def test_resources_link_to_another_host_is_not_followed():
    dataset = copy.deepcopy(next(d for d in search_page()["data"] if d["id"] == SIRENE))
    dataset["resources"]["href"] = "http://169.254.169.254/latest/meta-data/"
    with udata_portal([dataset]) as server:
        (page,) = list(harvester(server.url).pages())
        assert not [r for r in server.requests if "meta-data" in r.path]
    assert "not on the portal" in page.errors[0].message


def test_resource_request_budget_is_shared_by_the_run(monkeypatch):
    monkeypatch.setattr(UdataHarvester, "resource_requests", 1)
    with udata_portal() as server:
        pages = list(harvester(server.url, page_size=5).pages())
    errors = [e for p in pages for e in p.errors]
    assert len(errors) == 3  # four datasets with resources links, one request
    assert all("requests for resources links are spent" in e.message for e in errors)


def test_since_filters_on_last_update_client_side():
    since = datetime.datetime(2024, 1, 1)  # naive: taken as UTC
    with udata_portal() as server:
        pages = list(harvester(server.url).pages(since=since))
    # last_update 2024-09-01 (Sirene), 2024-04-08 (DVF), 2024-08-28 (BAN); the others 2023
    assert sorted(identifiers(pages)) == sorted(
        [SIRENE, "5c4ae55a634f4117716d5656", "5530fbacc751df5ff937dddb"]
    )


def test_deleted_and_private_entries_are_not_references():
    gone = {**decedees(), "deleted": "2024-01-01T00:00:00"}
    private = {**copy.deepcopy(search_page()["data"][1]), "private": True}
    with udata_portal([gone, private, search_page()["data"][0]]) as server:
        pages = list(harvester(server.url).pages())
    assert identifiers(pages) == [SIRENE]


def test_total_as_text_is_read_like_udata_organizations_answer_it():
    def handler(method, path, query):
        return 200, JSON, {"data": [decedees()], "next_page": None, "total": "1", "page": 1}

    with serve(handler) as server:
        assert identifiers(harvester(server.url).pages()) == [DECEDEES]


# ------------------------------------------------------------------ paging that goes wrong


def _looping(base, first_items):
    """Page 1 links to page 2, which links back to page 1."""

    def handler(method, path, query):
        page = int(query.get("page", ["1"])[-1])
        items = first_items if page == 1 else [search_page()["data"][page]]
        target = 2 if page == 1 else 1
        nxt = f"{base[0]}{DATASETS_PATH}?sort=created&page_size=2&page={target}"
        return 200, JSON, {"data": items, "next_page": nxt, "total": 30}

    return handler


def test_next_page_loop_is_a_harvest_error():
    base = [""]
    with serve(_looping(base, [decedees()])) as server:
        base[0] = server.url
        pages = harvester(server.url).pages()
        with pytest.raises(HarvestError, match="loop") as caught:
            list(pages)
    assert caught.value.url.endswith("page=1")


def test_always_a_new_next_page_with_new_datasets_ends_past_the_announced_total():
    served = []

    def handler(method, path, query):
        n = int(query.get("page", ["1"])[-1])
        items = [{**decedees(), "id": f"{n:024x}", "resources": []}]
        served.append(n)
        return 200, JSON, {"data": items, "next_page": f"{base}{path}?page={n + 1}", "total": 3}

    with serve(handler) as server:
        base = server.url
        with pytest.raises(HarvestError, match="paging never ends"):
            list(harvester(server.url).pages())
    assert len(served) == 3 + 2 + 1  # stopped one page past total + a page of slack


def test_always_a_new_next_page_with_the_same_datasets_is_a_harvest_error():
    def handler(method, path, query):
        n = int(query.get("page", ["1"])[-1])
        return 200, JSON, {"data": [decedees()], "next_page": f"{base}{path}?page={n + 1}"}

    with serve(handler) as server:
        base = server.url
        with pytest.raises(HarvestError, match="already listed"):
            list(harvester(server.url).pages())


def test_page_cap_without_a_total(monkeypatch):
    monkeypatch.setattr(UdataHarvester, "max_pages", 4)

    def handler(method, path, query):
        n = int(query.get("page", ["1"])[-1])
        items = [{"id": f"{n:024x}", "title": f"n{n}"}]
        return 200, JSON, {"data": items, "next_page": f"{base}{path}?page={n + 1}"}

    with serve(handler) as server:
        base = server.url
        with pytest.raises(HarvestError, match="more than 4 pages"):
            list(harvester(server.url).pages())


@pytest.mark.parametrize(
    ("next_page", "message"),
    [
        ("https://evil.example/api/1/datasets/?page=2", "another host"),
        ("file:///etc/passwd", "not a URL"),
        (["http://x"], "not a URL"),
    ],
)
def test_next_page_off_the_portal_is_not_followed(next_page, message):
    def handler(method, path, query):
        return 200, JSON, {"data": [decedees()], "next_page": next_page, "total": 9}

    with serve(handler) as server:
        pages = harvester(server.url).pages()
        first = next(pages)  # page 1 is read and yielded
        with pytest.raises(HarvestError, match=message) as caught:
            next(pages)
    assert [r.identifier for r in first.records] == [DECEDEES]
    assert caught.value.url.startswith(server.url)


def test_www_and_scheme_variants_of_the_portal_host_count_as_the_portal():
    assert udata.same_site("https://www.data.gouv.fr/api/1/x", "https://data.gouv.fr")
    assert udata.same_site("http://data.gouv.fr/api/1/x", "https://www.data.gouv.fr/")
    assert not udata.same_site("https://data.gouv.fr.evil.example/", "https://data.gouv.fr")
    assert not udata.same_site("https://data.gouv.fr:8443/", "https://data.gouv.fr")


@pytest.mark.parametrize("payload", [{"data": "x"}, [], {"results": []}, "null"])
def test_not_a_udata_list_answer_is_a_harvest_error(payload):
    with (
        serve(lambda m, p, q: (200, JSON, payload)) as server,
        pytest.raises(HarvestError, match="not a udata API list answer"),
    ):
        list(harvester(server.url).pages())


def test_catalogue_shrinking_during_the_listing_is_a_harvest_error_after_the_pages():
    with udata_portal() as server:
        pages = harvester(server.url, page_size=2).pages()
        first = next(pages)
        server.portal.datasets.pop()  # a dataset deleted upstream mid-listing
        with pytest.raises(HarvestError, match="shrank from 5 to 4"):
            for _ in pages:
                pass
    assert len(first.records) == 2
