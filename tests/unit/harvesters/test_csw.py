"""The CSW harvester against a real local HTTP server answering like GeoNetwork."""

from __future__ import annotations

import datetime

import pytest

from ckanext.partnercity.harvesters.base import HarvestError, PartnerSource
from ckanext.partnercity.harvesters.http import HttpClient
from ckanext.partnercity.harvesters.portals.csw import CswHarvester
from ckanext.partnercity.harvesters.registry import portal_types
from tests.support.csw_portal import (
    CSW_PATH,
    HVD_RECORD,
    XML,
    csw_portal,
    envelope,
    exception_report,
    geonetwork_records,
    load_records,
    page_files_portal,
    param,
)
from tests.support.http_server import serve
from tests.support.xml_bombs import billion_laughs

GEONETWORK_IDS = [
    "fr-120066022-ldd-56fce164-04b2-41ae-be87-9f256f39dd44",
    "fr-120066022-ldd-777b1c6b-36a7-4650-befa-e4be638cd694",
    "fr-120066022-jdd-585c9cd3-d542-407a-b6a5-885f062b0024",
    "fr-120066022-ldd-05ba3a8c-ee8a-4dd5-a86a-15b6d6cd1bc8",
    "fr-120066022-ldd-3f4cc8c8-5c3e-4a0e-8b56-0a569a7e12f6",
    "fr-120066022-ldd-1d31b525-5f0e-4fd2-8ab4-cad099333b5c",
]


def client(**kw) -> HttpClient:
    return HttpClient(allow_private=True, retries=1, backoff=0, sleep=lambda s: None, **kw)


def harvester(url: str, page_size: int = 2, source_filter: str = "", **kw) -> CswHarvester:
    source = PartnerSource(url, "csw", source_filter=source_filter, page_size=page_size)
    return CswHarvester(source, client(**kw))


def ids(pages) -> list[str]:
    return [r.identifier for p in pages for r in p.records]


def queries(server) -> list:
    return [r for r in server.requests if r.path == CSW_PATH]


def test_registered_as_csw_portal_type():
    assert portal_types()["csw"] is CswHarvester


def test_real_geonetwork_pages_are_followed_by_next_record():
    with serve(page_files_portal()) as server:
        pages = list(harvester(server.url + CSW_PATH).pages())
        requests = queries(server)
    assert ids(pages) == GEONETWORK_IDS
    assert [r.param("startPosition") for r in requests] == ["1", "3", "5"]
    first = requests[0]
    assert first.param("request") == "GetRecords"
    assert first.param("service") == "CSW" and first.param("version") == "2.0.2"
    assert first.param("outputSchema") == "http://www.isotc211.org/2005/gmd"
    assert first.param("typeNames") == "gmd:MD_Metadata"
    assert first.param("elementSetName") == "full"
    assert first.param("resultType") == "results"
    assert first.param("maxRecords") == "2"
    assert first.param("constraint") is None
    assert not any(p.errors for p in pages)
    record = pages[0].records[0]
    assert record.landing_page == f"{server.url}/geonetwork/srv/api/records/{GEONETWORK_IDS[0]}"


def test_server_side_paging_with_page_size_and_cap():
    records = geonetwork_records()
    with serve(csw_portal(records)) as server:
        by_three = ids(harvester(server.url + CSW_PATH, page_size=3).pages())
        starts = [r.param("startPosition") for r in queries(server)]
        server.requests.clear()
        ids(harvester(server.url + CSW_PATH, page_size=5000).pages())
        (capped,) = queries(server)
    assert by_three == GEONETWORK_IDS
    assert starts == ["1", "4"]
    assert capped.param("maxRecords") == "100"


def test_source_filter_and_since_become_a_cql_constraint():
    records = [*geonetwork_records(), *load_records(HVD_RECORD)]
    with serve(csw_portal(records)) as server:
        h = harvester(server.url + CSW_PATH, source_filter="MyOrganisation")
        found = ids(h.pages(since=datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)))
        (request,) = queries(server)
    assert found == ["123e4567-e89b-12d3-a456-426655440000"]
    assert request.param("constraintLanguage") == "CQL_TEXT"
    assert request.param("constraint_language_version") == "1.1.0"
    assert request.param("constraint") == (
        "OrganisationName = 'MyOrganisation' AND Modified >= '2026-03-01'"
    )


def test_quotes_in_the_organisation_are_doubled():
    h = harvester("https://geo.example/geonetwork/srv/fre/csw", source_filter="DDT d'Ain")
    assert h.constraint() == "OrganisationName = 'DDT d''Ain'"


def test_landing_page_without_geonetwork_is_the_get_record_by_id_request():
    h = harvester("https://pycsw.example/csw?lang=fr&REQUEST=GetCapabilities")
    page = h.landing_page("a b/c")
    assert page.startswith("https://pycsw.example/csw?lang=fr&service=CSW&version=2.0.2")
    assert "request=GetRecordById&id=a+b%2Fc" in page
    assert "GetCapabilities" not in page
    assert "GetCapabilities" not in h.records_url(1, 10)


def _answer(body: bytes, status: int = 200, headers: dict | None = None):
    return lambda m, p, q: (status, headers or XML, body)


def _pages_error(body: bytes, **kw) -> HarvestError:
    with serve(_answer(body, **kw)) as server, pytest.raises(HarvestError) as caught:
        list(harvester(server.url + CSW_PATH).pages())
    assert caught.value.url.startswith(server.url + CSW_PATH)
    return caught.value


def test_exception_report_is_an_error_with_its_text():
    body = exception_report("InvalidParameterValue", "Unknown outputSchema", "outputSchema")
    error = _pages_error(body)
    assert error.message == (
        "the catalogue answered with an error: InvalidParameterValue (outputSchema): "
        "Unknown outputSchema"
    )


def test_exception_report_with_a_4xx_status_is_read_for_its_text():
    body = exception_report("InvalidParameterValue", "Invalid Filter query", "constraint")
    error = _pages_error(body, status=400)
    assert error.message == (
        "the catalogue answered with an error: InvalidParameterValue (constraint): "
        "Invalid Filter query (HTTP 400)"
    )


def test_a_4xx_without_exception_report_stays_an_http_error():
    assert _pages_error(b"<html>Forbidden</html>", status=403).message == "HTTP 403"


def _no_sorting(status: int, locator: str):
    def handler(method, path, query):
        if param(query, "sortBy"):
            text = "Invalid SortBy propertyname: Identifier"
            return status, XML, exception_report("InvalidParameterValue", text, locator)
        return csw_portal(geonetwork_records())(method, path, query)

    return handler


@pytest.mark.parametrize(("status", "locator"), [(200, "sortby"), (400, "")])
def test_a_catalogue_that_cannot_sort_is_listed_in_its_own_order_with_a_warning(status, locator):
    with serve(_no_sorting(status, locator)) as server:
        pages = list(harvester(server.url + CSW_PATH).pages())
        sorts = [r.param("sortBy") for r in queries(server)]
    assert ids(pages) == GEONETWORK_IDS
    assert sorts[0] == "Identifier:A"
    assert set(sorts[-3:]) == {None} and len(sorts) == 4 + (status == 400)  # 4xx body re-read
    (warning,) = [w for p in pages for w in p.warnings]
    assert "cannot sort by identifier (the catalogue answered with an error: " in warning.message
    assert "Invalid SortBy propertyname" in warning.message


def test_an_exception_about_sorting_on_a_later_page_is_an_error():
    def later(method, path, query):
        if param(query, "startPosition") != "1":
            body = exception_report("NoApplicableCode", "sort failed", "sortby")
            return 200, XML, body
        return csw_portal(geonetwork_records())(method, path, query)

    with serve(later) as server, pytest.raises(HarvestError, match="sort failed"):
        list(harvester(server.url + CSW_PATH).pages())


@pytest.mark.parametrize(
    ("body", "headers", "message"),
    [
        (b"<html><body>Login</body></html>", {"Content-Type": "text/html"}, "got HTML"),
        (b"<?xml version='1.0'?><x/>", {"Content-Type": "text/html"}, "got HTML"),
        (b'{"error": "no"}', {"Content-Type": "application/json"}, "got application/json"),
        (b"", XML, "response is empty"),
        (
            b"<csw:GetRecordsResponse xmlns:csw='http://www.opengis.net/cat/csw/2.0.2'>",
            XML,
            "malformed",
        ),
        (b"<rss><channel/></rss>", XML, "expected a CSW GetRecordsResponse but got <rss>"),
        (
            b"<csw:GetRecordsResponse xmlns:csw='http://www.opengis.net/cat/csw/2.0.2'/>",
            XML,
            "without SearchResults",
        ),
    ],
)
def test_answers_that_are_not_a_getrecords_response(body, headers, message):
    assert message in _pages_error(body, headers=headers).message


def test_entity_declarations_are_refused_before_parsing():
    error = _pages_error(billion_laughs())
    assert "entity declarations" in error.message


def test_external_entities_and_dtds_are_never_fetched():
    with serve(lambda m, p, q: (200, XML, b"<x/>")) as spy:
        body = (
            f'<?xml version="1.0"?><!DOCTYPE csw:GetRecordsResponse SYSTEM "{spy.url}/evil.dtd">'
            "<csw:GetRecordsResponse xmlns:csw='http://www.opengis.net/cat/csw/2.0.2'>"
            "<csw:SearchResults numberOfRecordsMatched='0' nextRecord='0'/>"
            "</csw:GetRecordsResponse>"
        ).encode()
        with serve(_answer(body)) as server:
            pages = list(harvester(server.url + CSW_PATH).pages())
        assert spy.requests == []
    assert [p.records for p in pages] == [[]]


def test_dublin_core_answer_means_output_schema_was_ignored():
    record = (
        b"<csw:Record><dc:identifier xmlns:dc='http://purl.org/dc/elements/1.1/'/></csw:Record>"
    )
    body = envelope([record], 1, 0).replace(
        b"<csw:Record>", b"<csw:Record xmlns:csw='http://www.opengis.net/cat/csw/2.0.2'>"
    )
    assert "ignores outputSchema" in _pages_error(body).message


def test_a_bad_record_among_good_ones_is_reported_and_the_rest_kept():
    good = load_records(HVD_RECORD)
    broken = good[0].replace(b"123e4567-e89b-12d3-a456-426655440000", b"")
    body = envelope([broken, *geonetwork_records()[:2]], 3, 0)
    with serve(_answer(body)) as server:
        (page,) = list(harvester(server.url + CSW_PATH).pages())
    assert ids([page]) == GEONETWORK_IDS[:2]
    (error,) = page.errors
    assert "fileIdentifier" in error.message and error.url.startswith(server.url)


def _fixed(records: list[bytes], matched: int, next_record):
    def handler(method, path, query):
        nxt = next_record(int(param(query, "startPosition") or 1))
        return 200, XML, envelope(records, matched, nxt)

    return handler


def test_next_record_that_does_not_advance_is_an_error():
    records = geonetwork_records()
    with serve(_fixed(records[:2], 6, lambda start: start)) as server:
        pages = harvester(server.url + CSW_PATH).pages()
        assert ids([next(pages)]) == GEONETWORK_IDS[:2]
        with pytest.raises(HarvestError, match="paging does not advance: nextRecord 1"):
            next(pages)


def test_paging_that_repeats_the_same_records_is_an_error():
    records = geonetwork_records()
    with (
        serve(_fixed(records[:2], 6, lambda start: start + 2)) as server,
        pytest.raises(HarvestError, match="already listed"),
    ):
        list(harvester(server.url + CSW_PATH).pages())


def test_next_record_going_back_is_an_error():
    template = load_records(HVD_RECORD)[0]

    def endless(method, path, query):
        start = int(param(query, "startPosition") or 1)
        record = template.replace(b"123e4567-e89b-12d3-a456-426655440000", b"r%d" % start)
        return 200, XML, envelope([record], 3, start + 1 if start < 3 else 2)

    with serve(endless) as server:
        with pytest.raises(HarvestError) as caught:
            list(harvester(server.url + CSW_PATH, page_size=1).pages())
        assert len(queries(server)) == 3
    assert "paging does not advance" in caught.value.message


def test_paging_that_never_ends_is_cut():
    # Every page brings a "new" record and claims one more record: no real catalogue does.
    template = load_records(HVD_RECORD)[0]

    def endless(method, path, query):
        start = int(param(query, "startPosition") or 1)
        record = template.replace(b"123e4567-e89b-12d3-a456-426655440000", b"r%d" % start)
        return 200, XML, envelope([record], start + 1, start + 1)

    with serve(endless) as server:
        with pytest.raises(HarvestError, match="paging does not end: 12 pages") as caught:
            list(harvester(server.url + CSW_PATH, page_size=1).pages())
        assert len(queries(server)) == 12
    assert "reported 2 records" in caught.value.message


def test_next_record_past_the_matched_count_ends_the_listing():
    template = load_records(HVD_RECORD)[0]

    def growing_claims(method, path, query):
        start = int(param(query, "startPosition") or 1)
        record = template.replace(b"123e4567-e89b-12d3-a456-426655440000", b"r%d" % start)
        return 200, XML, envelope([record], 2, start + 1)

    with serve(growing_claims) as server:
        pages = list(harvester(server.url + CSW_PATH, page_size=1).pages())
    # nextRecord 3 > numberOfRecordsMatched 2 ends the listing after two pages
    assert ids(pages) == ["r1", "r2"]


def test_missing_next_record_continues_by_the_records_returned():
    records = geonetwork_records()

    def no_next(method, path, query):
        start = int(param(query, "startPosition") or 1)
        body = envelope(records[start - 1 : start + 1], 6, 0).replace(b' nextRecord="0"', b"")
        return 200, XML, body

    with serve(no_next) as server:
        assert ids(harvester(server.url + CSW_PATH).pages()) == GEONETWORK_IDS


def test_empty_page_before_the_matched_count_is_an_error():
    records = geonetwork_records()

    def short(method, path, query):
        start = int(param(query, "startPosition") or 1)
        page = records[:2] if start == 1 else []
        return 200, XML, envelope(page, 6, 3 if start == 1 else 0)

    with (
        serve(short) as server,
        pytest.raises(HarvestError, match="reports 6 records but returned none"),
    ):
        list(harvester(server.url + CSW_PATH).pages())


def test_catalogue_shrinking_while_listed_is_an_error():
    records = geonetwork_records()
    with serve(csw_portal(records)) as server:
        pages = harvester(server.url + CSW_PATH).pages()
        next(pages)
        del records[0]
        with pytest.raises(HarvestError, match="shrank from 6 to 5"):
            list(pages)


def test_empty_catalogue_is_one_empty_page():
    with serve(csw_portal([])) as server:
        pages = list(harvester(server.url + CSW_PATH).pages())
    assert [p.records for p in pages] == [[]]


def test_oversize_answer_is_refused_with_the_url():
    body = envelope(geonetwork_records(), 6, 0)
    with serve(_answer(body)) as server, pytest.raises(HarvestError) as caught:
        list(harvester(server.url + CSW_PATH, max_bytes=50_000).pages())
    assert "exceeds the limit" in caught.value.message
    assert caught.value.url.startswith(server.url)
