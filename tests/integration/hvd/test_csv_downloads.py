"""The HVD report's CSV downloads (portal route and ckan CLI) neutralize spreadsheet formulas."""

from __future__ import annotations

import csv
import io

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.integration.hvd.test_hvd import compliant
from tests.unit.test_csv_outputs import PAYLOADS

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]


def _titles(text: str) -> set[str]:
    return {row["title"] for row in csv.DictReader(io.StringIO(text, newline=""))}


def test_report_csv_route_and_cli_neutralize_formulas_in_titles(app, ckan_cli):
    org = factories.Organization(name="umweltamt")["id"]
    for i, payload in enumerate(PAYLOADS):
        call_action("package_create", **compliant(org, name=f"air-{i}", title_en=payload))
    call_action("partnercity_hvd_check")
    admin = factories.SysadminWithToken()
    body = app.get("/hvd/report.csv", headers={"Authorization": admin["token"]}).body
    expected = {"'" + payload for payload in PAYLOADS}
    assert _titles(body) == expected
    cli = ckan_cli("partnercity", "hvd", "report", "--format", "csv")
    assert cli.returncode == 0, cli.stderr[-2000:]
    assert _titles(cli.stdout) == expected
