"""The partner-cities admin area: closed to everyone but sysadmins; a sysadmin harvests a
partner and reviews a suggested theme mapping, and citizens see the result."""

from __future__ import annotations

import json
import re
import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LivePortal, screenshot
from tests.browser.pages import ADMIN_PAGES, csrf_token, path_of

AUTO_APPLY = 0.9  # ckanext.partnercity.auto_apply_confidence (default)


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
    expect(admin).to_have_url(re.compile(r"/ckan-admin/partner-cities/mulhouse(#run-[\w-]+)?$"))

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


def as_list(value) -> list:
    if isinstance(value, str):
        return json.loads(value) if value.startswith("[") else [value]
    return list(value or [])


def reviewable_suggestion(live_portal: LivePortal) -> tuple[dict, list[dict]]:
    """A suggestion that waits for review (below the auto-apply confidence) whose acceptance
    puts partner references on a theme they are not on yet; and those references."""
    suggestions = [
        m
        for m in live_portal.api("partnercity_mapping_list", origin="suggested")
        if m["partner_id"] and not m["rejected"] and (m["confidence"] or 0) < AUTO_APPLY
    ]
    references = live_portal.api(
        "package_search", fq="dataset_type:partner_dataset", rows=100, sort="name asc"
    )["results"]
    candidates = []
    for mapping in suggestions:
        themed = live_portal.api(
            "package_search", fq=f'partnercity_theme:"{mapping["concept"]}"', rows=100
        )["results"]
        on_theme = {r["id"] for r in themed}
        gaining = [
            r
            for r in references
            if r["owner_org"] == mapping["partner_id"]
            and mapping["category"] in as_list(r.get("partner_categories"))
            and r["id"] not in on_theme
        ]
        # The theme page lists a city's five newest: keep the change within what it shows.
        if gaining and len(gaining) + len(themed) <= 5:
            candidates.append((-mapping["confidence"], mapping["category"], mapping, gaining))
    assert candidates, f"no reviewable suggestion among {suggestions}"
    _, _, mapping, gaining = min(candidates, key=lambda c: c[:2])
    return mapping, gaining


def test_sysadmin_accepts_a_suggestion_and_the_theme_page_changes(
    admin: Page, anon: Page, live_portal: LivePortal
):
    mapping, gaining = reviewable_suggestion(live_portal)
    city = gaining[0]["organization"]["title"]

    admin.goto("/ckan-admin/partner-cities/mappings")
    row = admin.locator(f'[data-partnercity="mapping-row"][data-mapping="{mapping["id"]}"]')
    expect(row).to_contain_text(mapping["category"])
    expect(row).to_contain_text(city)
    screenshot(admin, "admin-mappings")
    theme_link = row.get_by_role("link", name=mapping["concept_label"], exact=True)
    theme_path = path_of(theme_link.get_attribute("href") or "")
    assert theme_path.startswith("/themes/"), theme_path

    # Before: the citizen's theme page does not list the partner's datasets of that category.
    anon.goto(theme_path)
    expect(anon.locator("h1").first).to_contain_text(mapping["concept_label"])
    group = anon.locator('[data-partnercity="theme-city-group"]').filter(has_text=city)
    for reference in gaining:
        expect(anon.get_by_role("link", name=reference["title"], exact=True)).to_have_count(0)

    row.get_by_role("button", name="Accept").click()
    admin.wait_for_load_state()
    expect(admin.locator(".alert-danger, .flash-messages .alert-error")).to_have_count(0)
    decided = [
        m
        for m in live_portal.api("partnercity_mapping_list", origin="decided")
        if m["id"] == mapping["id"]
    ]
    assert [(m["concept"], m["rejected"]) for m in decided] == [(mapping["concept"], False)]

    # After: the same page lists them under the partner city.
    anon.reload()
    for reference in gaining:
        expect(group.get_by_role("link", name=reference["title"], exact=True)).to_be_visible()
