"""The stack is real: the plugin runs inside CKAN on PostgreSQL, Solr 9 and Redis/RQ."""

from __future__ import annotations

import uuid

import pytest
import requests
from ckan.common import config
from ckan.lib import jobs
from ckan.plugins import plugin_loaded
from ckan.plugins import toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

import ckanext.partnercity

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]


def _dataset(**extra) -> dict:
    org = factories.Organization()
    return call_action(
        "package_create",
        name=f"air-quality-{uuid.uuid4().hex[:8]}",
        title="Air quality measurements",
        notes="Hourly NO2 and PM10 from the city's stations.",
        owner_org=org["id"],
        **extra,
    )


def test_plugin_and_companions_are_loaded(app):
    for name in ("partnercity", "dcat", "scheming_datasets", "scheming_organizations"):
        assert plugin_loaded(name), name
    status = app.get("/api/3/action/status_show").json["result"]
    assert "partnercity" in status["extensions"]
    assert status["ckan_version"] == tk.ckan.__version__


def test_partnercity_status_reports_version_config_and_schema(app):
    result = app.get("/api/3/action/partnercity_status").json["result"]
    assert result["version"] == ckanext.partnercity.__version__
    assert result["companion_plugins"] == {
        "dcat": True,
        "scheming_datasets": True,
        "scheming_organizations": True,
    }
    assert result["config"]["ckanext.partnercity.http_timeout"] == 10
    assert result["config"]["ckanext.partnercity.allow_private_urls"] is True
    assert result["database"]["up_to_date"] is True
    assert result["database"]["revision"] == result["database"]["head"]


def test_partnercity_status_sees_a_missing_migration(migrate_db_for):
    migrate_db_for("partnercity", version="base", forward=False)
    result = call_action("partnercity_status")
    assert result["database"]["revision"] is None
    assert result["database"]["up_to_date"] is False


def test_dataset_is_indexed_in_the_projects_solr():
    dataset = _dataset()
    found = call_action("package_search", q=f"name:{dataset['name']}")
    assert found["count"] == 1
    assert found["results"][0]["id"] == dataset["id"]
    # The same document, straight from the Solr core named in test.ini.
    solr = requests.get(
        config["solr_url"] + "/select",
        params={"q": f"id:{dataset['id']}", "fl": "name,site_id", "wt": "json"},
        timeout=10,
    ).json()
    assert solr["response"]["docs"] == [{"name": dataset["name"], "site_id": "partnercity_test"}]


def test_solr_serves_a_ckan_schema_ckan_accepts():
    from ckan.lib.search import SUPPORTED_SCHEMA_VERSIONS

    answer = requests.get(config["solr_url"] + "/schema/name", timeout=10).json()
    assert answer["name"].startswith("ckan-")
    assert answer["name"].removeprefix("ckan-") in SUPPORTED_SCHEMA_VERSIONS


def test_background_job_runs_on_a_real_rq_worker(ckan_cli):
    dataset = _dataset()
    job = tk.enqueue_job(
        "partnercity_test_jobs.annotate_dataset",
        [dataset["id"], "annotated by the worker"],
        title="partnercity stack test",
    )
    assert job.id in [j.id for j in jobs.get_queue().jobs]

    worker = ckan_cli("jobs", "worker", "--burst")
    assert worker.returncode == 0, worker.stderr[-2000:]

    job.refresh()
    assert job.get_status() == "finished", worker.stderr[-2000:]
    assert job.return_value() == "annotated by the worker"
    assert call_action("package_show", id=dataset["id"])["notes"] == "annotated by the worker"
    assert call_action("package_search", q='notes:"annotated by the worker"')["count"] == 1


def test_dcat_catalogue_serializes_our_datasets(app):
    dataset = _dataset()
    body = app.get("/catalog.ttl").body
    assert dataset["title"] in body
    assert "dcat:Catalog" in body
