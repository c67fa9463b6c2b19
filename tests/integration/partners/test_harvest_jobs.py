"""Harvests queued by default on a real RQ worker, and one run per partner at a time."""

from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.lib import jobs
from ckan.tests.helpers import call_action

from ckanext.partnercity.model import HarvestRun
from tests.integration.harvest_support import ckan_partner_portal, references, register

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]


@pytest.fixture
def portal():
    with ckan_partner_portal() as server:
        yield server


def test_harvest_is_queued_by_default_and_runs_on_the_worker(portal, ckan_cli):
    partner = register("alba-iulia", portal.url)
    queue = jobs.get_queue()
    before = set(queue.job_ids)
    queued = call_action("partnercity_harvest", partner="alba-iulia")
    assert queued["status"] == "queued" and not queued["existing"]
    assert set(queue.job_ids) - before == {queued["job_id"]}
    assert references("alba-iulia") == {}  # nothing ran in the request

    # Asked again while it waits: the same run, no second job.
    again = call_action("partnercity_harvest", partner="alba-iulia", full=True)
    assert again["existing"] and again["id"] == queued["id"]
    assert set(queue.job_ids) - before == {queued["job_id"]}
    # Waiting for a run is refused while another is queued.
    with pytest.raises(tk.ValidationError) as refused:
        call_action("partnercity_harvest", partner="alba-iulia", wait=True)
    assert "already queued or running" in str(refused.value.error_dict["partner"])

    worker = ckan_cli("jobs", "worker", "--burst")
    assert worker.returncode == 0, worker.stderr[-2000:]
    model.Session.expire_all()
    run = call_action("partnercity_harvest_run_show", id=queued["id"])
    assert run["status"] == "succeeded", run["errors"]
    assert run["counts"]["created"] == len(references("alba-iulia"))
    assert run["partner_id"] == partner["id"]
    assert len(call_action("partnercity_harvest_run_list", partner="alba-iulia")) == 1


def test_running_harvest_is_returned_not_queued_again():
    partner = register("alba-iulia", "http://127.0.0.1:9/")
    running = HarvestRun(
        partner_id=partner["id"], status="running", started_at=datetime.datetime.utcnow()
    )
    model.Session.add(running)
    model.Session.commit()
    answer = call_action("partnercity_harvest", partner="alba-iulia")
    assert answer["existing"] and answer["id"] == running.id and answer["status"] == "running"
    assert [r["id"] for r in call_action("partnercity_harvest_run_list")] == [running.id]


def test_deprecated_background_false_still_runs_in_the_request(portal):
    register("alba-iulia", portal.url)
    run = call_action("partnercity_harvest", partner="alba-iulia", background="false")
    assert run["status"] == "succeeded" and run["counts"]["created"] == len(portal.datasets)
    queued = call_action("partnercity_harvest", partner="alba-iulia", background=True)
    assert queued["status"] == "queued"


def test_running_harvest_refuses_to_wait_for_a_second_one():
    partner = register("alba-iulia", "http://127.0.0.1:9/")
    running = HarvestRun(
        partner_id=partner["id"], status="running", started_at=datetime.datetime.utcnow()
    )
    model.Session.add(running)
    model.Session.commit()
    with pytest.raises(tk.ValidationError) as refused:
        call_action("partnercity_harvest", partner="alba-iulia", wait=True)
    message = str(refused.value.error_dict["partner"])
    assert "already queued or running" in message and running.id in message


def test_stale_run_is_expired_and_harvest_proceeds(portal):
    partner = register("alba-iulia", portal.url)
    long_ago = datetime.datetime.utcnow() - datetime.timedelta(days=1)
    stale = HarvestRun(partner_id=partner["id"], status="running", started_at=long_ago)
    model.Session.add(stale)
    model.Session.commit()
    run = call_action("partnercity_harvest", partner="alba-iulia", wait=True)
    assert run["status"] == "succeeded"
    model.Session.expire_all()
    assert model.Session.get(HarvestRun, stale.id).status == "failed"


def test_cli_all_enqueues_every_partner(portal, ckan_cli):
    register("alba-iulia", portal.url)
    register("other-city", portal.url)
    result = ckan_cli("partnercity", "harvest", "--all")
    assert result.returncode == 0, result.stderr[-2000:]
    statuses = {r["status"] for r in call_action("partnercity_harvest_run_list")}
    assert statuses == {"queued"}
    assert len(call_action("partnercity_harvest_run_list")) == 2
