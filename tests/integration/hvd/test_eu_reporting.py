"""The EU reporting view in the portal: the country comes from ckanext.partnercity.hvd.country,
the catalogue record from the CKAN dataset, and the report page shows the three layers."""

from __future__ import annotations

import csv
import io

import pytest
from ckan.tests.helpers import call_action

from tests.integration.hvd.test_hvd import (  # noqa: F401
    METEO,
    _create,
    _sysadmin_env,
    compliant,
    org,
)

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

DEU = "http://publications.europa.eu/resource/authority/country/DEU"


def _two(org_id: str) -> dict[str, str]:
    """Dataset id → name: Air (a leaf category, English text, a CC BY 4.0 bulk download) and
    the same under Meteorological (a broad category)."""
    air = _create(compliant(org_id))
    weather = _create(compliant(org_id, name="weather", category=METEO))
    return {air["id"]: air["name"], weather["id"]: weather["name"]}


@pytest.mark.ckan_config("ckanext.partnercity.hvd.country", "DEU")
def test_with_the_portal_country_a_complete_dataset_is_counted(app, org):  # noqa: F811
    names = _two(org)
    run = call_action("partnercity_hvd_check")
    report = call_action("partnercity_hvd_report", run_id=run["id"])["report"]
    eu = report["summary"]["eu_reporting"]
    assert (eu["country"], eu["datasets"], eu["counted"]) == (DEU, 2, 1)
    assert eu["without_granular_category"] == 1
    by_name = {d["ckan_name"]: d["eu_reporting"] for d in report["datasets"]}
    assert by_name["air-quality"]["counted"] is True
    assert by_name["weather"]["reasons"] == ["category c_164e0bf5 has narrower concepts"]

    page = app.get("/hvd/report", headers=_sysadmin_env()).body
    assert 'id="eu-reporting"' in page and "category c_164e0bf5 has narrower concepts" in page
    assert "Official shapes" in page and "Beyond the shapes" in page
    rows = csv.DictReader(io.StringIO(app.get("/hvd/report.csv", headers=_sysadmin_env()).body))
    counted = {(names[r["dataset"].rsplit("/", 1)[-1]], r["eu_counted"]) for r in rows}
    assert counted == {("air-quality", "true"), ("weather", "false")}


def test_without_a_configured_country_nothing_is_counted(org):  # noqa: F811
    _two(org)
    run = call_action("partnercity_hvd_check")
    report = call_action("partnercity_hvd_report", run_id=run["id"])["report"]
    assert report["summary"]["eu_reporting"]["counted"] == 0
    air = next(d for d in report["datasets"] if d["ckan_name"] == "air-quality")
    assert air["eu_reporting"]["reasons"] == ["catalogue has no dct:spatial (country)"]
