"""Hostile DCAT catalogues end to end: refused or capped, and no reference is lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.harvest_support import harvest, references, register
from tests.support.http_server import serve
from tests.support.wide_dcat import wide_catalogue
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


@pytest.mark.ckan_config("ckanext.partnercity.max_distributions_per_dataset", "50")
def test_a_dataset_of_a_thousand_distributions_is_stored_with_the_first_ones():
    body = wide_catalogue(1_000)
    with serve(lambda method, path, query: (200, {"Content-Type": "text/turtle"}, body)) as s:
        register("wide", s.url + "/catalog.ttl", portal_type="dcat", country="DE")
        run = harvest("wide")
    assert run["status"] == "succeeded", run["errors"]
    assert run["counts"]["created"] == 1 and run["counts"]["failed"] == 0
    (warning,) = run["errors"]
    assert warning["level"] == "warning" and warning["identifier"] == "wide"
    assert "kept the first 50 of 1000 distributions" in warning["message"]
    (reference,) = references("wide").values()
    assert [r["name"] for r in reference["resources"]] == [f"Part {n}" for n in range(50)]
