"""The fault matrix of the Opendatasoft DCAT export: nothing lost, a clear error naming it.

Each case first harvests Cap Atlantique's real export cleanly, then breaks the export in
one way. The rule (harvesters/portals/opendatasoft.py):

- the export is **not there for us** (404, 403, an HTML page with 200, an empty answer,
  more than ``max_response_bytes``): the portal's Explore API is read instead; it lists the
  same dataset, so the run succeeds, the reference is unchanged, and the run carries a
  warning naming the export (but for a plain 404);
- the export is **there but broken** (5xx, cut short, malformed, too slow,
  entity declarations, RDF under another syntax's Content-Type): the run fails, its error
  names the export's URL, nothing is withdrawn and the Explore API is not asked. Its JSON
  catalogue is empty in these cases, so a wrong fallback would withdraw the reference and
  show up here.
"""

from __future__ import annotations

import re
import time

import pytest
from ckan.tests.helpers import call_action

from tests.integration.harvest_support import harvest, references, register
from tests.support.drip_server import drip
from tests.support.fake_portals import ODS_CATALOG_PATH
from tests.support.http_server import serve
from tests.support.ods_dcat_portal import (
    CAPATLANTIQUE,
    EXPORT_PATH,
    OdsDcatPortal,
    explore_entry_for,
    export_bytes,
    missing_export,
    served_export,
)
from tests.support.xml_bombs import MILD, billion_laughs

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

CAP_ID = "264400516_arretes_ccas_guerande"
REAL = export_bytes(CAPATLANTIQUE)
RDF_XML = "application/rdf+xml; charset=utf-8"
ENTRY = explore_entry_for(
    CAP_ID,
    "Arrêtés du CCAS de Guérande",
    "Actes réglementaires pris par le CCAS de la Commune de Guérande.",
    "Citoyenneté / Institution",
)


def _slow(query):
    time.sleep(2.5)  # past the 1 s timeout of these tests
    return 200, {"Content-Type": RDF_XML}, REAL


def _truncated_transfer(query):
    # announces more bytes than it sends: the connection closes mid-document
    return 200, {"Content-Type": RDF_XML, "X-Test-Content-Length": str(len(REAL) * 2)}, REAL


def _status(status: int):
    def answer(query):
        return status, {"Content-Type": "text/plain", "Retry-After": "0"}, b"unavailable"

    return answer


BROKEN = {
    "http-500": (_status(500), "HTTP 500 after"),
    "http-503-persistent": (_status(503), "HTTP 503 after"),
    # the socket stays open for the bytes never sent: a read timeout, or the cut document
    "truncated-transfer": (_truncated_transfer, "truncated|malformed|timed out"),
    "truncated-document": (served_export(REAL[: len(REAL) // 2]), "malformed RDF/XML"),
    "malformed-rdf": (served_export(REAL.replace(b"</dcat:Dataset>", b"", 1)), "malformed"),
    "timeout": (_slow, "timeout|deadline|no answer"),
    "entity-bomb": (served_export(billion_laughs(levels=MILD)), "ENTITY|entity"),
    "rdf-labelled-json": (served_export(REAL, "application/json"), "malformed JSON-LD"),
}
LOGIN_PAGE = b"<!DOCTYPE html><html><body>Connexion</body></html>"
NOT_THERE = {
    "http-404": missing_export,
    "http-403": served_export(b"Forbidden", "text/plain", 403),
    "html-with-200": served_export(LOGIN_PAGE, "text/html; charset=utf-8"),
    "empty-200": served_export(b"", RDF_XML),
    "too-large": served_export(REAL + b"<!--" + b" " * 120_000 + b"-->"),
}


def _snapshot() -> dict:
    return {
        identifier: (p["id"], p["metadata_modified"], p["reference_status"], p["title"])
        for identifier, p in references("guerande").items()
    }


def _first_harvest(portal: OdsDcatPortal, url: str) -> dict:
    register("guerande", url, portal_type="opendatasoft", country="FR")
    run = harvest("guerande")
    assert run["status"] == "succeeded", run["errors"]
    before = _snapshot()
    assert set(before) == {CAP_ID}
    return before


@pytest.mark.ckan_config("ckanext.partnercity.http_timeout", "1")
@pytest.mark.ckan_config("ckanext.partnercity.max_response_bytes", "100000")
@pytest.mark.parametrize("fault", sorted(BROKEN))
def test_broken_export_fails_naming_it_and_loses_nothing(fault):
    export, message = BROKEN[fault]
    portal = OdsDcatPortal(served_export(REAL))
    with serve(portal) as server:
        before = _first_harvest(portal, server.url)
        portal.export = export
        portal.datasets = []  # a fallback taken by mistake would withdraw the reference
        server.requests.clear()
        run = harvest("guerande")
        asked = {r.path for r in server.requests}

    assert run["status"] == "failed", (fault, run)
    assert run["counts"]["withdrawn"] == 0
    (error,) = run["errors"]
    assert error["url"].startswith(f"{server.url}{EXPORT_PATH}"), error
    assert re.search(message, error["message"]), error
    assert ODS_CATALOG_PATH not in asked  # not hidden behind the fallback
    assert _snapshot() == before


@pytest.mark.ckan_config("ckanext.partnercity.http_timeout", "1")
def test_export_dripping_bytes_ends_at_the_deadline_and_loses_nothing():
    portal = OdsDcatPortal(served_export(REAL))
    with serve(portal) as server:
        before = _first_harvest(portal, server.url)
    with drip(0.2) as dripping:
        call_action("partnercity_partner_update", id="guerande", portal_url=dripping.url)
        started = time.monotonic()
        run = harvest("guerande")
        took = time.monotonic() - started
    assert run["status"] == "failed", run
    assert run["counts"]["withdrawn"] == 0
    (error,) = run["errors"]
    assert error["url"].startswith(f"{dripping.url}{EXPORT_PATH}"), error
    assert took < 30
    assert _snapshot() == before


@pytest.mark.ckan_config("ckanext.partnercity.max_response_bytes", "100000")
@pytest.mark.parametrize("fault", sorted(NOT_THERE))
def test_missing_export_falls_back_and_keeps_the_reference(fault):
    portal = OdsDcatPortal(served_export(REAL), [ENTRY])
    with serve(portal) as server:
        before = _first_harvest(portal, server.url)
        portal.export = NOT_THERE[fault]
        server.requests.clear()
        run = harvest("guerande")
        asked = [r.path for r in server.requests]
    assert run["status"] == "succeeded", (fault, run["errors"])
    assert run["counts"]["withdrawn"] == run["counts"]["created"] == 0
    assert asked[0] == EXPORT_PATH and ODS_CATALOG_PATH in asked
    after = _snapshot()
    assert set(after) == {CAP_ID}
    assert after[CAP_ID][0] == before[CAP_ID][0]  # the same reference
    assert after[CAP_ID][2] == "active"
    warnings = [e for e in run["errors"] if e.get("level") == "warning"]
    assert len(warnings) == len(run["errors"]) == (0 if fault == "http-404" else 1), run
    for warning in warnings:
        assert warning["url"].startswith(f"{server.url}{EXPORT_PATH}")
        assert warning["message"].startswith("DCAT export not used (")


def test_rdf_with_a_generic_content_type_is_read_by_its_content():
    portal = OdsDcatPortal(served_export(REAL), [])
    with serve(portal) as server:
        before = _first_harvest(portal, server.url)
        portal.export = served_export(REAL, "text/plain")
        run = harvest("guerande")
    assert run["status"] == "succeeded", run["errors"]
    assert run["counts"]["unchanged"] == 1
    assert _snapshot() == before
