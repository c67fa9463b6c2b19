"""Add a partner city by pasting a URL: Detect, see what was found, pick a publisher, Add.

The partner portal is a local server in this test process (tests/support/detect_portals.py),
reached by the live portal over 127.0.0.1 like any partner.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import LivePortal, screenshot
from tests.browser.pages import axe_violations, path_of
from tests.support import detect_portals as portals
from tests.support.http_server import serve

NEW = "/ckan-admin/partner-cities/new"


def test_sysadmin_pastes_a_url_detects_picks_a_publisher_and_adds(
    admin: Page, live_portal: LivePortal
):
    admin.goto("/ckan-admin/partner-cities")
    admin.get_by_role("link", name="Add partner city").click()
    assert path_of(admin.url) == NEW
    expect(admin.locator("#field-country")).to_have_count(0)

    with serve(portals.routes(portals.CKAN)) as server:
        admin.locator("#field-url").fill(f"{server.url}/dataset/luftqualitaet")
        admin.get_by_role("button", name="Detect").click()
        detected = admin.locator('[data-partnercity="detected"]')
        expect(detected).to_have_attribute("data-portal-type", "ckan")
        expect(admin.locator('[data-partnercity="detected-url"]')).to_have_text(server.url)
        expect(admin.locator('[data-partnercity="evidence"]')).to_contain_text("CKAN 2.10.4")
        expect(admin.locator("#field-portal_url")).to_have_value(server.url)
        expect(admin.locator("#field-title")).to_have_value("Offene Daten Partnerstadt")
        assert axe_violations(admin) == []
        screenshot(admin, "admin-partner-detect", volatile='[data-partnercity="detected-url"]')

        admin.get_by_label("Stadtwerke Partnerstadt").check()
        admin.locator("#field-title").fill("Partnerstadt")
        admin.locator("#field-name").fill("partnerstadt")
        admin.locator("#field-country").fill("DE")
        admin.get_by_role("button", name="Add partner city").click()

    assert path_of(admin.url) == "/ckan-admin/partner-cities/partnerstadt"
    expect(admin.get_by_text("Partner city added: Partnerstadt")).to_be_visible()
    partner = live_portal.admin_api("partnercity_partner_show", id="partnerstadt")
    assert (partner["portal_type"], partner["source_filter"]) == ("ckan", "stadtwerke")
    # the other browser tests know two partners: leave it that way
    live_portal.portal.ckan("partnercity", "partner", "remove", "partnerstadt", "--yes")


def test_nothing_detected_is_explained(admin: Page):
    with serve(portals.routes(portals.PLAIN)) as server:
        admin.goto(NEW)
        admin.locator("#field-url").fill(server.url)
        admin.get_by_role("button", name="Detect").click()
        expect(admin.locator('[data-partnercity="detect-error"]')).to_contain_text(
            "No supported portal software recognised"
        )
    expect(admin.get_by_role("button", name="Add partner city")).to_have_count(0)
