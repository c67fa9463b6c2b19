"""The admin tab "HVD duties" on the demo data: the demo city's datasets without an HVD
category get suggestions (the library's opening hours none); a sysadmin accepts one (the
dataset gets the category and the ELI) and rejects another with a reason (kept, and the
category is not suggested again); the report shows the section "possibly in scope, not
declared"; citizens cannot open the page; axe finds no serious violation."""

from __future__ import annotations

import json
import re
import urllib.request

from playwright.sync_api import Page, expect

from tests.browser.conftest import LivePortal, screenshot
from tests.browser.pages import axe_violations

PAGE = "/ckan-admin/partner-cities/hvd-duties"
ELI = "http://data.europa.eu/eli/reg_impl/2023/138/oj"
# scripts/demo_seed.py: UNDECLARED
NOISE = "arnsberg-laermkarte-strassenverkehr"
PLANS = "arnsberg-bebauungsplaene"
DEMO_UNDECLARED = {NOISE, PLANS, "arnsberg-haltestellen-oepnv", "arnsberg-adressen"}
LIBRARY = "arnsberg-oeffnungszeiten-bibliothek"
ROWS = '[data-partnercity="duty-row"]'


def row(page: Page, dataset: str, category: str = ""):
    selector = f'{ROWS}[data-dataset="{dataset}"]'
    if category:
        selector += f'[data-category="{category}"]'
    return page.locator(selector)


def post(live_portal: LivePortal, action: str, data: dict) -> dict:
    """An Action API POST with the sysadmin's token, as a script makes it (no session)."""
    request = urllib.request.Request(
        f"{live_portal.url}/api/3/action/{action}",
        data=json.dumps(data).encode(),
        headers={"Authorization": live_portal.admin_token, "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)["result"]


def test_the_report_has_the_section_possibly_in_scope(admin: Page):
    admin.goto("/hvd/report")
    section = admin.locator('[data-partnercity="hvd-duties-section"]')
    expect(section.locator("h2")).to_have_text("Possibly in scope, not declared")
    expect(section.locator(f'tr[data-dataset="{NOISE}"]')).to_contain_text("Noise")
    expect(section.locator(f'tr[data-dataset="{LIBRARY}"]')).to_have_count(0)


def test_sysadmin_accepts_one_suggestion_and_rejects_another(admin: Page, live_portal: LivePortal):
    answer = admin.goto(PAGE)
    assert answer is not None and answer.status == 200
    expect(admin.locator("h1").first).to_have_text("HVD duties")
    expect(admin.locator('[data-partnercity="admin-tabs"] .active')).to_have_text("HVD duties")
    listed = {r.get_attribute("data-dataset") for r in admin.locator(ROWS).all()}
    assert len(listed & DEMO_UNDECLARED) >= 2, listed
    assert LIBRARY not in listed and "arnsberg-air-quality" not in listed, listed
    noise = row(admin, NOISE).first
    expect(noise).to_contain_text("Noise")
    expect(noise).to_contain_text("Annex §2")
    expect(noise.get_by_role("link", name="Lärmkarte Straßenverkehr")).to_be_visible()
    violations = axe_violations(admin)
    assert violations == [], f"{PAGE}: {violations}"
    screenshot(admin, "admin-hvd-duties", volatile='[data-partnercity="duty-decisions"]')

    before = live_portal.admin_api("package_show", id=NOISE)
    category = noise.get_attribute("data-category") or ""
    try:
        noise.get_by_role("button", name="Accept").click()
        expect(admin).to_have_url(re.compile(f"{PAGE}$"))
        expect(admin.locator(".alert").filter(has_text="Accepted")).to_be_visible()
        expect(row(admin, NOISE)).to_have_count(0)
        pkg = live_portal.admin_api("package_show", id=NOISE)
        assert pkg["hvd_category"] == [category]
        assert ELI in pkg["applicable_legislation"]

        plans = row(admin, PLANS).first
        rejected = plans.get_attribute("data-category") or ""
        plans.get_by_role("button", name="Reject").click()  # no reason: the form stays
        expect(admin.locator(".alert").filter(has_text="Rejected")).to_have_count(0)
        plans.get_by_label("Reason for rejecting").fill("Sketches only; the plans are not GIS data")
        plans.get_by_role("button", name="Reject").click()
        expect(admin.locator(".alert").filter(has_text="Rejected")).to_be_visible()
        expect(row(admin, PLANS, rejected)).to_have_count(0)

        decisions = admin.locator('[data-partnercity="duty-decision"]')
        expect(decisions.filter(has_text="Sketches only")).to_have_attribute(
            "data-decision", "rejected"
        )
        accepted = admin.locator(f'[data-partnercity="duty-decision"][data-dataset="{NOISE}"]')
        expect(accepted).to_have_attribute("data-decision", "accepted")
        admin.reload()  # kept: still not suggested
        expect(row(admin, PLANS, rejected)).to_have_count(0)
        assert not live_portal.admin_api("package_show", id=PLANS).get("hvd_category")
        assert axe_violations(admin) == []
    finally:
        # Later tests count the demo's HVD datasets: the noise map goes back to undeclared.
        post(live_portal, "package_update", before)


def test_citizens_cannot_open_the_duties_page(citizen: Page, anon: Page):
    for page in (citizen, anon):
        answer = page.goto(PAGE)
        assert answer is not None and answer.status == 403, answer and answer.status
        expect(page.get_by_text("Lärmkarte Straßenverkehr")).to_have_count(0)
