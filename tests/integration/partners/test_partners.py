"""Partner cities: scheming type, actions, validation, auth for every action."""

from __future__ import annotations

import ckan.plugins as p
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.partnercity.logic import auth

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

ALBA = {
    "name": "alba-iulia",
    "title": "Alba Iulia",
    "country": "ro",
    "languages": ["ro", "en"],
    "portal_url": "http://127.0.0.1:9/",
    "portal_type": "ckan",
    "partnership_since": "1997",
    "description": "Twin city since 1997.",
}

ACTIONS = {
    "partnercity_partner_create": dict(ALBA, name="other-city"),
    "partnercity_partner_update": {"id": "alba-iulia", "title": "X"},
    "partnercity_partner_delete": {"id": "alba-iulia"},
    "partnercity_partner_show": {"id": "alba-iulia"},
    "partnercity_harvest": {"partner": "alba-iulia"},
    "partnercity_harvest_run_list": {},
    "partnercity_harvest_run_show": {"id": "nope"},
}


@pytest.fixture
def alba():
    return call_action("partnercity_partner_create", **ALBA)


def test_create_normalizes_and_shows_fields(alba):
    assert alba["type"] == "partner_city"
    assert alba["country"] == "RO"
    assert alba["languages"] == ["ro", "en"]
    assert alba["partnership_since"] == 1997
    assert alba["portal_type"] == "ckan"
    assert alba["references_active"] == 0
    assert alba["last_run"] is None
    assert alba["last_successful_harvest"] is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("country", "XX", "ISO 3166-1"),
        ("languages", ["ro", "xx"], "ISO 639-1"),
        ("portal_url", "ftp://data.example.org/", "only http"),
        ("portal_type", "sharepoint", "unexpected choice"),
        ("partnership_since", "1492", "plausible year"),
        ("source_filter", 'hamm"; DROP TABLE', "organization name"),
        ("name", "compare", "reserved"),  # /partner-cities/compare is the compare page
        ("name", "new", "reserved"),  # /ckan-admin/partner-cities/new adds a partner
    ],
)
def test_create_rejects_bad_values(field, value, message):
    with pytest.raises(Exception) as raised:
        call_action("partnercity_partner_create", **dict(ALBA, **{field: value}))
    assert field in raised.value.error_dict
    assert message in str(raised.value.error_dict[field])


def test_private_portal_url_refused_when_not_allowed(ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.partnercity.allow_private_urls", False)
    with pytest.raises(Exception) as raised:
        call_action("partnercity_partner_create", **ALBA)
    assert "internal address" in str(raised.value.error_dict["portal_url"])


def test_update_keeps_other_fields(alba):
    updated = call_action("partnercity_partner_update", id="alba-iulia", source_filter="primaria")
    assert updated["source_filter"] == "primaria"
    assert updated["country"] == "RO"
    assert updated["languages"] == ["ro", "en"]


def test_list_is_public_and_minimal(app, alba):
    factories.Organization(name="our-own-department")
    listed = app.get("/api/3/action/partnercity_partner_list").json["result"]
    # What the partner's public organization page shows anyway (the partnership graph
    # publishes languages and the Wikidata item too), nothing of the harvest set-up (portal
    # type, source filter).
    assert listed == [
        {
            "name": "alba-iulia",
            "title": "Alba Iulia",
            "country": "RO",
            "languages": ["ro", "en"],
            "wikidata": None,
            "portal_url": "http://127.0.0.1:9/",
            "partnership_since": 1997,
            "description": "Twin city since 1997.",
            "image_url": "",
            "references_active": 0,
            "last_successful_harvest": None,
        }
    ]


def test_ordinary_organization_is_not_a_partner():
    org = factories.Organization()
    with pytest.raises(Exception) as raised:
        call_action("partnercity_partner_show", id=org["name"])
    assert raised.value.__class__.__name__ == "NotFound"


def test_delete_removes_partner_but_not_our_datasets(alba):
    ours = factories.Dataset(owner_org=factories.Organization()["id"])
    result = call_action("partnercity_partner_delete", id="alba-iulia")
    assert result == {"name": "alba-iulia", "references_removed": 0}
    assert call_action("partnercity_partner_list") == []
    assert call_action("package_show", id=ours["id"])["state"] == "active"


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_sysadmin_only_actions_refuse_anonymous_and_users(app, alba, action):
    user = factories.UserWithToken()
    for headers in ({}, {"Authorization": user["token"]}):
        response = app.post(f"/api/3/action/{action}", json=ACTIONS[action], headers=headers)
        assert response.status_code == 403, (action, headers, response.body)
        assert response.json["error"]["__type"] == "Authorization Error"


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_sysadmin_may_call_every_action(app, alba, action):
    admin = factories.SysadminWithToken()
    data = dict(ACTIONS[action])
    if action == "partnercity_harvest_run_show":
        # A run to show: the partner's portal (port 9) refuses, so the run fails quickly.
        data["id"] = call_action("partnercity_harvest", partner="alba-iulia", wait=True)["id"]
    response = app.post(
        f"/api/3/action/{action}", json=data, headers={"Authorization": admin["token"]}
    )
    assert response.status_code == 200, response.body
    assert response.json["success"] is True


def test_public_actions_answer_anonymous(app):
    for action in ("partnercity_partner_list", "partnercity_status"):
        assert app.get(f"/api/3/action/{action}").status_code == 200


# What the plugin registered before registration moved to blankets; the dcat chains
# follow the loaded ckanext-dcat plugins (test.ini loads dcat, not dcat_json_interface).
REGISTERED_ACTIONS = {
    "dcat_catalog_search",
    "dcat_catalog_show",
    "dcat_dataset_show",
    *(f"partnercity_{name}" for name in (
        "compare", "concept_list", "concept_show", "counterpart_decide", "harvest",
        "harvest_run_list",
        "harvest_run_show", "hvd_attest", "hvd_attestation_list", "hvd_attestation_revoke",
        "hvd_check", "hvd_duty_decide", "hvd_duty_decision_list", "hvd_duty_list",
        "hvd_report", "hvd_run_list", "hvd_suggest", "mapping_decide",
        "mapping_export", "mapping_list", "partner_create", "partner_delete",
        "partner_list", "partner_show", "partner_update", "portal_detect", "related", "scheme_list",
        "scheme_load", "status", "theme_suggest",
    )),
}  # fmt: skip
REGISTERED_VALIDATORS = {
    f"partnercity_{name}"
    for name in (
        "cap_list", "cap_markdown", "cap_text", "confidence", "country", "http_url",
        "hvd_category", "hvd_legislation", "hvd_service_category", "languages",
        "partner_name", "portal_type", "portal_url", "reference_status", "source_filter",
        "translations", "wikidata", "year",
    )
}  # fmt: skip
REGISTERED_HELPERS = {
    "humanize_entity_type",
    "markdown_extract",
    *(f"partnercity_{name}" for name in (
        "country_name", "dataset_themes", "date", "decimal", "hvd_category_choices",
        "hvd_category_label", "hvd_duties", "last_checked", "organization_image",
        "partner_categories", "partner_image", "partners", "portal_type_choices", "related",
        "stylesheet_url", "reference_jsonld", "city_jsonld", "title",
        "theme_url",
    )),
}  # fmt: skip


def test_registered_names_are_unchanged():
    plugin = p.get_plugin("partnercity")
    assert set(plugin.get_actions()) == REGISTERED_ACTIONS
    partnercity_actions = {name for name in REGISTERED_ACTIONS if name.startswith("partnercity_")}
    # plus chained guards on CKAN's own write actions (partner types are for sysadmins)
    assert set(plugin.get_auth_functions()) == partnercity_actions | set(auth.GUARDED)
    assert set(plugin.get_validators()) == REGISTERED_VALIDATORS
    assert set(plugin.get_helpers()) == REGISTERED_HELPERS
    assert [bp.name for bp in plugin.get_blueprint()] == [
        "partnercity",
        "partnercity_pages",
        "partnercity_admin",
        "partnercity_hvd",
        "partnercity_hvd_duties",
        "partnercity_hvd_attest",
    ]
    assert [command.name for command in plugin.get_commands()] == ["partnercity"]


@pytest.mark.parametrize("value", [[""], [" ", "  "], [None], [5]])
def test_bad_languages_are_refused_and_keep_the_field(app, alba, value):
    sysadmin = factories.SysadminWithToken()
    answer = app.post(
        "/api/3/action/partnercity_partner_update",
        json={"id": "alba-iulia", "languages": value},
        headers={"Authorization": sysadmin["token"]},
    )
    assert answer.status_code == 409 and "languages" in answer.json["error"]
    assert call_action("partnercity_partner_show", id="alba-iulia")["languages"] == ["ro", "en"]


@pytest.mark.parametrize("value", [[], ""])
def test_languages_can_be_cleared_on_purpose(alba, value):
    call_action("partnercity_partner_update", id="alba-iulia", languages=value)
    assert call_action("partnercity_partner_show", id="alba-iulia")["languages"] == []
