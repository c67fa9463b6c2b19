"""Hostile DCAT catalogues end to end: refused or capped, and no reference is lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.harvest_support import harvest, references, register
from tests.support.http_server import serve
from tests.support.xml_bombs import MILD, billion_laughs

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

DCAT = Path(__file__).resolve().parents[2] / "fixtures" / "dcat"
ROSTOCK = DCAT / "rostock_opendata-hro_ckan_dcat-ap-de_dataset.rdf"
RDF_XML = {"Content-Type": "application/rdf+xml"}


def _snapshot(partner: str) -> dict:
    return {
        identifier: (p["metadata_modified"], p["reference_status"], p["title"])
        for identifier, p in references(partner).items()
    }


def test_entity_bomb_fails_the_run_and_changes_no_reference():
    state = {"body": ROSTOCK.read_bytes()}
    with serve(lambda method, path, query: (200, RDF_XML, state["body"])) as server:
        register("rostock", server.url + "/dataset.rdf", portal_type="dcat", country="DE")
        first = harvest("rostock")
        assert first["status"] == "succeeded", first["errors"]
        before = _snapshot("rostock")
        state["body"] = billion_laughs(levels=MILD)
        run = harvest("rostock")
    assert run["status"] == "failed"
    (error,) = run["errors"]
    assert "entity declarations (<!ENTITY) are refused" in error["message"]
    assert error["url"] == server.url + "/dataset.rdf"
    assert run["counts"]["withdrawn"] == 0
    assert _snapshot("rostock") == before
