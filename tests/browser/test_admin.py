"""The partner-cities admin area: closed to everyone but sysadmins; a sysadmin harvests a
partner and reviews a suggested theme mapping, and citizens see the result."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LivePortal, screenshot
from tests.browser.pages import ADMIN_PAGES, EDUCATION_CULTURE_SPORT, csrf_token, path_of

EDUC_URI = "http://publications.europa.eu/resource/authority/data-theme/EDUC"
CULTURE_CATEGORY = "Cultură și turism"  # Alba Iulia's group, suggested for EDUC (< 0.9)
CULTURAL_EVENTS = "Agenda evenimentelor culturale"


def shut_out(page: Page, path: str) -> None:
    answer = page.goto(path)
    assert answer is not None
    on_login = path_of(page.url).startswith("/user/login")
    assert answer.status == 403 or on_login, (path, answer.status, page.url)
    expect(page.get_by_role("button", name="Harvest now")).to_have_count(0)
    expect(page.locator('[data-partnercity="mapping-row"]')).to_have_count(0)


def runs_of(live_portal: LivePortal, partner: str) -> list[dict]:
    return live_portal.admin_api("partnercity_harvest_run_list", partner=partner)


@pytest.mark.parametrize("who", ["anonymous", "registered user"])
def test_non_sysadmins_cannot_reach_admin_pages(
    request: pytest.FixtureRequest, live_portal: LivePortal, who: str
):
    page: Page = request.getfixturevalue("anon" if who == "anonymous" else "citizen")
    for path in ADMIN_PAGES:
        shut_out(page, path)

    # Nor can they post the Harvest now form, even with a valid CSRF token of their session.
    before = len(runs_of(live_portal, "alba-iulia"))
    page.goto("/user/login" if who == "anonymous" else "/dashboard/datasets")
    token = csrf_token(page)
    assert token, "no CSRF token on the page"
    answer = page.request.post(
        "/ckan-admin/partner-cities/alba-iulia/harvest",
        form={"_csrf_token": token},
        max_redirects=0,
    )
    assert answer.status in (302, 403), answer.status
    if answer.status == 302:
        assert "/user/login" in answer.headers["location"]
    assert len(runs_of(live_portal, "alba-iulia")) == before


def test_sysadmin_triggers_harvest_and_sees_the_run(admin: Page, live_portal: LivePortal):
    before = runs_of(live_portal, "mulhouse")
    assert [r["status"] for r in before] == ["succeeded"]  # the set-up's harvest

    admin.goto("/ckan-admin/partner-cities")
    rows = admin.locator("tr, [data-partnercity]").filter(has_text="Mulhouse")
    expect(rows.first).to_be_visible()
    screenshot(admin, "admin-partner-cities")
    admin.locator("form[action$='/ckan-admin/partner-cities/mulhouse/harvest']").get_by_role(
        "button", name="Harvest now"
    ).click()
    expect(admin).to_have_url(re.compile("/ckan-admin/partner-cities/mulhouse$"))

    # The run was queued for the jobs worker; it finishes in the background.
    deadline = time.monotonic() + 90
    while True:
        runs = runs_of(live_portal, "mulhouse")
        if len(runs) == 2 and runs[0]["status"] not in ("queued", "running"):
            break
        assert time.monotonic() < deadline, f"run not finished: {runs[:1]}"
        time.sleep(0.5)
    assert runs[0]["status"] == "succeeded", runs[0]

    admin.reload()
    history = admin.locator('[data-partnercity="run-row"]')
    expect(history).to_have_count(2)
    expect(history.first).to_contain_text("succeeded")
    screenshot(admin, "admin-partner-runs")


def test_sysadmin_accepts_a_suggestion_and_the_theme_page_changes(
    admin: Page, anon: Page, live_portal: LivePortal
):
    theme = f"/themes/{EDUCATION_CULTURE_SPORT}"
    anon.goto(theme)
    alba = anon.locator('[data-partnercity="theme-city-group"]').filter(has_text="Alba Iulia")
    expect(anon.get_by_role("link", name=CULTURAL_EVENTS)).to_have_count(0)

    admin.goto("/ckan-admin/partner-cities/mappings")
    # The suggestion's row: its category, and the suggested theme as its link.
    row = (
        admin.locator('[data-partnercity="mapping-row"]')
        .filter(has_text=CULTURE_CATEGORY)
        .filter(has=admin.get_by_role("link", name="Education, culture and sport", exact=True))
    )
    expect(row).to_have_count(1)
    screenshot(admin, "admin-mappings")
    row.get_by_role("button", name="Accept").click()
    admin.wait_for_load_state()

    decided = [
        m
        for m in live_portal.api("partnercity_mapping_list", origin="decided")
        if m["category"] == CULTURE_CATEGORY
    ]
    assert [(m["concept"], m["rejected"]) for m in decided] == [(EDUC_URI, False)]

    anon.reload()
    expect(alba).to_have_count(1)
    expect(alba.get_by_role("link", name=CULTURAL_EVENTS)).to_be_visible()
