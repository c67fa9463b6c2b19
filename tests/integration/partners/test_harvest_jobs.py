"""Background harvests on a real RQ worker, and one run per partner at a time."""

from __future__ import annotations

import datetime

import pytest
from ckan import model
from ckan.tests.helpers import call_action

from ckanext.partnercity.model import HarvestRun
from tests.integration.harvest_support import ckan_partner_portal, references, register

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]


@pytest.fixture
def portal():
    with ckan_partner_portal() as server:
        yield server


def test_background_harvest_runs_on_the_worker(portal, ckan_cli):
    partner = register("alba-iulia", portal.url)
    queued = call_action("partnercity_harvest", partner="alba-iulia", background=True)
    assert queued["status"] == "queued"
    assert queued["job_id"]

    with pytest.raises(Exception) as refused:
        call_action("partnercity_harvest", partner="alba-iulia")
    assert "already queued or running" in str(refused.value.error_dict["partner"])

    worker = ckan_cli("jobs", "worker", "--burst")
    assert worker.returncode == 0, worker.stderr[-2000:]
    model.Session.expire_all()
    run = call_action("partnercity_harvest_run_show", id=queued["id"])
    assert run["status"] == "succeeded", run["errors"]
    assert run["counts"]["created"] == len(references("alba-iulia"))
    assert run["partner_id"] == partner["id"]


def test_running_harvest_refuses_a_second_one():
    partner = register("alba-iulia", "http://127.0.0.1:9/")
    running = HarvestRun(
        partner_id=partner["id"], status="running", started_at=datetime.datetime.utcnow()
    )
    model.Session.add(running)
    model.Session.commit()
    with pytest.raises(Exception) as refused:
        call_action("partnercity_harvest", partner="alba-iulia")
    message = str(refused.value.error_dict["partner"])
    assert "already queued or running" in message and running.id in message


def test_stale_run_is_expired_and_harvest_proceeds(portal):
    partner = register("alba-iulia", portal.url)
    long_ago = datetime.datetime.utcnow() - datetime.timedelta(days=1)
    stale = HarvestRun(partner_id=partner["id"], status="running", started_at=long_ago)
    model.Session.add(stale)
    model.Session.commit()
    run = call_action("partnercity_harvest", partner="alba-iulia")
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
