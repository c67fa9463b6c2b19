"""The EU reporting view in the portal: the country comes from ckanext.partnercity.hvd.country,
the catalogue record from the CKAN dataset, and the report page shows the three layers."""

from __future__ import annotations

import csv
import io

import pytest
from ckan.tests.helpers import call_action

from ckanext.partnercity.hvd.rules.model import ELI_HVD
from tests.integration.hvd.test_hvd import (  # noqa: F401
    AIR,
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


@pytest.mark.ckan_config("ckanext.partnercity.hvd.country", "DEU")
def test_partner_references_are_counted_in_their_partner_citys_country(org):  # noqa: F811
    from tests.integration.harvest_support import register

    partner = register("mulhouse", "http://127.0.0.1:9/", country="FR")
    _create(
        {
            "type": "partner_dataset",
            "name": "mulhouse-air",
            "title": "Qualité de l'air",
            "owner_org": partner["id"],
            "partner_identifier": "air-1",
            "partner_landing_page": "https://mulhouse.example/dataset/air",
            "hvd_category": [AIR],
            "applicable_legislation": [ELI_HVD],
            "resources": [{"url": "https://mulhouse.example/air.csv", "format": "CSV"}],
        }
    )
    run = call_action("partnercity_hvd_check", scope="partners")
    report = call_action("partnercity_hvd_report", scope="partners", run_id=run["id"])["report"]
    eu = report["summary"]["eu_reporting"]
    assert eu["country"] == "http://publications.europa.eu/resource/authority/country/FRA"
    assert eu["countries"] == [eu["country"]]  # not the portal's own DEU
    (ref,) = report["datasets"]
    assert not any("dct:spatial" in r for r in ref["eu_reporting"]["reasons"])
    assert "no English dct:title" in ref["eu_reporting"]["reasons"]


@pytest.mark.ckan_config("ckanext.partnercity.hvd.country", "DEU")
@pytest.mark.ckan_config("ckanext.partnercity.hvd.report_visibility", "public")
def test_a_visitor_gets_eu_counts_of_the_datasets_they_see_only(app, org):  # noqa: F811
    _create(compliant(org))
    _create(compliant(org, name="secret-air", title_en="Secret air", private=True))
    call_action("partnercity_hvd_check")
    everything = app.get("/hvd/report.json", headers=_sysadmin_env()).json["summary"]
    assert (everything["eu_reporting"]["datasets"], everything["eu_reporting"]["counted"]) == (2, 2)
    assert everything["eu_reporting"]["bulk_downloads"] == 2
    seen = app.get("/hvd/report.json").json["summary"]["eu_reporting"]
    assert (seen["datasets"], seen["counted"], seen["country"]) == (1, 1, DEU)
    assert "bulk_downloads" not in seen  # resource counts would include the private dataset's
    assert [row["datasets"] for row in seen["categories"]] == [1]
    page = app.get("/hvd/report").body
    assert 'id="eu-reporting"' in page and "Secret air" not in page
