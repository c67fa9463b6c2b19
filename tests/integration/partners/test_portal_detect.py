"""partnercity_portal_detect through the real HTTP Action API: who may call it, what a
sysadmin gets for a real local portal, and the 409s for bad input and unknown software."""

from __future__ import annotations

import pytest
from ckan.tests import factories

from ckanext.partnercity.harvesters.detect.model import MAX_REQUESTS
from tests.support import detect_portals as portals
from tests.support.http_server import serve

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db")]

ACTION = "/api/3/action/partnercity_portal_detect"


@pytest.fixture
def sysadmin() -> dict:
    return {"Authorization": factories.SysadminWithToken()["token"]}


@pytest.fixture
def user() -> dict:
    return {"Authorization": factories.UserWithToken()["token"]}


def test_sysadmin_gets_type_base_url_title_publishers_and_evidence(app, sysadmin):
    with serve(portals.routes(portals.CKAN)) as server:
        response = app.post(
            ACTION, json={"url": f"{server.url}/dataset/luftqualitaet"}, headers=sysadmin
        )
        sent = len(server.requests)
    assert response.status_code == 200, response.body
    result = response.json["result"]
    assert result["portal_type"] == "ckan"
    assert result["portal_url"] == server.url
    assert result["title"] == "Offene Daten Partnerstadt"
    assert result["publishers"][0] == {
        "id": "stadt-partnerstadt",
        "name": "Stadt Partnerstadt",
        "datasets": 42,
    }
    assert any("CKAN 2.10.4" in line for line in result["evidence"])
    assert result["requests"] == sent <= MAX_REQUESTS


def test_dcat_file_url_is_kept_as_the_portal_url(app, sysadmin):
    with serve(portals.routes(portals.DCAT_FILES)) as server:
        url = f"{server.url}/catalog.ttl"
        response = app.post(ACTION, json={"url": url}, headers=sysadmin)
    assert response.status_code == 200, response.body
    assert (response.json["result"]["portal_type"], response.json["result"]["portal_url"]) == (
        "dcat",
        url,
    )


@pytest.mark.parametrize("who", ["anonymous", "user"])
def test_others_are_refused_and_nothing_is_fetched(app, user, who):
    headers = user if who == "user" else {}
    with serve(portals.routes(portals.CKAN)) as server:
        response = app.post(ACTION, json={"url": server.url}, headers=headers)
        assert server.requests == []
    assert response.status_code == 403


@pytest.mark.parametrize("data", [{}, {"url": ""}, {"url": ["x"]}, {"url": 5}, {"url": "x" * 3000}])
def test_bad_input_is_a_409_naming_url(app, sysadmin, data):
    response = app.post(ACTION, json=data, headers=sysadmin)
    assert response.status_code == 409, response.body
    assert "url" in response.json["error"]


def test_nothing_recognised_is_a_409_saying_what_was_tried(app, sysadmin):
    with serve(portals.routes(portals.PLAIN)) as server:
        response = app.post(ACTION, json={"url": server.url}, headers=sysadmin)
        assert len(server.requests) == MAX_REQUESTS
    assert response.status_code == 409
    message = response.json["error"]["url"][0]
    assert "No supported portal software recognised" in message
    assert "/api/3/action/status_show" in message


@pytest.mark.ckan_config("ckanext.partnercity.allow_private_urls", "false")
def test_private_addresses_are_refused_by_the_configured_policy(app, sysadmin):
    with serve(portals.routes(portals.CKAN)) as server:
        response = app.post(ACTION, json={"url": server.url}, headers=sysadmin)
        assert server.requests == []
    assert response.status_code == 409
    assert "internal address" in response.json["error"]["url"][0]


def test_cli_detect_prints_what_partner_add_needs(ckan_cli):
    with serve(portals.routes(portals.ODS)) as server:
        result = ckan_cli(
            "partnercity", "partner", "detect", f"{server.url}/explore/dataset/arbres/"
        )
    assert result.returncode == 0, result.stderr
    assert "portal type:  opendatasoft" in result.stdout
    assert f"portal URL:   {server.url}\n" in result.stdout
    assert "publisher (--source-filter): Ville Partenaire" in result.stdout
    assert f"--portal-type opendatasoft --portal-url {server.url}" in result.stdout


def test_cli_detect_fails_with_the_reason(ckan_cli):
    with serve(portals.routes(portals.PLAIN)) as server:
        result = ckan_cli("partnercity", "partner", "detect", server.url)
    assert result.returncode == 1
    assert "url: No supported portal software recognised" in result.stderr


def test_a_get_request_does_not_detect(app, sysadmin):
    """The server fetches what it is given: a link a sysadmin follows must not make it."""
    with serve(portals.routes(portals.CKAN)) as server:
        response = app.get(ACTION, query_string={"url": server.url}, headers=sysadmin, status=None)
        assert server.requests == []
    assert response.status_code == 400
