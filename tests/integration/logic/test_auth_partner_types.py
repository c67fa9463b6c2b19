"""Only sysadmins write partner cities and their references, through any of CKAN's actions.

With CKAN's default ``ckan.auth.user_create_organizations = true`` an ordinary user could
otherwise create an organization of type ``partner_city`` with CKAN's own
``organization_create`` and fill it with made-up ``partner_dataset`` references that citizen
pages show as a twin city's data. The user here is even made admin of a real partner city by a
sysadmin, so CKAN's own membership rules would let every write below through: the refusals
come from the extension's chained auth functions (logic/auth.py).
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.integration.harvest_support import register

pytestmark = [
    pytest.mark.integration,
    pytest.mark.usefixtures("clean_db", "clean_index"),
    pytest.mark.ckan_config("ckan.auth.user_create_organizations", True),
]

PARTNER = {
    "country": "RO",
    "portal_url": "https://data.example.ro",
    "portal_type": "ckan",
}
REFERENCE = {
    "partner_identifier": "aq-1",
    "partner_landing_page": "https://data.example.ro/dataset/aq",
    "resources": [{"url": "https://data.example.ro/aq.csv", "format": "CSV"}],
}


@pytest.fixture
def world() -> dict:
    """A partner city (the user is its admin), one reference, and the user's own org."""
    user = factories.UserWithToken()
    partner = register("alba-iulia", "https://data.example.ro")
    call_action("organization_member_create", id=partner["id"], username=user["name"], role="admin")
    ref = call_action(
        "package_create",
        type="partner_dataset",
        name="alba-aq",
        title="Calitatea aerului",
        owner_org=partner["id"],
        **REFERENCE,
    )
    own = factories.Organization(users=[{"name": user["name"], "capacity": "admin"}])
    mine = factories.Dataset(owner_org=own["id"], name="my-benches")
    return {
        "env": {"Authorization": user["token"]},
        "user": user,
        "partner": partner,
        "ref": ref,
        "resource": ref["resources"][0],
        "own": own,
        "mine": mine,
    }


def _post(app, action: str, data: dict, env: dict, status: int | tuple[int, ...]):
    answer = app.post(f"/api/action/{action}", json=data, headers=env)
    expected = status if isinstance(status, tuple) else (status,)
    assert answer.status_code in expected, (action, answer.status_code, answer.body)
    return answer


@pytest.mark.parametrize("action", ["organization_create", "group_create"])
def test_an_ordinary_user_cannot_create_a_partner_city(app, action):
    env = {"Authorization": factories.UserWithToken()["token"]}
    rogue = {"name": "rogue-city", "title": "Rogue", "type": "partner_city", **PARTNER}
    rogue["image_url"] = "http://127.0.0.1:6379/"
    answer = _post(app, action, rogue, env, 403)
    assert "sysadmins" in answer.json["error"]["message"]
    assert model.Group.get("rogue-city") is None
    # an ordinary organization is still CKAN's business
    _post(app, "organization_create", {"name": "my-club"}, env, 200)


def test_an_ordinary_user_cannot_turn_an_organization_into_a_partner(app, world):
    own, env = world["own"], world["env"]
    for action in ("organization_update", "organization_patch"):
        data = {"id": own["id"], "name": own["name"], "type": "partner_city", **PARTNER}
        _post(app, action, data, env, (403, 409))  # CKAN 2.11 also refuses a new type
    assert model.Group.get(own["id"]).type == "organization"
    _post(app, "organization_patch", {"id": own["id"], "title": "Benches"}, env, 200)


def test_an_ordinary_user_cannot_create_or_retype_partner_references(app, world):
    env, own = world["env"], world["own"]
    fake = {"type": "partner_dataset", "name": "phishing", "owner_org": own["id"], **REFERENCE}
    _post(app, "package_create", fake, env, 403)
    retype = {"id": world["mine"]["id"], "type": "partner_dataset"}
    _post(app, "package_patch", retype, env, 403)
    assert model.Package.get("phishing") is None
    assert model.Package.get(world["mine"]["id"]).type == "dataset"
    mine = {"name": "more-benches", "notes": "Benches", "owner_org": own["id"]}
    _post(app, "package_create", mine, env, 200)


# action -> the request, from the world fixture; each would pass CKAN's own rules
WRITES = {
    "organization_update": lambda w: {"id": w["partner"]["id"], "title": "Phish", **PARTNER},
    "organization_patch": lambda w: {"id": w["partner"]["id"], "title": "Phish"},
    "organization_delete": lambda w: {"id": w["partner"]["id"]},
    "organization_member_create": lambda w: {
        "id": w["partner"]["id"],
        "username": factories.User()["name"],
        "role": "editor",
    },
    "member_create": lambda w: {
        "id": w["partner"]["id"],
        "object": w["mine"]["id"],
        "object_type": "package",
        "capacity": "public",
    },
    "bulk_update_private": lambda w: {"org_id": w["partner"]["id"], "datasets": [w["ref"]["id"]]},
    "bulk_update_delete": lambda w: {"org_id": w["partner"]["id"], "datasets": [w["ref"]["id"]]},
    "package_create": lambda w: {"name": "phish", "owner_org": w["partner"]["id"]},
    "package_update": lambda w: {**w["ref"], "title": "Phish"},
    "package_patch": lambda w: {"id": w["ref"]["id"], "title": "Phish"},
    "package_revise": lambda w: {"match": {"id": w["ref"]["id"]}, "update": {"title": "Phish"}},
    "package_delete": lambda w: {"id": w["ref"]["id"]},
    "package_owner_org_update": lambda w: {
        "id": w["mine"]["id"],
        "organization_id": w["partner"]["id"],
    },
    "resource_create": lambda w: {"package_id": w["ref"]["id"], "url": "https://phish.example"},
    "resource_update": lambda w: {**w["resource"], "url": "https://phish.example"},
    "resource_patch": lambda w: {"id": w["resource"]["id"], "url": "https://phish.example"},
    "resource_delete": lambda w: {"id": w["resource"]["id"]},
}


@pytest.mark.parametrize("action", sorted(WRITES))
def test_even_a_partner_member_cannot_change_partner_data(app, world, action):
    _post(app, action, WRITES[action](world), world["env"], 403)
    partner = model.Group.get(world["partner"]["id"])
    ref = model.Package.get(world["ref"]["id"])
    assert (partner.title, partner.state) == ("Alba Iulia", "active")
    assert (ref.title, ref.state, ref.private) == ("Calitatea aerului", "active", False)
    assert [r.url for r in ref.resources] == ["https://data.example.ro/aq.csv"]
    assert model.Package.get(world["mine"]["id"]).owner_org == world["own"]["id"]


def test_views_on_partner_resources_are_for_sysadmins(world):
    """No view plugin is loaded in the tests, so the action would stop at validation."""
    context = {"user": world["user"]["name"]}
    with pytest.raises(tk.NotAuthorized):
        tk.check_access("resource_view_create", context, {"resource_id": world["resource"]["id"]})


def test_sysadmins_still_manage_partners_through_ckan_actions(app, world):
    env = {"Authorization": factories.SysadminWithToken()["token"]}
    _post(app, "package_patch", {"id": world["ref"]["id"], "title": "Aer"}, env, 200)
    _post(app, "organization_patch", {"id": world["partner"]["id"], "title": "Apulum"}, env, 200)
    assert model.Group.get(world["partner"]["id"]).title == "Apulum"
