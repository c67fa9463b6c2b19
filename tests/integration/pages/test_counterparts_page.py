"""Counterparts on our dataset page and in partnercity_related, on the real stack: partners
harvested from the fixture portals (Alba Iulia declares its air-quality dataset HVD "Air"),
decisions kept in the database by the partner's own identifier."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.partnercity.model import CounterpartDecision
from tests.integration.page_support import fresh_store, own_air_quality, partner_portals, seed

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("with_plugins")]


@pytest.fixture(scope="module")
def data(reset_db, reset_index, migrate_db_for):
    fresh_store(reset_db, reset_index, migrate_db_for)
    with partner_portals() as urls:
        seeded = seed(urls)
        own = own_air_quality(seeded)
        yield {**seeded, "own": own}


def _counterparts(dataset: str) -> list[dict]:
    return call_action("partnercity_related", id=dataset)["counterparts"]


def _decide(data: dict, ref_name: str, decision: str) -> dict:
    sysadmin = data["sysadmin"]["name"]
    return call_action(
        "partnercity_counterpart_decide",
        {"user": sysadmin},
        dataset=data["own"]["id"],
        reference=ref_name,
        decision=decision,
        reason="checked by hand",
    )


def _clear() -> None:
    model.Session.query(CounterpartDecision).delete()
    model.Session.commit()


def test_air_quality_shows_the_partner_counterpart_first_with_its_reason(app, data):
    found = _counterparts(data["own"]["id"])
    assert found, "no counterpart"
    first = found[0]
    assert "calitatea" in first["reference"]["name"]
    assert {"kind": "hvd", "label": "Air"} in first["reasons"]
    body = app.get("/dataset/arnsberg-luftqualitaet-hvd").body
    items = body.split('data-partnercity="counterpart-item"')
    assert len(items) >= 2
    assert first["reference"]["title"] in items[1]
    assert "Same HVD category: Air" in items[1]
    # listed once: not again among the same-theme references
    assert body.count(f'/partner_dataset/{first["reference"]["name"]}"') == 1

    # a German reader reads the category and the theme in German (their vocabularies)
    german = app.get("/de/dataset/arnsberg-luftqualitaet-hvd").body
    reasons = german.split('data-partnercity="counterpart-item"')[1].split("</small>")[0]
    assert "Gleiche HVD-Kategorie: Luft" in reasons and ": Air" not in reasons


def test_rejected_counterpart_disappears_and_confirmed_comes_first(app, data):
    own = data["own"]
    first = _counterparts(own["id"])[0]["reference"]["name"]
    try:
        before = call_action("partnercity_related", id=own["id"], limit=20)
        assert first in [r["name"] for r in before["results"]]
        _decide(data, first, "rejected")
        assert first not in [c["reference"]["name"] for c in _counterparts(own["id"])]
        # nor among the same-theme references below them, on the page or through the action
        related = call_action("partnercity_related", id=own["id"], limit=20)
        assert first not in [r["name"] for r in related["results"]]
        assert related["count"] == before["count"] - 1
        page = app.get("/dataset/arnsberg-luftqualitaet-hvd").body
        assert f'/partner_dataset/{first}"' not in page
        other = call_action(
            "package_search", fq="+dataset_type:partner_dataset +organization:mulhouse", rows=1
        )["results"][0]["name"]
        _decide(data, other, "confirmed")
        after = _counterparts(own["id"])
        assert after[0]["reference"]["name"] == other
        assert after[0]["reasons"][0]["kind"] == "confirmed"
        body = app.get("/dataset/arnsberg-luftqualitaet-hvd").body
        assert "Confirmed by our open-data team" in body
    finally:
        _clear()


def test_decision_survives_a_new_harvest(app, data):
    own = data["own"]
    first = _counterparts(own["id"])[0]["reference"]["name"]
    try:
        _decide(data, first, "rejected")
        run = call_action("partnercity_harvest", partner="alba-iulia", full=True, wait=True)
        assert run["status"] == "succeeded"
        assert first not in [c["reference"]["name"] for c in _counterparts(own["id"])]
    finally:
        _clear()


def test_dataset_with_nothing_in_common_has_no_counterparts(app, data):
    assert _counterparts(data["ours"]["budget"]["id"]) == []


def test_decide_checks_its_input_and_who_asks(app, data):
    import ckan.plugins.toolkit as tk

    ref = _counterparts(data["own"]["id"])[0]["reference"]["name"]
    with pytest.raises(tk.ValidationError):
        _decide(data, "no-such-dataset", "confirmed")  # the reference must be a reference
    with pytest.raises(tk.ValidationError):
        _decide(data, ref, "maybe")
    with pytest.raises(tk.ValidationError):  # our own dataset is no reference
        call_action(
            "partnercity_counterpart_decide",
            {"user": data["sysadmin"]["name"]},
            dataset=data["own"]["id"],
            reference=data["own"]["id"],
            decision="confirmed",
        )
    user = factories.User()
    with pytest.raises(tk.NotAuthorized):
        call_action(
            "partnercity_counterpart_decide",
            {"user": user["name"], "ignore_auth": False},
            dataset=data["own"]["id"],
            reference=ref,
            decision="rejected",
        )
    assert model.Session.query(CounterpartDecision).count() == 0


def test_undecided_forgets_the_decision(app, data):
    ref = _counterparts(data["own"]["id"])[0]["reference"]["name"]
    try:
        stored = _decide(data, ref, "rejected")
        assert stored["decision"] == "rejected" and stored["decided_by"] == data["sysadmin"]["name"]
        again = _decide(data, ref, "confirmed")
        assert again["id"] == stored["id"]  # one decision per pair, updated
        assert _decide(data, ref, "undecided")["decision"] == "undecided"
        assert model.Session.query(CounterpartDecision).count() == 0
    finally:
        _clear()


def test_profiles_are_kept_between_views_and_a_changed_reference_is_profiled_again(app, data):
    from ckanext.partnercity.pages.counterparts import PROFILES

    own = data["own"]["id"]
    first = _counterparts(own)  # fills the cache (or finds it filled)
    misses, hits = PROFILES.misses, PROFILES.hits
    assert _counterparts(own) == first
    assert PROFILES.misses == misses and PROFILES.hits > hits  # second view: nothing profiled
    ref = call_action(
        "package_search", fq="+dataset_type:partner_dataset +organization:mulhouse", rows=1
    )["results"][0]
    assert ref["name"] not in [c["reference"]["name"] for c in first]
    sysadmin = {"user": data["sysadmin"]["name"]}
    # the same title words as ours: a counterpart by its title, if its new title is read
    call_action("package_patch", sysadmin, id=ref["id"], title="Luftqualität Mulhouse: Messwerte")
    try:
        misses = PROFILES.misses
        after = _counterparts(own)
        assert PROFILES.misses == misses + 1  # only the changed reference
        found = {c["reference"]["name"]: c for c in after}
        assert ref["name"] in found  # its new title is what counts, not the kept profile
        assert any(r["kind"] == "title" for r in found[ref["name"]]["reasons"])
    finally:
        call_action("package_patch", sysadmin, id=ref["id"], title=ref["title"])
