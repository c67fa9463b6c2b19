"""A harvest indexes each written reference once, commits Solr once per page, and changes
no process-wide setting (real Solr; the index functions are spied on, never replaced)."""

from __future__ import annotations

import math

import ckan.plugins.toolkit as tk
import pysolr
import pytest
from ckan.lib.search.index import PackageSearchIndex

from tests.integration.harvest_support import (
    ckan_partner_portal,
    harvest,
    references,
    register,
    searchable,
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.usefixtures("clean_db", "clean_index"),
    pytest.mark.ckan_config("ckanext.partnercity.page_size", "2"),
]


class Spy:
    """Every dataset sent to Solr, and every Solr update request that commits."""

    def __init__(self) -> None:
        self.indexed: list[str] = []
        self.commits = 0
        self.settings_seen: set[str] = set()

    def reset(self) -> None:
        self.indexed.clear()
        self.commits = 0


@pytest.fixture
def spy(monkeypatch):
    found = Spy()
    index_package = PackageSearchIndex.index_package
    update = pysolr.Solr._update

    def spied_index(self, pkg_dict, defer_commit=False):
        found.indexed.append(pkg_dict["id"])
        found.settings_seen.add(repr(tk.config.get("ckan.search.solr_commit")))
        return index_package(self, pkg_dict, defer_commit)

    def spied_update(self, message, *args, **kwargs):
        if kwargs.get("commit") or (kwargs.get("commit") is None and self.always_commit):
            found.commits += 1
        return update(self, message, *args, **kwargs)

    monkeypatch.setattr(PackageSearchIndex, "index_package", spied_index)
    monkeypatch.setattr(pysolr.Solr, "_update", spied_update)
    return found


@pytest.fixture
def portal():
    with ckan_partner_portal() as server:
        yield server


def _active(portal) -> list[dict]:
    return [d for d in portal.datasets if d.get("state", "active") == "active"]


def _ids(partner: str) -> dict[str, str]:
    """partner identifier -> reference id."""
    return {key: ref["id"] for key, ref in references(partner).items()}


def test_each_new_reference_is_indexed_once_with_one_commit_per_page(portal, spy):
    register("alba-iulia", portal.url)
    setting = tk.config.get("ckan.search.solr_commit")
    upstream = _active(portal)
    pages = math.ceil(len(upstream) / 2)
    assert pages >= 3  # the claim is about several pages

    run = harvest("alba-iulia")

    assert run["status"] == "succeeded", run["errors"]
    assert run["counts"]["created"] == len(upstream)
    created = _ids("alba-iulia")
    assert sorted(spy.indexed) == sorted(created.values())  # each exactly once
    assert spy.commits == pages
    # The run never touched the process-wide setting, not even while it indexed.
    assert spy.settings_seen == {repr(setting)}
    assert tk.config.get("ckan.search.solr_commit") == setting
    assert searchable("alba-iulia") == {d["id"] for d in upstream}


def test_updates_and_withdrawals_are_indexed_once_and_quiet_pages_not_at_all(portal, spy):
    register("alba-iulia", portal.url)
    harvest("alba-iulia")
    ids = _ids("alba-iulia")

    spy.reset()
    unchanged = harvest("alba-iulia")
    assert unchanged["counts"]["unchanged"] == len(ids)
    assert spy.indexed == [] and spy.commits == 0

    changed, gone = _active(portal)[0], _active(portal)[-1]
    changed["title"] = "Calitatea aerului (revizuit)"
    portal.datasets.remove(gone)
    spy.reset()
    run = harvest("alba-iulia")
    assert run["counts"]["updated"] == 1 and run["counts"]["withdrawn"] == 1, run
    assert sorted(spy.indexed) == sorted([ids[changed["id"]], ids[gone["id"]]])
    # One commit for the page with the update, one at the end for the withdrawal.
    assert spy.commits == 2
    assert gone["id"] not in searchable("alba-iulia")
    assert changed["id"] in searchable("alba-iulia")


def test_a_write_outside_a_run_is_indexed_at_once(portal, spy):
    """After a run, this thread's session indexes as CKAN does: nothing stays deferred."""
    partner = register("alba-iulia", portal.url)
    harvest("alba-iulia")
    spy.reset()
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    created = tk.get_action("package_create")(
        {"user": site_user},
        {"name": "local-after-run", "title": "Local", "notes": "Ours", "owner_org": partner["id"]},
    )
    assert created["id"] in spy.indexed
    found = tk.get_action("package_search")({}, {"q": "name:local-after-run"})
    assert found["count"] == 1
