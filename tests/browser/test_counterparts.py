"""The admin tab "Counterparts" on the demo data: a sysadmin confirms one suggested partner
dataset of our air-quality dataset and rejects another (with a reason) through the forms; our
dataset page then lists the confirmed one first, "Confirmed by our open-data team", and not
the rejected one anywhere; the road network is offered no bus stops; Undo forgets; the tab
speaks German; citizens cannot open it; axe finds no serious violation before or after
deciding."""

from __future__ import annotations

import json
import re
import urllib.request

from playwright.sync_api import Page, expect

from tests.browser.conftest import LivePortal, screenshot
from tests.browser.pages import AIR_QUALITY, axe_violations

PAGE = "/ckan-admin/partner-cities/counterparts"
AIR = "arnsberg-air-quality"  # scripts/demo_seed.py
ROADS = "arnsberg-road-network"
COUNTERPART = '[data-partnercity="counterpart-item"]'
ROWS = '[data-partnercity="counterpart-row"]'
DECISIONS = '[data-partnercity="counterpart-decision"]'


def suggestions(page: Page, dataset: str):
    return page.locator(f'{ROWS}[data-dataset="{dataset}"]')


def decide(live_portal: LivePortal, dataset: str, reference: str, decision: str) -> dict:
    """partnercity_counterpart_decide as a script calls it: a POST with the admin's token."""
    body = {"dataset": dataset, "reference": reference, "decision": decision}
    request = urllib.request.Request(
        f"{live_portal.url}/api/3/action/partnercity_counterpart_decide",
        data=json.dumps(body).encode(),
        headers={"Authorization": live_portal.admin_token, "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)["result"]


def undo(live_portal: LivePortal, dataset: str, reference: str) -> None:
    decide(live_portal, dataset, reference, "undecided")


def test_sysadmin_confirms_one_counterpart_and_rejects_another(
    admin: Page, anon: Page, live_portal: LivePortal
):
    answer = admin.goto(PAGE)
    assert answer is not None and answer.status == 200
    expect(admin.locator("h1").first).to_have_text("Counterparts")
    expect(admin.locator('[data-partnercity="admin-tabs"] .active')).to_have_text("Counterparts")
    air = suggestions(admin, AIR).first
    expect(air).to_contain_text("Same HVD category: Air")
    expect(air.get_by_role("link", name=AIR_QUALITY)).to_be_visible()
    expect(air.get_by_role("link", name="Alba Iulia", exact=True)).to_have_attribute(
        "href", re.compile("/partner-cities/alba-iulia$")
    )
    # The demo's road network and the partners' bus stops both declare "Transport networks";
    # their titles name different things, so nothing is suggested for it.
    expect(suggestions(admin, ROADS)).to_have_count(0)
    assert axe_violations(admin) == [], f"{PAGE}: {axe_violations(admin)}"
    screenshot(admin, "admin-counterparts", volatile=DECISIONS)

    confirmed = air.get_attribute("data-reference") or ""
    other = suggestions(admin, AIR).nth(1)
    expect(other).to_be_visible()
    rejected = other.get_attribute("data-reference") or ""
    try:
        air.get_by_role("button", name="Confirm").click()
        expect(admin).to_have_url(re.compile(f"{PAGE}\\?page=1$"))
        expect(admin.locator(".alert").filter(has_text="Confirmed:")).to_be_visible()
        done = admin.locator(f'{DECISIONS}[data-reference="{confirmed}"]')
        expect(done).to_have_attribute("data-decision", "confirmed")
        expect(done).to_contain_text("browser-admin")
        expect(admin.locator(f'{ROWS}[data-reference="{confirmed}"]')).to_have_count(0)

        row = admin.locator(f'{ROWS}[data-dataset="{AIR}"][data-reference="{rejected}"]')
        row.get_by_label("Reason (optional)").fill("An index, not the measurements")
        row.get_by_role("button", name="Reject").click()
        expect(admin.locator(".alert").filter(has_text="Rejected:")).to_be_visible()
        no = admin.locator(f'{DECISIONS}[data-reference="{rejected}"]')
        expect(no).to_have_attribute("data-decision", "rejected")
        expect(no).to_contain_text("An index, not the measurements")
        expect(row).to_have_count(0)  # decided: no longer a suggestion
        assert axe_violations(admin) == []

        for page in (admin, anon):  # signed in, and as the cached page citizens get
            page.goto(f"/dataset/{AIR}")
            first = page.locator(COUNTERPART).first
            expect(first).to_contain_text("Confirmed by our open-data team")
            expect(first.locator(f'a[href$="/partner_dataset/{confirmed}"]')).to_be_visible()
            # rejected: neither a counterpart nor in the same-theme list below them
            related = page.locator('[data-partnercity="related"]')
            expect(related.locator(f'a[href$="/partner_dataset/{rejected}"]')).to_have_count(0)
    finally:
        undo(live_portal, AIR, confirmed)
        undo(live_portal, AIR, rejected)
    admin.goto(PAGE)  # undone: both are suggestions again
    expect(admin.locator(f'{ROWS}[data-reference="{rejected}"]')).to_be_visible()
    expect(admin.locator(f'{ROWS}[data-reference="{confirmed}"]')).to_be_visible()


def test_undo_button_forgets_a_decision(admin: Page, live_portal: LivePortal):
    admin.goto(PAGE)
    reference = suggestions(admin, AIR).first.get_attribute("data-reference") or ""
    decide(live_portal, AIR, reference, "rejected")
    try:
        admin.reload()
        decision = admin.locator(f'{DECISIONS}[data-reference="{reference}"]')
        decision.get_by_role("button", name="Undo").click()
        expect(admin.locator(".alert").filter(has_text="Undone:")).to_be_visible()
        expect(admin.locator(f'{DECISIONS}[data-reference="{reference}"]')).to_have_count(0)
        expect(admin.locator(f'{ROWS}[data-reference="{reference}"]')).to_be_visible()
    finally:
        undo(live_portal, AIR, reference)


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


def test_decide_form_needs_the_csrf_token(admin: Page):
    admin.goto(PAGE)
    reference = suggestions(admin, AIR).first.get_attribute("data-reference") or ""
    answer = admin.request.post(
        f"{PAGE}/decide",
        form={"dataset": AIR, "reference": reference, "decision": "rejected"},
        max_redirects=0,
    )
    assert answer.status == 400, answer.status
    admin.reload()
    expect(admin.locator(f'{DECISIONS}[data-reference="{reference}"]')).to_have_count(0)
