"""The Opendatasoft harvester against a real local HTTP server answering like Explore v2.1."""

from __future__ import annotations

import copy
import datetime

import pytest

from ckanext.partnercity.harvesters.base import HarvestError, PartnerSource
from ckanext.partnercity.harvesters.http import HttpClient
from ckanext.partnercity.harvesters.portals.opendatasoft import OpendatasoftHarvester
from ckanext.partnercity.harvesters.registry import portal_types
from tests.support.fake_portals import ODS_CATALOG_PATH, load_datasets, ods_portal
from tests.support.http_server import serve

MULHOUSE = load_datasets("opendatasoft/mulhouse.json")
ALL_IDS = sorted(d["dataset_id"] for d in MULHOUSE)
ETALAB_URL = "https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf"


def client() -> HttpClient:
    return HttpClient(allow_private=True, retries=1, backoff=0, sleep=lambda s: None)


def harvester(url: str, page_size: int = 2, source_filter: str = "") -> OpendatasoftHarvester:
    source = PartnerSource(url, "opendatasoft", source_filter=source_filter, page_size=page_size)
    return OpendatasoftHarvester(source, client())


def by_id(pages) -> dict:
    return {r.identifier: r for p in pages for r in p.records}


def catalog_requests(server) -> list:
    return [r for r in server.requests if r.path == ODS_CATALOG_PATH]


def test_registered_as_opendatasoft_portal_type():
    assert portal_types()["opendatasoft"] is OpendatasoftHarvester


def test_lists_every_dataset_across_pages_once_in_dataset_id_order():
    with serve(ods_portal(MULHOUSE)) as server:
        pages = list(harvester(server.url, page_size=2).pages())
        requests = catalog_requests(server)
    identifiers = [r.identifier for p in pages for r in p.records]
    assert identifiers == ALL_IDS  # complete, no duplicates, in the order asked for
    assert [r.param("offset") for r in requests] == ["0", "2", "4", "6"]
    assert {r.param("order_by") for r in requests} == {"dataset_id"}
    assert {r.param("limit") for r in requests} == {"2"}
    assert not any(p.errors for p in pages)


def test_page_size_is_capped_at_the_api_maximum():
    with serve(ods_portal(MULHOUSE)) as server:
        pages = list(harvester(server.url, page_size=500).pages())
        (request,) = catalog_requests(server)
    assert request.param("limit") == "100"
    assert len(pages) == 1 and len(pages[0].records) == len(MULHOUSE)


def test_maps_a_french_geo_dataset_in_detail():
    with serve(ods_portal(MULHOUSE)) as server:
        records = by_id(harvester(server.url, page_size=100).pages())
        base = server.url
    stops = records["arrets-de-bus-et-tram-solea"]
    assert stops.title == "Arrêts du réseau Soléa (bus et tramway)"
    assert stops.description.startswith("<p>Localisation des arrêts de bus et de tramway")
    assert stops.landing_page == f"{base}/explore/dataset/arrets-de-bus-et-tram-solea/"
    assert stops.uri == stops.landing_page
    assert stops.categories == ["Transports, Déplacements"]  # one theme, comma and all
    assert stops.keywords == ["bus", "tramway", "Soléa", "arrêts", "mobilité"]
    assert stops.publisher == "Mulhouse Alsace Agglomération (m2A)"
    assert stops.license_title == "Open Database License (ODbL)"
    assert stops.license_url == "https://opendatacommons.org/licenses/odbl/"
    assert stops.modified == "2024-09-02T04:15:00+00:00"
    assert stops.language == ["fr"]
    assert stops.issued == "" and stops.hvd_category == []
    api = f"{base}/api/explore/v2.1/catalog/datasets/arrets-de-bus-et-tram-solea"
    assert [(d.url, d.format, d.media_type) for d in stops.distributions] == [
        (f"{api}/exports/csv", "CSV", "text/csv"),
        (f"{api}/exports/json", "JSON", "application/json"),
        (f"{api}/exports/geojson", "GeoJSON", "application/geo+json"),
    ]
    assert {d.access_service for d in stops.distributions} == {f"{api}/records"}


def test_non_geo_datasets_have_no_geojson_and_attachment_only_ones_no_exports():
    with serve(ods_portal(MULHOUSE)) as server:
        records = by_id(harvester(server.url, page_size=100).pages())
        base = server.url
    budget = records["budget-primitif-2024"]
    assert [d.format for d in budget.distributions] == ["CSV", "JSON"]
    assert budget.categories == ["Administration, Gouvernement, Finances publiques, Citoyenneté"]
    assert budget.license_url == ETALAB_URL
    minutes = records["deliberations-du-conseil-municipal"]
    (pdf,) = minutes.distributions
    assert pdf.url == (
        f"{base}/api/explore/v2.1/catalog/datasets/deliberations-du-conseil-municipal"
        "/attachments/deliberations_2024_pdf"
    )
    assert (pdf.format, pdf.media_type, pdf.title) == (
        "PDF",
        "application/pdf",
        "Délibérations 2024.pdf",
    )
    assert pdf.access_service == ""


def test_dcat_identifier_issued_and_hvd_fields():
    with serve(ods_portal(MULHOUSE)) as server:
        trees = by_id(harvester(server.url, page_size=100).pages())["arbres-d-alignement"]
    assert trees.uri == "https://data.mulhouse.example/id/dataset/arbres-d-alignement"
    assert trees.issued == "2019-03-01T09:00:00+00:00"
    assert trees.hvd_category == ["http://data.europa.eu/bna/c_ac64a52d"]
    assert trees.applicable_legislation == ["http://data.europa.eu/eli/reg_impl/2023/138/oj"]
    assert trees.title == "Arbres d'alignement de la Ville de Mulhouse"
    assert trees.keywords == ["arbres", "patrimoine arboré", "espaces verts", "biodiversité"]


def test_source_filter_refines_on_the_publisher_facet():
    with serve(ods_portal(MULHOUSE)) as server:
        pages = list(
            harvester(server.url, source_filter="Mulhouse Alsace Agglomération (m2A)").pages()
        )
        refines = {r.param("refine") for r in catalog_requests(server)}
    assert sorted(by_id(pages)) == ["arrets-de-bus-et-tram-solea", "equipements-sportifs"]
    assert refines == {'publisher:"Mulhouse Alsace Agglomération (m2A)"'}


def test_since_filters_on_the_modified_day_in_utc():
    since = datetime.datetime(
        2024, 6, 1, 1, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
    )
    with serve(ods_portal(MULHOUSE)) as server:
        pages = list(harvester(server.url).pages(since=since))
        wheres = {r.param("where") for r in catalog_requests(server)}
    assert wheres == {"modified >= date'2024-05-31'"}  # 01:30+02:00 is still 31 May in UTC
    assert sorted(by_id(pages)) == [
        "arrets-de-bus-et-tram-solea",
        "deliberations-du-conseil-municipal",
        "equipements-sportifs",
        "indice-atmo-qualite-de-l-air",
    ]


def test_pages_past_the_offset_window_by_dataset_id_keyset():
    class SmallWindow(OpendatasoftHarvester):
        offset_window = 4

    source = PartnerSource("", "opendatasoft", page_size=2)
    with serve(ods_portal(MULHOUSE, offset_window=4)) as server:
        source.portal_url = server.url
        pages = list(SmallWindow(source, client()).pages())
        requests = catalog_requests(server)
    assert [r.identifier for p in pages for r in p.records] == ALL_IDS
    assert [(r.param("offset"), r.param("where")) for r in requests] == [
        ("0", None),
        ("2", None),
        (None, f'dataset_id > "{ALL_IDS[3]}"'),
        (None, f'dataset_id > "{ALL_IDS[5]}"'),
    ]


def test_keyset_continuation_keeps_the_since_and_source_filters():
    class SmallWindow(OpendatasoftHarvester):
        offset_window = 2

    source = PartnerSource("", "opendatasoft", source_filter="Ville de Mulhouse", page_size=1)
    since = datetime.datetime(2024, 1, 1)
    with serve(ods_portal(MULHOUSE, offset_window=2)) as server:
        source.portal_url = server.url
        pages = list(SmallWindow(source, client()).pages(since=since))
        last = catalog_requests(server)[-1]
    assert sorted(by_id(pages)) == [
        "arbres-d-alignement",
        "budget-primitif-2024",
        "deliberations-du-conseil-municipal",
    ]
    assert last.param("where").startswith("modified >= date'2024-01-01' AND dataset_id > ")
    assert last.param("refine") == 'publisher:"Ville de Mulhouse"'


def test_a_malformed_dataset_becomes_a_record_error_and_the_page_goes_on():
    served = ods_portal(MULHOUSE)

    def portal(method, path, query):
        status, headers, body = served(method, path, query)
        if query.get("offset") == ["0"]:
            body["results"][:2] = ["oops", {"metas": {"default": {"title": "Sans identifiant"}}}]
        return status, headers, body

    with serve(portal) as server:
        pages = list(harvester(server.url, page_size=3).pages())
    first = pages[0]
    assert [e.message for e in first.errors] == [
        "dataset entry is a str, not an object",
        "dataset has no dataset_id",
    ]
    assert all(e.url == first.url for e in first.errors)
    assert [r.identifier for p in pages for r in p.records] == ALL_IDS[2:]


def test_http_500_on_page_two_raises_naming_the_page_url():
    served = ods_portal(MULHOUSE)

    def failing(method, path, query):
        if path == ODS_CATALOG_PATH and query.get("offset") != ["0"]:  # the export 404s
            return 500, {}, {"error_code": "InternalError", "message": "boom"}
        return served(method, path, query)

    with serve(failing) as server:
        pages = harvester(server.url, page_size=3).pages()
        first = next(pages)
        with pytest.raises(HarvestError, match="HTTP 500") as caught:
            next(pages)
    assert [r.identifier for r in first.records] == ALL_IDS[:3]
    assert caught.value.url.startswith(server.url + ODS_CATALOG_PATH)
    assert "offset=3" in caught.value.url


def test_a_refused_query_is_a_harvest_error_naming_the_url():
    refusal = {"error_code": "ODSQLError", "message": "ODSQL query is malformed"}
    with (
        serve(lambda m, p, q: (400, {}, refusal)) as server,
        pytest.raises(HarvestError, match="HTTP 400") as caught,
    ):
        list(harvester(server.url).pages())
    assert caught.value.url.startswith(server.url + ODS_CATALOG_PATH)
    assert "order_by=dataset_id" in caught.value.url


def test_an_answer_without_results_is_not_an_opendatasoft_portal():
    answer = {"datasets": [], "nhits": 0}  # the retired v1 search API's shape
    with (
        serve(lambda m, p, q: (200, {}, answer)) as server,
        pytest.raises(HarvestError, match="not an Explore API v2.1 catalogue answer"),
    ):
        list(harvester(server.url).pages())


def test_a_catalogue_shrinking_during_the_listing_fails_the_run_after_the_last_page():
    datasets = copy.deepcopy(MULHOUSE)
    portal = ods_portal(datasets)
    calls = []

    def shrinking(method, path, query):
        if path != ODS_CATALOG_PATH:  # the DCAT export: 404, so the Explore API is read
            return portal(method, path, query)
        calls.append(query)
        if len(calls) == 2:
            datasets.pop()  # the partner deletes a dataset mid-listing
        return portal(method, path, query)

    with serve(shrinking) as server, pytest.raises(HarvestError, match="shrank from 7 to 6"):
        list(harvester(server.url, page_size=3).pages())
