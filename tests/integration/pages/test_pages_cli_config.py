"""Pages, CLI and config declarations of the plugin, inside a real CKAN app."""

from __future__ import annotations

import json

import pytest
import yaml

from ckanext.partnercity import settings
from tests.integration.conftest import ROOT, TEST_INI

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db")]

DECLARATION = ROOT / "ckanext" / "partnercity" / "config_declaration.yaml"


def test_partner_cities_page_extends_ckan_templates(app):
    response = app.get("/partner-cities")
    assert response.status_code == 200
    body = response.body
    assert '<h1 class="page-heading">Partner cities</h1>' in body
    assert "No partner cities have been registered yet." in body
    # CKAN's own layout around it: site header, breadcrumb and footer.
    assert 'class="breadcrumb"' in body
    assert "<footer" in body


def test_cli_help_lists_the_group(ckan_cli):
    top = ckan_cli("--help")
    assert top.returncode == 0, top.stderr
    assert "partnercity" in top.stdout
    group = ckan_cli("partnercity", "--help")
    assert group.returncode == 0, group.stderr
    assert "status" in group.stdout


def test_cli_status_json(ckan_cli):
    result = ckan_cli("partnercity", "status", "--json")
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    assert status["database"]["up_to_date"] is True
    assert status["config"]["ckanext.partnercity.http_timeout"] == 10


def test_every_option_is_declared_and_the_config_validates(ckan_cli):
    declared = {
        option["key"]
        for group in yaml.safe_load(DECLARATION.read_text())["groups"]
        for option in group["options"]
    }
    assert declared == set(settings.effective())
    shown = ckan_cli("config", "declaration", "partnercity")
    assert shown.returncode == 0, shown.stderr
    for key in declared:
        assert key in shown.stdout
    validated = ckan_cli("config", "validate")
    assert validated.returncode == 0, validated.stdout + validated.stderr


def test_config_validate_rejects_a_bad_value(ckan_cli, tmp_path):
    bad = tmp_path / "bad.ini"
    bad.write_text(
        TEST_INI.read_text().replace(
            "ckanext.partnercity.http_timeout = 10", "ckanext.partnercity.http_timeout = -5"
        )
    )
    validated = ckan_cli("config", "validate", ini=bad)
    assert validated.returncode != 0
    assert "ckanext.partnercity.http_timeout: Must be a positive integer" in (
        validated.stdout + validated.stderr
    )


def test_partner_city_type_is_labelled_in_plural(app):
    from ckan.tests.helpers import call_action

    call_action(
        "partnercity_partner_create",
        name="mulhouse",
        title="Mulhouse",
        country="FR",
        portal_url="http://127.0.0.1:9/",
        portal_type="opendatasoft",
    )
    body = app.get("/partner_city/mulhouse").body
    assert "Partner cities" in body
    assert "Partner citys" not in body
