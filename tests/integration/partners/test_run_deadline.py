"""A run has a total deadline: a partner that stalls cannot hold it past run_timeout_minutes.

The run stops as failed or partial, names why, and withdraws nothing; the references stored by
an earlier run stay exactly as they were.
"""

from __future__ import annotations

import time

import pytest

from ckanext.partnercity.harvesters.deadline import Deadline
from ckanext.partnercity.partners import runs, sync
from tests.integration.harvest_support import ckan_partner_portal, harvest, references, register

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

MESSAGE = "the run stopped: not finished within 0.01 minutes"


def _stalling_after_page_one(good):
    def handler(method, path, query):
        if int((query.get("start") or ["0"])[-1]) > 0:
            time.sleep(5)  # within the 30 s read timeout: only the run's deadline ends it
        return good(method, path, query)

    return handler


@pytest.mark.ckan_config("ckanext.partnercity.page_size", "2")
def test_a_run_past_its_deadline_stops_partial_and_withdraws_nothing(monkeypatch):
    with ckan_partner_portal() as portal:
        partner = register("alba-iulia", portal.url)
        assert harvest("alba-iulia")["status"] == "succeeded"
        before = {key: ref["reference_status"] for key, ref in references("alba-iulia").items()}

        portal.datasets.pop()  # a complete run would withdraw one reference
        portal.handler = _stalling_after_page_one(portal.good_handler)
        monkeypatch.setattr(sync, "run_deadline", lambda: Deadline.after(0.6, MESSAGE))
        started = time.monotonic()
        run = runs.run_now(partner, full=True).as_dict()
        took = time.monotonic() - started

    assert took < 3, took
    assert run["status"] in ("partial", "failed"), run
    assert run["counts"]["withdrawn"] == 0
    assert [error["message"] for error in run["errors"]] == [MESSAGE]
    assert portal.url in run["errors"][0]["url"]
    after = {key: ref["reference_status"] for key, ref in references("alba-iulia").items()}
    assert after == before
    assert set(after.values()) == {"active"}


def test_the_run_deadline_comes_from_run_timeout_minutes_before_the_job_timeout():
    deadline = sync.run_deadline()
    assert 119 * 60 < deadline.remaining() <= 120 * 60
    assert "120 minutes" in deadline.message
    assert runs.job_timeout_seconds() > 120 * 60
