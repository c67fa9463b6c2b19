"""The admin tab "Counterparts" on the demo data: a sysadmin confirms one suggested partner
dataset of our air-quality dataset and rejects another (with a reason) through the forms;
our dataset page then lists the confirmed one first, "Confirmed by our open-data team", and
not the rejected one; the tab speaks German; citizens cannot open it; axe finds no serious
violation before or after deciding."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import LivePortal, screenshot
from tests.browser.pages import axe_violations

PAGE = "/ckan-admin/partner-cities/counterparts"
AIR = "arnsberg-air-quality"  # scripts/demo_seed.py
ROWS = '[data-partnercity="counterpart-row"]'
DECISIONS = '[data-partnercity="counterpart-decision"]'


def suggestions(page: Page, dataset: str):
    return page.locator(f'{ROWS}[data-dataset="{dataset}"]')


def undo(live_portal: LivePortal, reference: str) -> None:
    live_portal.admin_api(
        "partnercity_counterpart_decide", dataset=AIR, reference=reference, decision="undecided"
    )


def test_sysadmin_confirms_one_counterpart_and_rejects_another(
    admin: Page, anon: Page, live_portal: LivePortal
):
    answer = admin.goto(PAGE)
    assert answer is not None and answer.status == 200
    expect(admin.locator("h1").first).to_have_text("Counterparts")
    expect(admin.locator('[data-partnercity="admin-tabs"] .active')).to_have_text("Counterparts")
    rows = suggestions(admin, AIR)
    assert rows.count() >= 2, rows.count()
    expect(rows.first).to_contain_text("Same HVD category")
    assert axe_violations(admin) == [], f"{PAGE}: {axe_violations(admin)}"
    screenshot(admin, "admin-counterparts", volatile=DECISIONS)

    # the runner-up is confirmed, the best suggestion rejected: the page must follow the team
    rejected = rows.nth(0).get_attribute("data-reference") or ""
    confirmed = rows.nth(1).get_attribute("data-reference") or ""
    try:
        rows.nth(1).get_by_role("button", name="Confirm").click()
        expect(admin).to_have_url(re.compile(f"{PAGE}\\?page=1$"))
        expect(admin.locator(".alert").filter(has_text="Confirmed:")).to_be_visible()
        done = admin.locator(f'{DECISIONS}[data-reference="{confirmed}"]')
        expect(done).to_have_attribute("data-decision", "confirmed")
        expect(done).to_contain_text("browser-admin")

        best = admin.locator(f'{ROWS}[data-dataset="{AIR}"][data-reference="{rejected}"]')
        best.get_by_label("Reason (optional)").fill("Yearly report, not measurements")
        best.get_by_role("button", name="Reject").click()
        expect(admin.locator(".alert").filter(has_text="Rejected:")).to_be_visible()
        no = admin.locator(f'{DECISIONS}[data-reference="{rejected}"]')
        expect(no).to_have_attribute("data-decision", "rejected")
        expect(no).to_contain_text("Yearly report, not measurements")
        expect(best).to_have_count(0)  # decided: no longer a suggestion
        expect(
            admin.locator(f'{ROWS}[data-dataset="{AIR}"][data-reference="{confirmed}"]')
        ).to_have_count(0)
        assert axe_violations(admin) == []

        for page in (admin, anon):  # signed in, and as the cached page citizens get
            page.goto(f"/dataset/{AIR}")
            items = page.locator('[data-partnercity="counterpart-item"]')
            expect(items.first).to_contain_text("Confirmed by our open-data team")
            expect(items.first.locator(f'a[href$="/partner_dataset/{confirmed}"]')).to_be_visible()
            related = page.locator('[data-partnercity="related"]')
            expect(related.locator(f'a[href$="/partner_dataset/{rejected}"]')).to_have_count(0)
    finally:
        undo(live_portal, confirmed)
        undo(live_portal, rejected)
    admin.goto(PAGE)  # undone: both are suggestions again
    expect(
        admin.locator(f'{ROWS}[data-dataset="{AIR}"][data-reference="{rejected}"]')
    ).to_be_visible()


def test_the_tab_in_german(admin: Page):
    answer = admin.goto(f"/de{PAGE}")
    assert answer is not None and answer.status == 200
    expect(admin.locator("h1").first).to_have_text("Gegenstücke")
    expect(suggestions(admin, AIR).first).to_contain_text("Gleiche HVD-Kategorie")
    expect(suggestions(admin, AIR).first.get_by_role("button", name="Bestätigen")).to_be_visible()
    assert axe_violations(admin) == []


def test_citizens_cannot_open_the_counterparts_tab(citizen: Page, anon: Page):
    for page in (citizen, anon):
        answer = page.goto(PAGE)
        assert answer is not None and answer.status == 403, answer and answer.status
        expect(page.locator(ROWS)).to_have_count(0)
