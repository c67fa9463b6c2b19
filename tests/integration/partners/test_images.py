"""Partners' flags and coats of arms: copied by the portal, served from it, never linked."""

from __future__ import annotations

import pytest
from ckan.tests.helpers import call_action

from ckanext.partnercity.partners import images as partner_images
from tests.support.http_server import serve
from tests.support.images import SVG_WITH_SCRIPT, png

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

BLUE, RED = png(rgb=(0, 43, 127)), png(rgb=(206, 17, 38))


@pytest.fixture
def storage(ckan_config, monkeypatch, tmp_path):
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path))
    return tmp_path


@pytest.fixture
def town_portal():
    """The partner's server: its flag, a script disguised as one, and an outage switch."""
    state = {"down": False}
    files = {
        "/blue.png": ("image/png", BLUE),
        "/red.png": ("image/png", RED),
        "/evil.png": ("image/png", SVG_WITH_SCRIPT),
    }

    def handler(method, path, query):
        if state["down"]:
            return 503, {"Content-Type": "text/plain"}, "maintenance"
        if path in files:
            content_type, body = files[path]
            return 200, {"Content-Type": content_type}, body
        return 404, {"Content-Type": "text/plain"}, "not found"

    with serve(handler) as server:
        server.state = state
        yield server


def _create(server, image: str) -> dict:
    return call_action(
        "partnercity_partner_create",
        name="flag-town",
        title="Flag Town",
        country="RO",
        portal_type="ckan",
        portal_url=server.url + "/",
        image_url=server.url + image,
    )


def test_the_image_is_copied_and_served_by_our_portal(app, storage, town_portal):
    _create(town_portal, "/blue.png")
    page = app.get("/partner-cities").body
    assert town_portal.url + "/blue.png" not in page  # the browser never fetches it there
    assert 'src="/partner-cities/flag-town/image?v=' in page
    profile = app.get("/partner-cities/flag-town").body
    assert (
        'src="/partner-cities/flag-town/image?v=' in profile
        and town_portal.url + "/blue" not in profile
    )
    image = app.get("/partner-cities/flag-town/image")
    assert image.status_code == 200 and image.data == BLUE
    assert image.headers["Content-Type"] == "image/png"
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    assert (storage / "partnercity" / "images" / "flag-town.png").read_bytes() == BLUE


def test_a_script_posing_as_an_image_is_refused_and_the_partner_still_saved(
    app, storage, town_portal
):
    partner = _create(town_portal, "/evil.png")
    assert partner["name"] == "flag-town"
    assert "/partner-cities/flag-town/image" not in app.get("/partner-cities").body
    assert app.get("/partner-cities/flag-town/image").status_code == 404


def test_the_copy_follows_the_url(app, storage, town_portal):
    _create(town_portal, "/blue.png")
    call_action(
        "partnercity_partner_update", id="flag-town", image_url=town_portal.url + "/red.png"
    )
    assert app.get("/partner-cities/flag-town/image").data == RED
    call_action("partnercity_partner_update", id="flag-town", image_url="")
    assert app.get("/partner-cities/flag-town/image").status_code == 404
    assert "/partner-cities/flag-town/image" not in app.get("/partner-cities/flag-town").body


def test_an_outage_keeps_the_copy_a_new_broken_url_drops_it(app, storage, town_portal):
    partner = _create(town_portal, "/blue.png")
    town_portal.state["down"] = True
    assert partner_images.refresh(partner, force=True).startswith("failed: HTTP 503")
    assert app.get("/partner-cities/flag-town/image").data == BLUE
    town_portal.state["down"] = False
    moved = dict(partner, image_url=town_portal.url + "/gone.png")
    assert partner_images.refresh(moved).startswith("failed: HTTP 404")
    assert app.get("/partner-cities/flag-town/image").status_code == 404


def test_a_harvest_fetches_a_week_old_copy_again(app, storage, town_portal):
    partner = _create(town_portal, "/blue.png")
    assert partner_images.refresh(partner) == "unchanged"
    fetches = len([r for r in town_portal.requests if r.path == "/blue.png"])
    meta = storage / "partnercity" / "images" / "flag-town.json"
    meta.write_text(meta.read_text().replace('"fetched": "2', '"fetched": "1'))  # years ago
    call_action("partnercity_harvest", partner="flag-town", full=True, wait=True)
    assert len([r for r in town_portal.requests if r.path == "/blue.png"]) == fetches + 1


def test_deleting_the_partner_deletes_its_image(app, storage, town_portal):
    _create(town_portal, "/blue.png")
    call_action("partnercity_partner_delete", id="flag-town")
    assert not list((storage / "partnercity" / "images").glob("flag-town.*"))
    assert app.get("/partner-cities/flag-town/image").status_code == 404


def test_without_a_storage_path_there_is_no_image(app, ckan_config, monkeypatch, town_portal):
    monkeypatch.setitem(ckan_config, "ckan.storage_path", "")
    _create(town_portal, "/blue.png")
    assert "/partner-cities/flag-town/image" not in app.get("/partner-cities").body
    assert app.get("/partner-cities/flag-town/image").status_code == 404


def test_ckans_own_organization_page_shows_the_local_copy(app, storage, town_portal):
    _create(town_portal, "/blue.png")
    page = app.get("/partner_city/about/flag-town")
    assert page.status_code == 200
    assert "/partner-cities/flag-town/image?v=" in page.body
    assert town_portal.url + "/blue.png" not in page.body.split("<form")[0]
    listing = app.get("/partner_city/").body
    assert "/partner-cities/flag-town/image?v=" in listing and "/blue.png" not in listing
