"""Bad input to every partnercity_* action, through the real HTTP Action API.

The actions are enumerated from the plugin's registry and their fields from their navl
schemas (logic/schema.py), so a new action or field is covered without editing this file:
wrong types, missing required fields, negative and huge numbers must be refused (403 for
who may not call, 409 naming the field for who may), never answered with a 500.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.partnercity.logic import schema

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

REFUSED = (403, 409)
HUGE = 10**30


def _registered_actions() -> list[str]:
    plugin = p.get_plugin("partnercity")
    return sorted(name for name in plugin.get_actions() if name.startswith("partnercity_"))


ACTIONS = _registered_actions()


def _kind(validators: Any) -> str:
    """What a schema field expects, read from its validators."""
    if isinstance(validators, dict):
        return "objects"
    if any(getattr(v, "maximum", None) is not None for v in validators):
        return "number"
    for validator, kind in (
        (schema.flag, "flag"),
        (schema.id_list, "ids"),
        (schema.text, "string"),
        (schema.text_or_bytes, "string"),
    ):
        if validator in validators:
            return kind
    raise AssertionError(f"no input cases for validators {validators}")


def _maximum(validators: list) -> int:
    return next(v.maximum for v in validators if getattr(v, "maximum", None) is not None)


def bad_values(validators: Any) -> list[Any]:
    """Values of the wrong type or out of range for a field with these validators."""
    kind = _kind(validators)
    if kind == "objects":
        return ["text", 5, {"label": "x"}, [1, ["x"]], [{"label": ["x"]}], [{"lang": 7}]]
    if kind == "number":
        top = _maximum(validators)
        return ["x", "1e400", ["1"], {"n": 1}, [{"n": 1}], 1.5, -1, "-5", top + 1, HUGE]
    if kind == "flag":
        return ["maybe", ["true"], {"on": True}, 7, -1, 1.5]
    if kind == "ids":
        return [5, {"id": "x"}, [1, 2], [["x"]], [{"id": "x"}], True]
    return [["x"], {"x": "y"}, [{"x": "y"}], 5, -1, HUGE, 1.5, True]


def required(validators: Any) -> bool:
    if isinstance(validators, dict) or not validators:
        return False
    first = validators[0]
    needed = (tk.get_validator("not_empty"), tk.get_validator("not_missing"))
    return first in needed or hasattr(first, "alternatives")


@pytest.fixture
def sysadmin_headers() -> dict:
    return {"Authorization": factories.SysadminWithToken()["token"]}


def _post(app, action: str, data: dict, headers: dict):
    return app.post(f"/api/3/action/{action}", json=data, headers=headers)


def test_every_action_has_a_schema():
    assert ACTIONS, "no partnercity_* action registered"
    assert set(ACTIONS) == set(schema.SCHEMAS)


@pytest.mark.parametrize("action", ACTIONS)
def test_wrong_types_and_numbers_are_refused_never_a_500(app, sysadmin_headers, action):
    fields = schema.SCHEMAS[action]()
    checked = 0
    for field, validators in fields.items():
        for value in bad_values(validators):
            for who, headers in (("anonymous", {}), ("sysadmin", sysadmin_headers)):
                response = _post(app, action, {field: value}, headers)
                case = (action, who, field, value, response.status_code, response.body[:300])
                assert response.status_code in REFUSED, case
                if who == "sysadmin":
                    assert response.status_code == 409, case
                    assert field in response.json["error"], case
                checked += 1
    assert checked or not fields


def _needed(action: str) -> list[str]:
    return [field for field, v in schema.SCHEMAS[action]().items() if required(v)]


@pytest.mark.parametrize("action", [a for a in ACTIONS if _needed(a)])
def test_missing_required_fields_are_named(app, sysadmin_headers, action):
    needed = _needed(action)
    assert _post(app, action, {}, {}).status_code in REFUSED
    response = _post(app, action, {}, sysadmin_headers)
    assert response.status_code == 409, response.body
    for field in needed:
        assert field in response.json["error"], (field, response.json["error"])


def _lookups(action: str) -> list[str]:
    """The fields that name something to look up (partner_create names what it creates)."""
    if action == "partnercity_partner_create":
        return []
    return [f for f in ("id", "uri", "partner", "run_id") if f in schema.SCHEMAS[action]()]


@pytest.mark.parametrize("action", [a for a in ACTIONS if _lookups(a)])
def test_unknown_ids_are_not_found_or_refused(app, sysadmin_headers, action):
    """A well-formed id or name that does not exist: 404 at most, never a 500."""
    names = _lookups(action)
    for headers in ({}, sysadmin_headers):
        for field in names:
            response = _post(app, action, {field: "does-not-exist"}, headers)
            assert response.status_code in (*REFUSED, 404), (field, response.body[:300])


def test_today_accepted_inputs_still_work(app, sysadmin_headers):
    """Booleans as strings, ids as a comma string, limits as strings, empty limits."""
    ok = [
        ("partnercity_harvest_run_list", {"limit": "5", "offset": "0"}),
        ("partnercity_harvest_run_list", {"limit": "", "offset": None}),
        ("partnercity_hvd_run_list", {"limit": 0, "scope": "partners"}),
        ("partnercity_mapping_list", {"unmapped": "true"}),
        ("partnercity_mapping_list", {"unmapped": "false", "origin": "decided"}),
        ("partnercity_hvd_check", {"ids": "a, b c", "background": "false"}),
        ("partnercity_hvd_check", {"ids": ["a"], "probe": "0", "background": 0}),
        ("partnercity_theme_suggest", {"labels": ["Umwelt", {"label": "Mediu", "lang": "ro"}]}),
        ("partnercity_mapping_export", {"format": "json-ld"}),
    ]
    for action, data in ok:
        response = _post(app, action, data, sysadmin_headers)
        assert response.status_code == 200, (action, data, response.body[:300])
    suggested = _post(app, "partnercity_theme_suggest", ok[7][1], {}).json["result"]
    assert [entry["label"] for entry in suggested] == ["Umwelt", "Mediu"]
