"""A stored HVD report shows each viewer only the datasets package_show would show them.

Check runs read private datasets too (sysadmins see the whole picture), so with a public report
an anonymous visitor must not learn a private dataset's title, name, id or findings from
/hvd/report, its downloads or the partnercity_hvd_report action, and the counts must be those
of what the visitor sees.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.integration.hvd.test_hvd import compliant

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

SECRET = "Secret air monitoring"
PUBLIC = "Air quality: measuring stations"


@pytest.fixture
def checked() -> dict:
    """One public and one private dataset in scope, checked by a sysadmin's run."""
    eva = factories.UserWithToken(name="editor-eva")
    org = factories.Organization(
        name="umweltamt", users=[{"name": "editor-eva", "capacity": "editor"}]
    )
    shown = call_action("package_create", **compliant(org["id"]))
    secret = call_action(
        "package_create",
        **compliant(org["id"], name="secret-air", title_en=SECRET, private=True),
    )
    run = call_action("partnercity_hvd_check")
    assert run["summary"]["datasets"] == 2
    return {"eva": eva, "shown": shown, "secret": secret, "run": run}


def _report(app, headers: dict | None = None) -> dict:
    """What a viewer gets from every way of reading the report."""
    headers = headers or {}
    api = app.get("/api/action/partnercity_hvd_report", headers=headers).json["result"]
    return {
        "page": app.get("/hvd/report", headers=headers).body,
        "csv": list(csv.DictReader(io.StringIO(app.get("/hvd/report.csv", headers=headers).body))),
        "json": json.loads(app.get("/hvd/report.json", headers=headers).body),
        "api": api,
    }


def _names(seen: dict) -> set[str]:
    names = {d["ckan_name"] for d in seen["json"]["datasets"]}
    assert names == {d["ckan_name"] for d in seen["api"]["report"]["datasets"]}
    return names


def _assert_secret_hidden(seen: dict, secret: dict) -> None:
    assert _names(seen) == {"air-quality"}
    for text in (seen["page"], json.dumps(seen["json"]), json.dumps(seen["api"])):
        assert SECRET not in text and "secret-air" not in text and secret["id"] not in text
    assert {r["dataset"] for r in seen["csv"]} == {seen["json"]["datasets"][0]["uri"]}
    for summary in (seen["json"]["summary"], seen["api"]["run"]["summary"]):
        counts = ("datasets", "in_scope", "compliant", "needs_attestation")
        assert tuple(summary[k] for k in counts) == (1, 1, 0, 1)
    assert PUBLIC in seen["page"]


@pytest.mark.ckan_config("ckanext.partnercity.hvd.report_visibility", "public")
def test_a_public_report_leaves_private_datasets_out_for_visitors(app, checked):
    _assert_secret_hidden(_report(app), checked["secret"])
    stranger = {"Authorization": factories.UserWithToken()["token"]}
    _assert_secret_hidden(_report(app, stranger), checked["secret"])


@pytest.mark.ckan_config("ckanext.partnercity.hvd.report_visibility", "public")
def test_members_and_sysadmins_see_the_private_datasets_they_may_read(app, checked):
    for headers in (
        {"Authorization": checked["eva"]["token"]},
        {"Authorization": factories.SysadminWithToken()["token"]},
    ):
        seen = _report(app, headers)
        assert _names(seen) == {"air-quality", "secret-air"}
        assert SECRET in seen["page"]
        assert seen["api"]["run"]["summary"]["datasets"] == 2


@pytest.mark.ckan_config("ckanext.partnercity.hvd.auditors", "auditor-anna editor-eva")
def test_auditors_see_private_datasets_only_where_ckan_lets_them(app, checked):
    anna = {"Authorization": factories.UserWithToken(name="auditor-anna")["token"]}
    _assert_secret_hidden(_report(app, anna), checked["secret"])
    assert _names(_report(app, {"Authorization": checked["eva"]["token"]})) == {
        "air-quality",
        "secret-air",
    }


@pytest.mark.ckan_config("ckanext.partnercity.hvd.report_visibility", "public")
def test_a_dataset_made_private_after_the_run_leaves_the_report(app, checked):
    call_action("package_patch", id=checked["shown"]["id"], private=True)
    seen = _report(app)
    assert _names(seen) == set()
    assert seen["json"]["summary"]["datasets"] == 0
    assert PUBLIC not in seen["page"]
