"""Harvesting a partner's CKAN portal end to end: create, unchanged, update, withdraw, restore."""

from __future__ import annotations

import json

import pytest
from ckan.tests.helpers import call_action

from tests.integration.harvest_support import (
    ckan_partner_portal,
    harvest,
    references,
    register,
    searchable,
)

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]


@pytest.fixture
def portal():
    with ckan_partner_portal() as server:
        yield server


@pytest.fixture
def alba(portal):
    return register("alba-iulia", portal.url)


def _active_upstream(portal) -> set[str]:
    return {d["id"] for d in portal.datasets if d.get("state", "active") == "active"}


def test_first_harvest_creates_linked_references(portal, alba):
    run = harvest("alba-iulia")
    upstream = _active_upstream(portal)
    assert run["status"] == "succeeded", run["errors"]
    assert run["mode"] == "full"
    assert run["counts"]["created"] == len(upstream)
    assert run["counts"]["failed"] == 0
    stored = references("alba-iulia")
    assert set(stored) == upstream
    assert searchable("alba-iulia") == upstream

    air = next(p for p in stored.values() if "aer" in p["title"].lower())
    source = next(d for d in portal.datasets if d["id"] == air["partner_identifier"])
    assert air["title"] == source["title"]
    assert air["type"] == "partner_dataset"
    assert air["organization"]["name"] == "alba-iulia"
    assert air["partner_landing_page"] == f"{portal.url}/dataset/{source['name']}"
    assert air["reference_status"] == "active"
    # Link-only resources pointing at the partner's files.
    assert {r["url"] for r in air["resources"]} == {r["url"] for r in source["resources"]}


def test_partner_list_counts_references_and_last_harvest(portal, alba):
    harvest("alba-iulia")
    (listed,) = call_action("partnercity_partner_list")
    assert listed["references_active"] == len(_active_upstream(portal))
    assert listed["last_successful_harvest"] is not None


def test_reharvest_without_changes_writes_nothing(portal, alba):
    harvest("alba-iulia")
    before = {k: v["metadata_modified"] for k, v in references("alba-iulia").items()}
    run = harvest("alba-iulia")
    assert run["counts"]["unchanged"] == len(before)
    assert run["counts"]["created"] == run["counts"]["updated"] == 0
    after = {k: v["metadata_modified"] for k, v in references("alba-iulia").items()}
    assert after == before


def test_incremental_harvest_updates_changed_dataset(portal, alba):
    harvest("alba-iulia")
    changed = portal.datasets[0]
    changed["title"] = "Titlu nou"
    changed["metadata_modified"] = "2099-01-01T00:00:00.000000"
    run = harvest("alba-iulia", full=False)
    assert run["mode"] == "incremental"
    assert run["counts"]["updated"] == 1
    assert run["counts"]["created"] == 0
    assert references("alba-iulia")[changed["id"]]["title"] == "Titlu nou"
    fq = portal.requests[-1].param("fq")
    assert "metadata_modified:[" in fq


def test_deleted_upstream_is_withdrawn_then_restored(app, portal, alba):
    harvest("alba-iulia")
    gone = portal.datasets.pop(1)
    run = harvest("alba-iulia")
    assert run["status"] == "succeeded"
    assert run["counts"]["withdrawn"] == 1
    stored = references("alba-iulia")
    assert stored[gone["id"]]["reference_status"] == "withdrawn"
    assert gone["id"] not in searchable("alba-iulia")
    page = app.get(f"/partner_dataset/{stored[gone['id']]['name']}")
    assert page.status_code == 200
    assert "no longer listed on the partner" in page.body

    portal.datasets.append(gone)
    run = harvest("alba-iulia")
    assert run["counts"]["updated"] == 1
    assert references("alba-iulia")[gone["id"]]["reference_status"] == "active"
    assert gone["id"] in searchable("alba-iulia")


def test_an_empty_listing_withdraws_nothing(portal, alba):
    """A renamed organization or a portal in maintenance lists nothing: keep everything."""
    harvest("alba-iulia")
    before = references("alba-iulia")
    portal.datasets.clear()
    run = harvest("alba-iulia")
    assert run["status"] == "failed" and run["counts"]["withdrawn"] == 0
    assert f"its {len(before)} references were kept" in run["errors"][0]["message"]
    assert references("alba-iulia") == before
    assert searchable("alba-iulia") == set(before)


def test_the_last_dataset_going_is_withdrawn(portal, alba):
    """One listed dataset is a listing: what it no longer has is withdrawn as usual."""
    harvest("alba-iulia")
    kept = next(d for d in portal.datasets if d.get("state", "active") == "active")
    portal.datasets[:] = [kept]
    run = harvest("alba-iulia")
    assert run["status"] == "succeeded"
    assert searchable("alba-iulia") == {kept["id"]}


def test_incremental_run_never_withdraws(portal, alba):
    harvest("alba-iulia")
    portal.datasets.pop(0)
    run = harvest("alba-iulia", full=False)
    assert run["counts"]["withdrawn"] == 0
    assert all(p["reference_status"] == "active" for p in references("alba-iulia").values())


def test_source_filter_limits_to_one_organization(portal):
    register("alba-iulia", portal.url, source_filter="primaria-alba-iulia")
    harvest("alba-iulia")
    wanted = {
        d["id"]
        for d in portal.datasets
        if d["organization"]["name"] == "primaria-alba-iulia" and d.get("state") == "active"
    }
    assert wanted
    assert set(references("alba-iulia")) == wanted


def test_run_records_are_listed_and_shown(portal, alba):
    first = harvest("alba-iulia")
    second = harvest("alba-iulia")
    runs = call_action("partnercity_harvest_run_list", partner="alba-iulia")
    assert [r["id"] for r in runs] == [second["id"], first["id"]]
    shown = call_action("partnercity_harvest_run_show", id=first["id"])
    assert shown["counts"] == first["counts"]
    assert shown["duration_seconds"] >= 0


def test_cli_harvest_prints_progress_and_json_summary(portal, alba, ckan_cli):
    result = ckan_cli("partnercity", "harvest", "alba-iulia", "--full")
    assert result.returncode == 0, result.stderr[-2000:]
    summary = json.loads(result.stdout)
    assert summary["status"] == "succeeded"
    assert summary["counts"]["created"] == len(_active_upstream(portal))
    assert "created" in result.stderr and portal.url in result.stderr
