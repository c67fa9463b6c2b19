"""Opendatasoft through its DCAT export, end to end on the real stack.

A local portal (tests/support/ods_dcat_portal.py) serves real exports at the real path
``/api/explore/v2.1/catalog/exports/dcat`` and the Explore API beside it; harvests run
through CKAN, Solr and the database, and the reference pages are read as a visitor would.
"""

from __future__ import annotations

import copy
import html

import pytest

from tests.integration.harvest_support import harvest, references, register, searchable
from tests.support.fake_portals import load_datasets
from tests.support.http_server import serve
from tests.support.ods_dcat_portal import (
    CAPATLANTIQUE,
    ETALAB,
    EXPORT_PATH,
    RENNES,
    OdsDcatPortal,
    explore_entry_for,
    export_bytes,
    missing_export,
    served_export,
)

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

RENNES_ID = "principaux-etablissements-denseignement-superieur"
RENNES_API = f"https://data.rennesmetropole.fr/api/v2/catalog/datasets/{RENNES_ID}"
CAP_ID = "264400516_arretes_ccas_guerande"
CAP_TITLE = "Arrêtés du CCAS de Guérande"
RENNES_TITLE = "Principaux établissements d'enseignement supérieur - Rennes Métropole"


def _register(name: str, url: str, **extra) -> dict:
    return register(name, url, portal_type="opendatasoft", country="FR", **extra)


def test_real_export_becomes_reference_pages(app):
    portal = OdsDcatPortal(served_export(export_bytes(RENNES)))
    with serve(portal) as server:
        _register("rennes", server.url)
        run = harvest("rennes")
        exports = [r for r in server.requests if r.path == EXPORT_PATH]
    assert run["status"] == "succeeded", run["errors"]
    assert run["counts"]["created"] == 1
    assert len(exports) == 1
    assert not [r for r in server.requests if r.path != EXPORT_PATH]  # no Explore API call

    (reference,) = references("rennes").values()
    assert reference["partner_identifier"] == RENNES_ID
    # the export was pretty-printed by its recorder: white space collapses in the title
    assert reference["title"] == RENNES_TITLE
    # the partner's HTML paragraph is safe markup: kept, and rendered as a paragraph
    assert reference["notes"] == (
        "<p>Caractéristiques des principaux établissements d'enseignement supérieur. "
        "Situation à date.</p>"
    )
    assert reference["partner_categories"] == ["Education"]
    assert reference["language"] == ["fr"]
    assert reference["partner_license_url"] == ETALAB
    assert sorted((r["format"], r["url"]) for r in reference["resources"]) == [
        ("CSV", f"{RENNES_API}/exports/csv"),
        ("GeoJSON", f"{RENNES_API}/exports/geojson"),
        ("JSON", f"{RENNES_API}/exports/json"),
        ("SHP", f"{RENNES_API}/exports/shp"),
    ]
    assert searchable("rennes") == {RENNES_ID}

    body = app.get(f"/partner_dataset/{reference['name']}").body
    assert "&lt;p&gt;" not in body  # rendered, not shown as text
    page = html.unescape(body)
    assert RENNES_TITLE in page
    assert "<p>Caractéristiques des principaux établissements d'enseignement supérieur" in page
    for label in ("CSV", "GeoJSON", "JSON", "SHP"):
        assert label in page
    for segment in ("csv", "geojson", "json", "shp"):
        assert f'href="{RENNES_API}/exports/{segment}"' in page
    assert f"https://data.rennesmetropole.fr/explore/dataset/{RENNES_ID}/" in page
    assert f'href="{ETALAB}"' in page  # the licence, linked


def test_publisher_filter_goes_to_the_export_and_themes_become_categories():
    portal = OdsDcatPortal(served_export(export_bytes(CAPATLANTIQUE)))
    with serve(portal) as server:
        _register("guerande", server.url, source_filter="CCAS Guérande")
        run = harvest("guerande")
        (request,) = [r for r in server.requests if r.path == EXPORT_PATH]
    assert run["status"] == "succeeded", run["errors"]
    assert request.param("where") == 'publisher = "CCAS Guérande"'
    (reference,) = references("guerande").values()
    assert reference["partner_identifier"] == CAP_ID
    assert reference["title"] == CAP_TITLE
    assert reference["publisher_name"] == "CCAS Guérande"
    assert reference["partner_categories"] == ["Citoyenneté / Institution"]
    assert sorted(r["format"] for r in reference["resources"]) == ["CSV", "JSON"]


def test_export_404_falls_back_to_the_explore_api():
    datasets = copy.deepcopy(load_datasets("opendatasoft/mulhouse.json"))
    with serve(OdsDcatPortal(missing_export, datasets)) as server:
        _register("mulhouse", server.url)
        run = harvest("mulhouse")
    assert run["status"] == "succeeded", run["errors"]
    assert set(references("mulhouse")) == {d["dataset_id"] for d in datasets}
    assert run["counts"]["created"] == len(datasets)


def test_switching_between_export_and_explore_api_keeps_every_reference():
    entry = explore_entry_for(
        CAP_ID,
        CAP_TITLE,
        "Actes réglementaires pris par le CCAS de la Commune de Guérande.",
        "Citoyenneté / Institution",
    )
    portal = OdsDcatPortal(served_export(export_bytes(CAPATLANTIQUE)), [entry])
    with serve(portal) as server:
        _register("guerande", server.url)
        first = harvest("guerande")
        (by_export,) = references("guerande").values()

        portal.export = missing_export  # the portal drops its export: the Explore API is read
        second = harvest("guerande")
        (by_api,) = references("guerande").values()

        portal.export = served_export(export_bytes(CAPATLANTIQUE))  # and back
        third = harvest("guerande")
        (again,) = references("guerande").values()

    for run in (first, second, third):
        assert run["status"] == "succeeded", run["errors"]
        assert run["counts"]["withdrawn"] == 0
    assert first["counts"]["created"] == 1
    assert second["counts"]["created"] == third["counts"]["created"] == 0
    assert second["counts"]["updated"] == 1  # other metadata, same reference
    assert by_export["id"] == by_api["id"] == again["id"]
    assert by_export["name"] == by_api["name"] == again["name"]
    assert again["reference_status"] == "active"
    assert searchable("guerande") == {CAP_ID}
