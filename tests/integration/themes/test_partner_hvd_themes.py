"""A partner reference's HVD category reaches the shared themes through the bundled
HVD-category → EU data-theme alignment, as a category of that partner (harvest, review,
reject), and the admin review shows such categories by their label, the IRI behind it."""

from __future__ import annotations

import re

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.integration.harvest_support import ckan_partner_portal, harvest, register
from tests.integration.page_support import SYSADMIN_PASSWORD, logged_in

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

EU = "http://publications.europa.eu/resource/authority/data-theme"
TRAN, ENVI = f"{EU}/TRAN", f"{EU}/ENVI"
TRANSPORT_NETWORKS = "http://data.europa.eu/bna/c_4b74ea13"  # HVD "Transport networks"
ROADS = "drumuri-judetene"  # Alba Iulia's county roads


def _themes(partner_identifier_part: str) -> set[str]:
    found = call_action(
        "package_search",
        fq="+dataset_type:partner_dataset",
        rows=100,
        **{"facet.field": ["partnercity_theme"]},
    )["results"]
    names = [p["name"] for p in found if partner_identifier_part in p["name"]]
    assert len(names) == 1, names
    facets = call_action(
        "package_search",
        fq=f'name:"{names[0]}"',
        rows=0,
        **{"facet.field": ["partnercity_theme"]},
    )["facets"]
    return set(facets.get("partnercity_theme", {}))


@pytest.fixture
def roads_with_hvd_category_only():
    """Alba Iulia harvested, its county roads carrying only an HVD category: no group,
    tag or theme the shared themes know, so the HVD category alone can place it."""
    call_action("partnercity_scheme_load", bundled=True)
    with ckan_partner_portal() as server:
        roads = next(d for d in server.datasets if d["name"] == ROADS)
        roads["groups"] = []
        roads["tags"] = []
        roads["extras"] = [e for e in roads.get("extras", []) if e["key"] != "hvd_category"]
        roads["extras"].append({"key": "hvd_category", "value": f'["{TRANSPORT_NETWORKS}"]'})
        partner = register("alba-iulia", server.url)
        run = harvest("alba-iulia")
        assert run["status"] == "succeeded", run
        yield partner


def test_a_harvested_hvd_category_is_a_partner_category_on_its_aligned_theme(
    roads_with_hvd_category_only,
):
    rows = call_action("partnercity_mapping_list", partner="alba-iulia")
    hvd_rows = {(m["origin"], m["concept"]) for m in rows if m["category"] == TRANSPORT_NETWORKS}
    assert ("alignment", TRAN) in hvd_rows
    assert ("source", TRANSPORT_NETWORKS) in hvd_rows
    labelled = {m["category_label"] for m in rows if m["category"] == TRANSPORT_NETWORKS}
    assert labelled == {"Transport networks"}
    assert TRAN in _themes(ROADS)
    matrix = call_action("partnercity_compare")
    tran = next(t for t in matrix["themes"] if t["uri"] == TRAN)
    assert tran["counts"]["alba-iulia"] >= 1


def test_rejecting_the_alignment_takes_the_reference_off_the_theme(roads_with_hvd_category_only):
    rows = call_action("partnercity_mapping_list", partner="alba-iulia", origin="alignment")
    tran = next(m for m in rows if m["category"] == TRANSPORT_NETWORKS and m["concept"] == TRAN)
    admin = factories.Sysadmin()
    decided = call_action(
        "partnercity_mapping_decide", {"user": admin["name"]}, id=tran["id"], decision="reject"
    )
    assert decided["datasets_updated"] == 1
    assert TRAN not in _themes(ROADS)
    # A later harvest keeps the decision.
    harvest("alba-iulia")
    assert TRAN not in _themes(ROADS)


def test_refresh_maps_hvd_categories_of_references_harvested_before(
    roads_with_hvd_category_only, ckan_cli
):
    """References harvested before this release: ``themes refresh PARTNER`` reads their
    HVD categories too (the mappings are recomputed from the stored references)."""
    from ckan import model

    from ckanext.partnercity.model import Mapping

    model.Session.query(Mapping).filter(Mapping.category == TRANSPORT_NETWORKS).delete()
    model.Session.commit()
    result = ckan_cli("partnercity", "themes", "refresh", "alba-iulia")
    assert result.returncode == 0, result.stderr[-2000:]
    rows = call_action("partnercity_mapping_list", partner="alba-iulia", origin="alignment")
    assert any(m["category"] == TRANSPORT_NETWORKS and m["concept"] == TRAN for m in rows)


@pytest.mark.parametrize(
    ("prefix", "label"), [("", "Transport networks"), ("/de", "Verkehrsnetze")]
)
def test_the_review_shows_an_hvd_category_by_its_label_in_the_ui_language(
    roads_with_hvd_category_only, app, prefix, label
):
    factories.Sysadmin(name="review-admin", password=SYSADMIN_PASSWORD)
    client = logged_in(app, "review-admin")
    body = client.get(f"{prefix}/ckan-admin/partner-cities/mappings?status=all").body
    cell = re.search(
        rf'<tr data-partnercity="mapping-row" data-category="{re.escape(TRANSPORT_NETWORKS)}"'
        r".*?<th[^>]*>(.*?)</th>",
        body,
        re.S,
    )
    assert cell, "no review row for the HVD category"
    link = re.search(
        r'<a href="([^"]+)" title="([^"]+)"[^>]*data-partnercity="category-iri">([^<]+)<',
        cell.group(1),
    )
    assert link, cell.group(1)
    assert link.groups() == (TRANSPORT_NETWORKS, TRANSPORT_NETWORKS, label)
    # A plain label stays as it is.
    plain = re.search(r'data-category="(Mediu|mediu)"[^>]*>\s*<th[^>]*>(.*?)</th>', body, re.S)
    assert plain, "no review row for the partner's group"
    assert plain.group(2).strip() == plain.group(1)


def test_the_theme_facet_people_read_lists_themes_not_hvd_categories(
    roads_with_hvd_category_only, app
):
    """The HVD concept is indexed too (origin ``source``) and has its own facet: the
    shared-theme facet lists the theme scheme's concepts only, the raw facets all."""
    found = call_action(
        "package_search",
        fq="+dataset_type:partner_dataset",
        rows=0,
        **{"facet.field": ["partnercity_theme", "partnercity_hvd_category"]},
    )
    assert TRANSPORT_NETWORKS in found["facets"]["partnercity_theme"]
    items = found["search_facets"]["partnercity_theme"]["items"]
    assert TRAN in {item["name"] for item in items}
    assert all(item["name"].startswith(EU + "/") for item in items), items
    hvd = {item["name"] for item in found["search_facets"]["partnercity_hvd_category"]["items"]}
    assert TRANSPORT_NETWORKS in hvd
    page = app.get("/partner-cities/alba-iulia").body
    facets = page.split('data-partnercity="partner-facets"')[1]
    themes_block = facets.split("</section>")[0]
    assert "Transport" in themes_block and "Transport networks" not in themes_block
