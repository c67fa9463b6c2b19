"""The CSW fault matrix: whatever a GeoNetwork catalogue does wrong, no reference is lost.

Each case harvests the catalogue (real ISO 19139 records, two a page) cleanly, then removes
one record upstream, so a run taken for complete would withdraw it, and breaks the catalogue
in one way from the second page on. The run must end failed or partial, name the URL,
withdraw nothing and leave every stored reference exactly as it was.
"""

from __future__ import annotations

import re
import time

import pytest

from tests.integration.harvest_support import harvest, references, register
from tests.support.csw_portal import (
    CSW_PATH,
    XML,
    csw_portal,
    envelope,
    exception_report,
    geonetwork_records,
    param,
)
from tests.support.drip_server import drip
from tests.support.http_server import serve
from tests.support.xml_bombs import billion_laughs

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

DRIP = {"url": ""}


def _start(query) -> int:
    return int(param(query, "startPosition") or 1)


def _slow(method, path, query, good):
    time.sleep(2.5)
    return good(method, path, query)


def _bad_record(method, path, query, good):
    status, headers, body = good(method, path, query)
    start = body.index(b"<gmd:fileIdentifier>")
    end = body.index(b"</gmd:fileIdentifier>") + len(b"</gmd:fileIdentifier>")
    return status, headers, body[:start] + body[end:]  # the first record loses its identifier


def _truncated(method, path, query, good):
    status, headers, body = good(method, path, query)
    return 200, {**XML, "X-Test-Content-Length": str(len(body) + 1000)}, body[: len(body) // 2]


def _never_ending(method, path, query, good):
    # the first page again and again, always "continued" further on, in a huge catalogue
    status, headers, body = good(method, path, {**query, "startPosition": ["1"]})
    body = re.sub(rb'numberOfRecordsMatched="\d+"', b'numberOfRecordsMatched="100000"', body)
    nxt = f'nextRecord="{_start(query) + 2}"'.encode()
    return status, headers, re.sub(rb'nextRecord="\d+"', nxt, body)


def _not_advancing(method, path, query, good):
    status, headers, body = good(method, path, query)
    return status, headers, re.sub(rb'nextRecord="\d+"', b'nextRecord="1"', body)


FAULTS = {
    "http-500": lambda m, p, q, g: (500, {}, "Internal Server Error"),
    "http-503-persistent": lambda m, p, q, g: (503, {"Retry-After": "0"}, "maintenance"),
    "html-with-200": lambda m, p, q, g: (200, {"Content-Type": "text/html"}, "<html>Login</html>"),
    "exception-report": lambda m, p, q, g: (
        200,
        XML,
        exception_report("NoApplicableCode", "Lucene index unavailable"),
    ),
    "paging-never-ends": _never_ending,
    "paging-does-not-advance": _not_advancing,
    "wrong-content-type": lambda m, p, q, g: (
        200,
        {"Content-Type": "application/json"},
        {"error": "use the JSON API"},
    ),
    "oversize": lambda m, p, q, g: (200, XML, envelope([b"<x>" + b"a" * 400_000 + b"</x>"], 6, 0)),
    "slow": _slow,
    "slow-drip": lambda m, p, q, g: (302, {"Location": DRIP["url"] + CSW_PATH}, ""),
    "malformed-xml": lambda m, p, q, g: (200, XML, b"<csw:GetRecordsResponse><csw:Search"),
    "truncated-body": _truncated,
    "entity-declarations": lambda m, p, q, g: (200, XML, billion_laughs(levels=3)),
    "bad-record-among-good": _bad_record,
}


# What the run report says for each fault (the reader's first clue).
EXPECTED = {
    "http-500": "within 2s",  # retried with backoff until the request's deadline
    "http-503-persistent": "HTTP 503 after",
    "html-with-200": "got HTML",
    "exception-report": "answered with an error: NoApplicableCode: Lucene index unavailable",
    "paging-never-ends": "already listed",
    "paging-does-not-advance": "paging does not advance: nextRecord 1 after startPosition 3",
    "wrong-content-type": "got application/json that is not XML",
    "oversize": "exceeds the limit of 300000",
    "slow": "no answer within 1s",
    "slow-drip": "no complete answer within 2s",
    "malformed-xml": "malformed XML",
    "truncated-body": "timed out",  # the body never reaches its Content-Length
    "entity-declarations": "entity declarations (<!ENTITY) are refused",
    "bad-record-among-good": "ISO 19139 record without a fileIdentifier",
}


def _later_pages(fault, good):
    def handler(method, path, query):
        if _start(query) == 1:
            return good(method, path, query)
        return fault(method, path, query, good)

    return handler


def _snapshot(partner):
    return {
        identifier: (p["metadata_modified"], p["reference_status"], p["title"], p["notes"])
        for identifier, p in references(partner).items()
    }


@pytest.mark.ckan_config("ckanext.partnercity.http_timeout", "1")
@pytest.mark.ckan_config("ckanext.partnercity.max_response_bytes", "300000")
@pytest.mark.ckan_config("ckanext.partnercity.page_size", "2")
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_csw_fault_loses_and_alters_nothing(fault):
    records = geonetwork_records()
    with serve(csw_portal(records)) as portal, drip(0.05) as dripping:
        DRIP["url"] = dripping.url
        register("somme", portal.url + CSW_PATH, portal_type="csw", country="FR", page_size=2)
        first = harvest("somme")
        assert first["status"] == "succeeded", first["errors"]
        before = _snapshot("somme")
        assert len(before) == 6

        del records[-1]  # a complete run would now withdraw one reference
        portal.handler = _later_pages(FAULTS[fault], csw_portal(records))
        run = harvest("somme")

    assert run["status"] in ("failed", "partial"), (fault, run)
    assert run["counts"]["withdrawn"] == 0
    assert run["counts"]["failed"] >= 1
    assert run["errors"], fault
    named = portal.url if fault != "slow-drip" else dripping.url
    assert any(named in (error.get("url") or "") for error in run["errors"]), run
    assert _snapshot("somme") == before
    assert any(EXPECTED[fault] in error["message"] for error in run["errors"]), run["errors"]


def test_exception_report_text_reaches_the_run_report():
    records = geonetwork_records()
    with serve(csw_portal(records)) as portal:
        register("somme", portal.url + CSW_PATH, portal_type="csw", country="FR")
        portal.handler = lambda m, p, q: (
            200,
            XML,
            exception_report("InvalidParameterValue", "Unknown outputSchema", "outputSchema"),
        )
        run = harvest("somme")
    assert run["status"] == "failed"
    (error,) = run["errors"]
    assert "InvalidParameterValue (outputSchema): Unknown outputSchema" in error["message"]
    assert error["url"].startswith(portal.url + CSW_PATH + "?")
