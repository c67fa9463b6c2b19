"""HVD attestations in the portal, on the real stack: who may record and revoke them, what is
refused, the history that revocations keep, and the report's verdict that follows them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import ckan.plugins.toolkit as tk
import ckanapi
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.integration.harvest_support import reference, register
from tests.integration.hvd.test_hvd import AIR, compliant

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

FREE = "hvd.attest.free-of-charge"
EVIDENCE = "https://umweltamt.example/gebuehren"
AUDITOR = "auditor-anna"


@pytest.fixture
def org():
    return factories.Organization(
        name="umweltamt", users=[{"name": factories.User(name="editor-eva")["name"],
                                  "capacity": "editor"}],
    )["id"]  # fmt: skip


@pytest.fixture
def dataset(org) -> dict:
    return call_action("package_create", **compliant(org))


def _as(user: str, action: str, **data):
    return call_action(action, context={"user": user, "ignore_auth": False}, **data)


def _attest(dataset: dict, rule: str = FREE, user: str | None = None, **extra) -> dict:
    data = {"dataset": dataset["name"], "rule": rule, "evidence_url": EVIDENCE, **extra}
    if user:
        return _as(user, "partnercity_hvd_attest", **data)
    return call_action("partnercity_hvd_attest", **data)


def _status(report: dict, name: str) -> str:
    return next(ds["status"] for ds in report["datasets"] if ds["ckan_name"] == name)


def _latest_report() -> dict:
    return call_action("partnercity_hvd_report")["report"]


def _open_items(report: dict, name: str) -> list[str]:
    """The rules of the dataset whose result waits for a person (violation level)."""
    ds = next(ds for ds in report["datasets"] if ds["ckan_name"] == name)
    return [r["rule"] for r in ds["results"] if r["outcome"] == "attest"]


# -- who may ------------------------------------------------------------------------


@pytest.mark.ckan_config("ckanext.partnercity.hvd.auditors", AUDITOR)
def test_anonymous_and_editors_are_refused_auditors_and_sysadmins_attest(app, dataset):
    factories.User(name=AUDITOR)
    body = {"dataset": dataset["name"], "rule": FREE}
    assert app.post("/api/3/action/partnercity_hvd_attest", json=body).status_code == 403
    for user in ("editor-eva", factories.User()["name"]):
        with pytest.raises(tk.NotAuthorized):
            _attest(dataset, user=user)
    done = _attest(dataset, user=AUDITOR, note="Gebührenordnung geprüft")
    assert (done["by"], done["rule"], done["dataset_id"]) == (AUDITOR, FREE, dataset["id"])
    assert (done["evidence_url"], done["note"], done["active"]) == (
        EVIDENCE,
        "Gebührenordnung geprüft",
        True,
    )  # noqa: E501
    assert done["at"] and done["dataset_name"] == "air-quality"
    admin = factories.Sysadmin()["name"]
    assert _attest(dataset, rule="hvd.attest.api-terms-qos", user=admin)["by"] == admin
    with pytest.raises(tk.NotAuthorized):
        _as("editor-eva", "partnercity_hvd_attestation_revoke", id=done["id"], reason="no")
    revoked = _as(AUDITOR, "partnercity_hvd_attestation_revoke", id=done["id"], reason="wrong")
    assert revoked["revoked_by"] == AUDITOR and not revoked["active"]


# -- what is refused ------------------------------------------------------------------


def test_bad_input_gets_field_errors(dataset):
    with pytest.raises(tk.ValidationError) as missing:
        call_action("partnercity_hvd_attest")
    assert {"rule", "dataset"} <= set(missing.value.error_dict)
    for url in ("ftp://umweltamt.example/x", "javascript:alert(1)", "https://", "gebuehren"):
        with pytest.raises(tk.ValidationError) as bad_url:
            _attest(dataset, evidence_url=url)
        assert list(bad_url.value.error_dict) == ["evidence_url"], url
    with pytest.raises(tk.ValidationError) as unknown_rule:
        _attest(dataset, rule="hvd.attest.no-such-rule")
    assert "Unknown HVD rule" in unknown_rule.value.error_dict["rule"][0]
    with pytest.raises(tk.ValidationError) as unknown_dataset:
        call_action("partnercity_hvd_attest", dataset="no-such-dataset", rule=FREE)
    assert list(unknown_dataset.value.error_dict) == ["dataset"]
    first = _attest(dataset)
    with pytest.raises(tk.ValidationError) as twice:
        _attest(dataset)
    assert "revoke that attestation first" in twice.value.error_dict["rule"][0]
    assert first["evidence_url"] == EVIDENCE
    assert (
        _attest(dataset, rule="hvd.attest.api-terms-qos", evidence_url="")["evidence_url"] is None
    )
    with pytest.raises(tk.ValidationError) as no_reason:
        call_action("partnercity_hvd_attestation_revoke", id=first["id"])
    assert list(no_reason.value.error_dict) == ["reason"]
    with pytest.raises(tk.ObjectNotFound):
        call_action("partnercity_hvd_attestation_revoke", id="no-such-id", reason="x")


def test_partners_references_cannot_be_attested(org):
    partner = register("alba-iulia", "http://127.0.0.1:9/")
    ref = reference(
        partner,
        "alba-aq",
        "aq",
        title="Calitatea aerului",
        hvd_category=[AIR],
        resources=[{"url": "https://alba-iulia.example/aq.csv", "format": "CSV"}],
    )
    with pytest.raises(tk.ValidationError) as refused:
        _attest(ref)
    assert "partner city's reference" in refused.value.error_dict["dataset"][0]
    assert call_action("partnercity_hvd_attestation_list", include_revoked=True) == []


# -- history ----------------------------------------------------------------------------


def test_revoking_keeps_the_row_and_the_history_lists_it(dataset):
    first = _attest(dataset, note="erste Prüfung")
    revoked = call_action(
        "partnercity_hvd_attestation_revoke", id=first["id"], reason="Gebühr seit 2025"
    )
    assert revoked["revoke_reason"] == "Gebühr seit 2025" and revoked["revoked_at"]
    with pytest.raises(tk.ValidationError) as again:
        call_action("partnercity_hvd_attestation_revoke", id=first["id"], reason="twice")
    assert "Already revoked" in again.value.error_dict["id"][0]
    assert call_action("partnercity_hvd_attestation_list", dataset="air-quality") == []
    second = _attest(dataset, note="Gebühr abgeschafft")
    history = call_action(
        "partnercity_hvd_attestation_list", dataset="air-quality", include_revoked=True
    )
    assert [(a["id"], a["active"]) for a in history] == [(second["id"], True), (first["id"], False)]
    assert history[1]["note"] == "erste Prüfung"
    by_rule = call_action("partnercity_hvd_attestation_list", rule="hvd.attest.api-terms-qos")
    assert by_rule == []


# -- the report follows ------------------------------------------------------------------


def test_report_status_follows_attestations_and_revocations(dataset):
    call_action("partnercity_hvd_check")
    report = _latest_report()
    assert _status(report, "air-quality") == "needs_attestation"
    items = _open_items(report, "air-quality")
    assert FREE in items and len(items) >= 2
    runs = len(call_action("partnercity_hvd_run_list"))
    recorded = [_attest(dataset, rule=rule, note=f"checked {rule}") for rule in items]
    assert all(a["run"]["status"] == "succeeded" for a in recorded)  # checked again inline
    assert len(call_action("partnercity_hvd_run_list")) == runs + len(items)
    report = _latest_report()
    assert _status(report, "air-quality") == "compliant"
    ds = report["datasets"][0]
    free = next(r for r in ds["results"] if r["rule"] == FREE)
    assert free["outcome"] == "attested"
    assert free["attestation"]["by"] == recorded[0]["by"]
    assert free["attestation"]["evidence_url"] == EVIDENCE
    assert free["attestation"]["note"] == f"checked {FREE}"
    assert report["summary"]["compliant"] == 1 and report["summary"]["needs_attestation"] == 0

    call_action("partnercity_hvd_attestation_revoke", id=recorded[0]["id"], reason="fee found")
    report = _latest_report()
    assert _status(report, "air-quality") == "needs_attestation"
    assert _open_items(report, "air-quality") == [FREE]
    assert report["summary"]["needs_attestation"] == 1


def test_no_recheck_before_the_first_run_or_when_asked_not_to(dataset):
    assert _attest(dataset)["run"] is None  # the first check will apply it
    call_action("partnercity_hvd_check")
    runs = len(call_action("partnercity_hvd_run_list"))
    assert _attest(dataset, rule="hvd.attest.api-terms-qos", recheck=False)["run"] is None
    assert len(call_action("partnercity_hvd_run_list")) == runs


# -- the pages -----------------------------------------------------------------------------


@pytest.mark.ckan_config("ckanext.partnercity.hvd.auditors", AUDITOR)
def test_report_page_attest_and_revoke_forms(app, dataset):
    call_action("partnercity_hvd_check")
    anna = {"Authorization": factories.UserWithToken(name=AUDITOR)["token"]}
    page = app.get("/hvd/report", headers=anna).body
    assert 'id="attestations"' in page and 'action="/hvd/attest"' in page
    german = app.get("/de/hvd/report", headers=anna).body
    assert ">Bestätigungen</h2>" in german and "Bestätigung erfassen" in german
    assert "Bestätigung nötig" in german  # the dataset's badge
    form = {"dataset": "air-quality", "rule": FREE, "evidence_url": EVIDENCE, "note": "ok"}
    app.post("/hvd/attest", data=form, status=403)
    done = app.post("/hvd/attest", data=form, headers=anna, follow_redirects=False)
    assert done.headers["Location"].endswith("/hvd/report#attestations")
    page = app.get("/hvd/report", headers=anna).body
    assert f"Attested by {AUDITOR}" in page and EVIDENCE in page
    (row,) = call_action("partnercity_hvd_attestation_list")
    assert f"/hvd/attestations/{row['id']}/revoke" in page
    bad = app.post("/hvd/attest", data={**form, "evidence_url": "ftp://x"}, headers=anna)
    assert "Must be an http or https URL" in bad.body
    app.post(f"/hvd/attestations/{row['id']}/revoke", data={"reason": "Gebühr"}, headers=anna)
    history = app.get("/hvd/attestations?dataset=air-quality", headers=anna).body
    assert f"revoked by {AUDITOR}" in history and "Gebühr" in history and EVIDENCE in history
    app.get("/hvd/attestations", status=403)


# -- the demo --------------------------------------------------------------------------------


def _demo_seed():
    """scripts/demo_seed.py, loaded from its path (scripts/ is no package)."""
    path = Path(__file__).resolve().parents[3] / "scripts" / "demo_seed.py"
    spec = importlib.util.spec_from_file_location("demo_seed", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_demo_seed_records_its_attestations_once(org):
    seed = _demo_seed()
    names = {name for name, *_ in seed.ATTESTATIONS}
    for name in names:
        call_action("package_create", **compliant(org, name=name))
    admin = ckanapi.LocalCKAN(username=factories.Sysadmin(name="demo-admin")["name"])
    assert seed.attest(admin) == len(seed.ATTESTATIONS)
    assert seed.attest(admin) == 0  # a rerun of the demo adds nothing
    active = call_action("partnercity_hvd_attestation_list", include_revoked=True)
    assert len(active) == len(seed.ATTESTATIONS)
    assert {a["by"] for a in active} == {"demo-admin"}
    assert all(a["evidence_url"].startswith("https://") and a["note"] for a in active)
    call_action("partnercity_hvd_check")
    assert _status(_latest_report(), "arnsberg-air-quality") == "compliant"


def test_admin_tab_lists_the_items_and_its_forms_return_there(app, dataset):
    call_action("partnercity_hvd_check")
    env = {"Authorization": factories.SysadminWithToken()["token"]}
    page = app.get("/ckan-admin/partner-cities/hvd", headers=env).body
    assert 'id="attestations"' in page and "needs attestation" in page
    assert page.count('name="return_to" value="admin"') >= 3  # check now ×2 and attest forms
    form = {"dataset": "air-quality", "rule": FREE, "evidence_url": EVIDENCE, "return_to": "admin"}
    done = app.post("/hvd/attest", data=form, headers=env, follow_redirects=False)
    assert done.headers["Location"].endswith("/ckan-admin/partner-cities/hvd#attestations")
    assert "Attested by" in app.get("/ckan-admin/partner-cities/hvd", headers=env).body
