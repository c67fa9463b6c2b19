"""The admin "Add partner city" form: paste a URL, Detect (a POST round trip, no JavaScript),
pick a publisher, complete the prefilled form, Add; CSRF-protected like the other forms."""

from __future__ import annotations

import html
import re

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.partnercity.harvesters.registry import portal_types
from tests.integration.page_support import SYSADMIN_PASSWORD, logged_in
from tests.support import detect_portals as portals
from tests.support.http_server import serve

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

NEW = "/ckan-admin/partner-cities/new"


@pytest.fixture
def admin(app):
    factories.Sysadmin(name="form-admin", password=SYSADMIN_PASSWORD)
    return logged_in(app, "form-admin")


def _csrf(body: str) -> dict:
    form = re.search(
        r'<form method="post" action="/ckan-admin/partner-cities/new".*?</form>', body, re.S
    )
    assert form, "no add-partner form"
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form.group(0))
    assert token, "the form carries no CSRF token"
    return {"_csrf_token": token.group(1)}


def _value(body: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}" value="([^"]*)"', body)
    return html.unescape(match.group(1)) if match else ""


def test_others_cannot_open_the_form(app):
    user = factories.User(name="form-user", password=SYSADMIN_PASSWORD)
    assert app.get(NEW, status=None).status_code in (302, 401, 403)
    client = logged_in(app, user["name"])
    assert client.get(NEW, status=None).status_code == 403


@pytest.mark.ckan_config("WTF_CSRF_ENABLED", True)
def test_detect_then_pick_a_publisher_then_add(admin):
    first = admin.get(NEW).body
    assert 'name="url"' in first and 'data-partnercity="detect-button"' in first
    assert 'name="country"' not in first  # the rest comes after Detect

    with serve(portals.routes(portals.CKAN)) as server:
        refused = admin.post(NEW, data={"url": server.url, "step": "detect"}, status=None)
        assert refused.status_code in (400, 403)  # no CSRF token
        assert server.requests == []
        data = {**_csrf(first), "url": f"{server.url}/dataset/luftqualitaet", "step": "detect"}
        found = admin.post(NEW, data=data).body

    assert 'data-partnercity="detected" data-portal-type="ckan"' in found
    assert 'data-partnercity="detected-title">Offene Daten Partnerstadt<' in found
    assert "CKAN 2.10.4" in found  # evidence
    assert 'value="stadt-partnerstadt"' in found and "Stadtwerke Partnerstadt" in found
    assert _value(found, "portal_url") == server.url
    assert _value(found, "title") == "Offene Daten Partnerstadt"
    assert _value(found, "name") == "offene-daten-partnerstadt"
    assert re.search(r'<option value="ckan" selected>', found)

    form = {
        **_csrf(found),
        "step": "create",
        "url": f"{server.url}/dataset/luftqualitaet",
        "title": "Partnerstadt",
        "name": "partnerstadt",
        "country": "DE",
        "portal_type": "ckan",
        "portal_url": server.url,
        "source_filter": "stadtwerke",
    }
    done = admin.post(NEW, data=form, follow_redirects=False)
    assert done.status_code == 302
    assert done.headers["Location"].endswith("/ckan-admin/partner-cities/partnerstadt")
    partner = call_action("partnercity_partner_show", id="partnerstadt")
    assert (partner["portal_type"], partner["portal_url"], partner["source_filter"]) == (
        "ckan",
        server.url,
        "stadtwerke",
    )


def test_nothing_detected_shows_what_was_tried_and_no_form(admin):
    with serve(portals.routes(portals.PLAIN)) as server:
        body = admin.post(NEW, data={"url": server.url, "step": "detect"}).body
    assert 'data-partnercity="detect-error"' in body
    assert "No supported portal software recognised" in body
    assert "/api/3/action/status_show" in body
    assert 'data-partnercity="detected"' not in body
    assert 'name="country"' not in body


def test_create_errors_keep_what_was_typed(admin):
    form = {"step": "create", "title": "Nowhere", "name": "nowhere", "portal_type": "ckan"}
    body = admin.post(NEW, data=form).body
    assert _value(body, "title") == "Nowhere"
    assert re.search(r'data-field="country"', body)
    assert re.search(r'data-field="portal_url"', body)
    with pytest.raises(Exception):  # noqa: B017 (ObjectNotFound from the action)
        call_action("partnercity_partner_show", id="nowhere")


def test_detected_type_is_selected_even_when_not_installed_here(admin):
    """udata's harvester may not be installed: the type is still offered, and says so."""
    with serve(portals.routes(portals.UDATA)) as server:
        body = admin.post(NEW, data={"url": f"{server.url}/fr/", "step": "detect"}).body
    option = re.search(r'<option value="udata" selected>([^<]*)</option>', body)
    assert option, "the detected type is not selected"
    installed = "udata" in portal_types()
    assert ("not installed" in option.group(1)) is not installed
    assert "Ville de Partenaire" in body


def test_detect_again_keeps_what_was_typed(admin):
    """Enter in a field of the full form submits Detect again: typed values survive."""
    with serve(portals.routes(portals.CKAN)) as server:
        form = {"url": server.url, "step": "detect", "title": "Meine Stadt", "country": "DE"}
        body = admin.post(NEW, data=form).body
    assert _value(body, "title") == "Meine Stadt"
    assert _value(body, "country") == "DE"
    assert _value(body, "portal_url") == server.url  # from the detection


def _partner_form(**extra: str) -> dict:
    return {
        "step": "create",
        "title": "Alba Iulia",
        "name": "alba-iulia",
        "country": "RO",
        "portal_type": "ckan",
        "portal_url": "https://data.apulum.ro",
        **extra,
    }


def test_a_wikidata_item_is_kept_as_its_entity_uri_and_shown_on_the_partner_page(admin, app):
    done = admin.post(NEW, data=_partner_form(wikidata="Q179909"), follow_redirects=False)
    assert done.status_code == 302
    partner = call_action("partnercity_partner_show", id="alba-iulia")
    assert partner["wikidata"] == "http://www.wikidata.org/entity/Q179909"
    page = app.get("/partner-cities/alba-iulia").body
    link = re.search(
        r'<a href="([^"]+)"[^>]*data-partnercity="partner-wikidata"[^>]*>([^<]+)<', page
    )
    assert link, "no Wikidata link on the partner page"
    assert link.groups() == ("https://www.wikidata.org/wiki/Q179909", "Q179909")


def test_a_partner_without_wikidata_item_shows_no_link(admin, app):
    admin.post(NEW, data=_partner_form(), follow_redirects=False)
    assert not call_action("partnercity_partner_show", id="alba-iulia").get("wikidata")
    assert 'data-partnercity="partner-wikidata"' not in app.get("/partner-cities/alba-iulia").body


def test_a_bad_wikidata_item_is_a_field_error_and_keeps_what_was_typed(admin):
    body = admin.post(NEW, data=_partner_form(wikidata="Alba Iulia")).body
    error = re.search(r'data-field="wikidata">([^<]+)<', body)
    assert error, "no error under the Wikidata field"
    assert "Not a Wikidata item" in html.unescape(error.group(1))
    assert _value(body, "wikidata") == "Alba Iulia"
    assert _value(body, "title") == "Alba Iulia"
    assert 'data-partnercity="form-error"' not in body  # shown at its field, not at the end
    with pytest.raises(Exception):  # noqa: B017 (ObjectNotFound from the action)
        call_action("partnercity_partner_show", id="alba-iulia")


def test_the_partner_edit_form_checks_the_wikidata_item(admin):
    admin.post(NEW, data=_partner_form(), follow_redirects=False)
    edit = "/partner_city/edit/alba-iulia"
    form_page = admin.get(edit).body
    assert 'name="wikidata"' in form_page
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form_page))
    posted = {key: html.unescape(value) for key, value in fields.items()}
    posted.update(save="", portal_type="ckan", wikidata="not an item")
    refused = admin.post(edit, data=posted).body
    assert "Not a Wikidata item" in html.unescape(refused)
    assert not call_action("partnercity_partner_show", id="alba-iulia").get("wikidata")
    posted["wikidata"] = "https://www.wikidata.org/wiki/Q179909"
    admin.post(edit, data=posted)
    saved = call_action("partnercity_partner_show", id="alba-iulia")
    assert saved["wikidata"] == "http://www.wikidata.org/entity/Q179909"
