"""The HVD compliance report and the admin tab "HVD status": readable by sysadmins (the
default visibility, auditors) and shut to anonymous visitors; English and German; a
sysadmin's "Check now" queues a run that the jobs worker finishes."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Page, expect

from tests.browser.conftest import LivePortal, screenshot
from tests.browser.pages import axe_violations, path_of

WEATHER = "Wetterstationen: Tageswerte"  # the demo's non-compliant HVD dataset without API
METEO = "Meteorological"  # its HVD category
ENVIRONMENT = "Earth observation and environment"  # the compliant air-quality dataset's
# The "Checked on <date>" line (with the run's downloads) changes from run to run.
VOLATILE = '[data-partnercity="hvd-run"]'


def runs_of(live_portal: LivePortal, scope: str) -> list[dict]:
    return live_portal.admin_api("partnercity_hvd_run_list", scope=scope)


def test_sysadmin_reads_the_report_and_downloads_csv(admin: Page):
    answer = admin.goto("/hvd/report")
    assert answer is not None and answer.status == 200
    expect(admin.locator("h1").first).to_have_text("HVD compliance report")

    categories = admin.locator("table").filter(
        has=admin.get_by_role("columnheader", name="HVD category")
    )
    summary = categories.first
    expect(admin.locator("h2#categories")).to_have_text("Summary per category")
    # Per top-level category: the weather stations are the only, non-compliant meteo dataset.
    expect(summary.locator("tbody tr")).to_have_count(4)
    meteo = summary.locator("tbody tr").filter(has_text=METEO)
    # in scope, compliant, needs attestation, %, trend
    expect(meteo.locator("td")).to_have_text([re.compile(METEO), "1", "0", "0", "0.0", ""])
    expect(summary.locator("tbody tr").filter(has_text=ENVIRONMENT)).to_contain_text("100.0")

    datasets = admin.locator("h2#datasets + table tbody tr")
    weather = datasets.filter(has_text=WEATHER)
    expect(weather).to_have_count(1)
    expect(weather.locator("td.non_compliant")).to_have_text("non-compliant")
    expect(weather.get_by_role("link", name=WEATHER)).to_have_attribute(
        "href", re.compile("/dataset/arnsberg-weather-stations$")
    )
    failed = admin.locator("h2#failed + table tbody tr").filter(has_text=WEATHER)
    assert failed.count() >= 1
    expect(failed.locator("td.violation").first).to_be_visible()
    screenshot(admin, "hvd-report", volatile=VOLATILE)

    violations = axe_violations(admin)
    assert violations == [], f"/hvd/report: {violations}"

    link = admin.locator('[data-partnercity="hvd-run"]').get_by_role("link", name="CSV")
    href = link.get_attribute("href") or ""
    assert path_of(href).startswith("/hvd/report.csv"), href
    download = admin.request.get(href)
    assert download.ok, download.status
    assert download.headers["content-type"].startswith("text/csv"), download.headers
    assert "arnsberg-weather-stations" in download.text() or WEATHER in download.text()


def test_anonymous_visitor_cannot_read_the_report(anon: Page):
    # test.ini sets no ckanext.partnercity.hvd.report_visibility: the default, auditors.
    for path in ("/hvd/report", "/hvd/report.csv", "/de/hvd/report"):
        answer = anon.goto(path)
        assert answer is not None and answer.status == 403, (path, answer and answer.status)
        expect(anon.get_by_text(WEATHER)).to_have_count(0)
    expect(anon.get_by_role("button", name="Check now")).to_have_count(0)


def test_german_report(admin: Page):
    answer = admin.goto("/de/hvd/report")
    assert answer is not None and answer.status == 200
    expect(admin.locator("html")).to_have_attribute("lang", re.compile("^de"))
    expect(admin.locator("h1").first).to_have_text("HVD-Konformitätsbericht")
    expect(admin.locator("h2#categories")).to_have_text("Übersicht je Kategorie")
    expect(admin.locator("h2#failed")).to_have_text("Nicht erfüllte Regeln")
    expect(admin.get_by_role("button", name="Jetzt prüfen")).to_be_visible()
    screenshot(admin, "hvd-report-de", volatile=VOLATILE)


def test_admin_tab_shows_latest_checks_and_check_now_runs_one(admin: Page, live_portal: LivePortal):
    before = runs_of(live_portal, "own")
    assert [r["status"] for r in before] == ["succeeded"]  # the set-up's check
    assert [r["status"] for r in runs_of(live_portal, "partners")] == ["succeeded"]

    admin.goto("/ckan-admin/partner-cities/hvd")
    own = admin.locator('[data-partnercity="admin-hvd-own"]')
    partners = admin.locator('[data-partnercity="admin-hvd-partners"]')
    # the demo's air quality is compliant through its recorded attestations; population waits
    expect(own).to_contain_text("4 in HVD scope, 1 compliant, 2 not compliant, 1 need attestation")
    expect(own.get_by_role("link", name="Open the report")).to_be_visible()
    expect(partners).to_contain_text("in HVD scope")
    expect(partners.locator(".empty")).to_have_count(0)
    screenshot(admin, "admin-hvd")  # the runs with their dates stay folded

    own.get_by_role("button", name="Check now").click()
    expect(admin).to_have_url(re.compile("/ckan-admin/partner-cities/hvd$"))
    expect(admin.locator(".alert").filter(has_text="queued")).to_be_visible()

    deadline = time.monotonic() + 90
    while True:
        runs = runs_of(live_portal, "own")
        if len(runs) == len(before) + 1 and runs[0]["status"] not in ("queued", "running"):
            break
        assert time.monotonic() < deadline, f"HVD run not finished: {runs[:1]}"
        time.sleep(0.5)
    assert runs[0]["status"] == "succeeded", runs[0]

    admin.reload()
    own.locator("summary").click()
    expect(own.locator("details li")).to_have_count(len(before) + 1)
