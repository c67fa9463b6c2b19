"""A GeoNetwork (CSW 2.0.2, ISO 19139) partner end to end into CKAN: real GetRecords pages
served on 127.0.0.1, harvested, stored as references and shown on their pages."""

from __future__ import annotations

import html
import re

import pytest

from tests.integration.harvest_support import harvest, references, register, searchable
from tests.support.csw_portal import (
    CSW_PATH,
    HVD_RECORD,
    IGN_PAGE,
    csw_portal,
    geonetwork_records,
    load_records,
    page_files_portal,
)
from tests.support.http_server import serve

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

CARTIGNY = "fr-120066022-ldd-56fce164-04b2-41ae-be87-9f256f39dd44"
LAND_USE = "123e4567-e89b-12d3-a456-426655440000"


def _register(name: str, url: str, **extra) -> None:
    register(name, url + CSW_PATH, portal_type="csw", country="FR", **extra)


def test_geonetwork_pages_become_references(app):
    with serve(page_files_portal()) as server:
        _register("somme", server.url)
        run = harvest("somme")
        again = harvest("somme")
    assert run["status"] == "succeeded", run["errors"]
    assert run["counts"]["created"] == 6
    assert again["counts"]["unchanged"] == 6
    stored = references("somme")
    assert searchable("somme") == set(stored)
    plu = stored[CARTIGNY]
    assert plu["title"] == "Plan local d'urbanisme de la commune de Cartigny"
    assert plu["partner_landing_page"] == f"{server.url}/geonetwork/srv/api/records/{CARTIGNY}"
    assert plu["publisher_name"].startswith("DDTM 80")
    assert "Usage des sols" in plu["partner_categories"]
    assert len(plu["resources"]) == 9
    assert [r["format"] for r in plu["resources"]].count("MapInfo TAB") == 2

    page = html.unescape(app.get(f"/partner_dataset/{plu['name']}").body)
    assert "Plan local d'urbanisme de la commune de Cartigny" in page
    assert "Le présent standard de données COVADIS concerne" in page
    assert "Licence Ouverte 1.0" in page
    assert "http://www.data.gouv.fr/Licence-Ouverte-Open-Licence" in page
    assert "MapInfo TAB" in page
    assert f"{server.url}/geonetwork/srv/api/records/{CARTIGNY}" in page
    assert "https://atom.geo-ide.developpement-durable.gouv.fr/atomArchive/GetResource" in page


def test_hvd_thesaurus_keywords_are_stored_and_shown(app):
    records = [*load_records(HVD_RECORD), *load_records(IGN_PAGE), *geonetwork_records()[:1]]
    with serve(csw_portal(records)) as server:
        _register("myorg", server.url)
        run = harvest("myorg")
    assert run["status"] == "succeeded", run["errors"]
    stored = references("myorg")
    assert set(stored) == {LAND_USE, "IGNF_RPG", CARTIGNY}
    land_use = stored[LAND_USE]
    assert land_use["hvd_category"] == [
        "http://data.europa.eu/bna/c_dd313021",
        "http://data.europa.eu/bna/c_f399050e",
    ]
    assert land_use["applicable_legislation"] == ["http://data.europa.eu/eli/reg_impl/2023/138/oj"]
    assert land_use["partner_hvd_markers"] == [
        "INSPIRE: HVD regulation keyword",
        "INSPIRE: HVD category thesaurus",
    ]
    assert "http://inspire.ec.europa.eu/theme/lu" in land_use["partner_categories"]
    assert stored["IGNF_RPG"]["hvd_category"] == ["http://data.europa.eu/bna/c_ac64a52d"]
    assert stored[CARTIGNY]["hvd_category"] == []
    assert sorted(r["format"] for r in land_use["resources"]) == ["WFS", "WMS"]

    page = html.unescape(app.get(f"/partner_dataset/{land_use['name']}").body)
    assert "Land Use map of MyCountry" in page
    assert "No conditions apply to access and use" in page
    assert "WMS" in page and "WFS" in page
    assert "https://geoserver.epsilon-italia.it/geoserver/LU_sample/wms" in page


def test_source_filter_keeps_one_organisation():
    records = [*load_records(HVD_RECORD), *geonetwork_records()]
    with serve(csw_portal(records)) as server:
        _register("myorg", server.url, source_filter="MyOrganisation")
        run = harvest("myorg")
        constraints = {r.param("constraint") for r in server.requests}
    assert run["status"] == "succeeded", run["errors"]
    assert set(references("myorg")) == {LAND_USE}
    assert constraints == {"OrganisationName = 'MyOrganisation'"}


def test_record_gone_from_the_catalogue_is_withdrawn():
    records = geonetwork_records()
    with serve(csw_portal(records)) as server:
        _register("somme", server.url)
        harvest("somme")
        del records[0]
        run = harvest("somme")
    assert run["status"] == "succeeded", run["errors"]
    assert run["counts"]["withdrawn"] == 1
    assert references("somme")[CARTIGNY]["reference_status"] == "withdrawn"
    assert CARTIGNY not in searchable("somme")


def test_incremental_run_asks_for_records_modified_since_the_last_success():
    records = geonetwork_records()
    with serve(csw_portal(records)) as server:
        _register("somme", server.url)
        harvest("somme")
        server.requests.clear()
        run = harvest("somme", full=False)
        constraints = {r.param("constraint") for r in server.requests}
    assert run["mode"] == "incremental", run
    assert run["status"] == "succeeded", run["errors"]
    assert run["counts"]["unchanged"] == 6
    (constraint,) = constraints
    assert re.fullmatch(r"Modified >= '\d{4}-\d{2}-\d{2}'", constraint), constraint
