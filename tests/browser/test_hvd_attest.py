"""Attestations on the HVD report page: the demo's recorded ones are shown; a sysadmin attests
an open item through its form, the verdict follows at once, and revokes it again with a
reason that stays in the dataset's history. The pages stay free of serious axe findings."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import LivePortal, screenshot
from tests.browser.pages import axe_violations

POPULATION = "arnsberg-population"  # scripts/demo_seed.py: nothing attested yet
AIR = "arnsberg-air-quality"  # scripts/demo_seed.py: attested by the demo admin
FREE = "hvd.attest.free-of-charge"
DEMO_EVIDENCE = "https://opendata.arnsberg.example/terms#fees"  # demo_seed.py's
EVIDENCE = "https://opendata.arnsberg.example/terms#population-fees"
VOLATILE = '[data-partnercity="hvd-run"], [data-partnercity="attestation"]'


def _dataset(page: Page, name: str):
    return page.locator(f'[data-partnercity="attest-dataset"][data-dataset="{name}"]')


def _item(page: Page, name: str, rule: str):
    return _dataset(page, name).locator(f'[data-partnercity="attest-item"][data-rule="{rule}"]')


def _status(live_portal: LivePortal, name: str) -> str:
    report = live_portal.admin_api("partnercity_hvd_report")["report"]
    return next(ds["status"] for ds in report["datasets"] if ds["ckan_name"] == name)


def test_demo_attestations_are_shown(admin: Page):
    admin.goto("/hvd/report")
    air = _dataset(admin, AIR)
    expect(air.locator('[data-partnercity="hvd-status"]')).to_have_text("compliant")
    free = _item(admin, AIR, FREE)
    expect(free.locator('[data-partnercity="attestation"]')).to_contain_text(
        "Attested by browser-admin"
    )
    expect(free.get_by_role("link", name=DEMO_EVIDENCE)).to_be_visible()
    expect(free.locator("summary")).to_have_text("Revoke")


def test_attest_and_revoke_through_the_page(admin: Page, live_portal: LivePortal):
    assert _status(live_portal, POPULATION) == "needs_attestation"
    admin.goto("/hvd/report")
    population = _dataset(admin, POPULATION)
    expect(population.locator('[data-partnercity="hvd-status"]')).to_have_text("needs attestation")
    item = _item(admin, POPULATION, FREE)
    expect(item).to_contain_text("Not attested yet.")
    item.locator("summary", has_text="Attest").click()
    item.get_by_label("Evidence URL").fill(EVIDENCE)
    item.get_by_label("Note").fill("Statistik-Satzung: keine Gebühren.")
    screenshot(admin, "hvd-attest-form", volatile=VOLATILE)
    violations = axe_violations(admin)
    assert violations == [], f"/hvd/report with the attest form open: {violations}"
    item.get_by_role("button", name="Record attestation").click()

    expect(admin).to_have_url(re.compile(r"/hvd/report#attestations$"))
    expect(admin.locator(".alert").filter(has_text="recorded")).to_be_visible()
    item = _item(admin, POPULATION, FREE)
    expect(item.locator('[data-partnercity="attestation"]')).to_contain_text(
        "Attested by browser-admin"
    )
    expect(item.get_by_role("link", name=EVIDENCE)).to_be_visible()
    attested = live_portal.admin_api("partnercity_hvd_report")["report"]
    ds = next(d for d in attested["datasets"] if d["ckan_name"] == POPULATION)
    free = next(r for r in ds["results"] if r["rule"] == FREE)
    assert free["outcome"] == "attested" and free["attestation"]["evidence_url"] == EVIDENCE

    item.locator("summary", has_text="Revoke").click()
    item.get_by_label("Reason for revoking").fill("Gebührenordnung 2027 in Arbeit")
    item.get_by_role("button", name="Revoke attestation").click()
    expect(admin.locator(".alert").filter(has_text="revoked")).to_be_visible()
    expect(_item(admin, POPULATION, FREE)).to_contain_text("Not attested yet.")
    assert _status(live_portal, POPULATION) == "needs_attestation"

    _dataset(admin, POPULATION).get_by_role(
        "link", name="Attestation history of this dataset"
    ).click()
    expect(admin.locator("h1").first).to_have_text("HVD attestations")
    rows = admin.locator('[data-partnercity="attestation-row"]')
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("revoked by browser-admin")
    expect(rows.first).to_contain_text("Gebührenordnung 2027 in Arbeit")
    expect(rows.first.get_by_role("link", name=EVIDENCE)).to_be_visible()
    violations = axe_violations(admin)
    assert violations == [], f"/hvd/attestations: {violations}"


def test_citizens_get_no_attestation_forms(citizen: Page):
    answer = citizen.goto("/hvd/attestations")
    assert answer is not None and answer.status == 403
    answer = citizen.goto("/hvd/report")
    assert answer is not None and answer.status == 403
    expect(citizen.get_by_role("button", name="Record attestation")).to_have_count(0)
