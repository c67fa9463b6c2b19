"""A udata partner end to end: recorded data.gouv.fr answers served with udata's paging,
harvested into CKAN, shown on reference pages, HVD markers stored."""

from __future__ import annotations

import html

import pytest
from ckan.tests.helpers import call_action

from tests.integration.harvest_support import harvest, references, register, searchable
from tests.support.udata_portal import portal_datasets, udata_portal

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

INSEE_SLUG = "institut-national-de-la-statistique-et-des-etudes-economiques-insee"
DECEDEES, SIRENE = "5de8f397634f4164071119c5", "5b7ffc618b4c4169d30727e0"
DVF = "5c4ae55a634f4117716d5656"


def test_organization_of_a_udata_portal_end_to_end(app):
    with udata_portal() as server:
        register("insee", server.url, portal_type="udata", country="FR", source_filter=INSEE_SLUG)
        run = harvest("insee")
        again = harvest("insee")
    assert run["status"] == "succeeded", run["errors"]
    assert run["counts"]["created"] == 2
    (warning,) = [e for e in run["errors"] if "resources" in e["message"]]
    assert warning["message"] == f"dataset {DECEDEES} has 129 resources: the first 100 are linked"
    assert again["counts"]["unchanged"] == 2
    stored = references("insee")
    assert set(stored) == {DECEDEES, SIRENE} == searchable("insee")

    sirene = stored[SIRENE]
    assert (
        sirene["title"] == "Base Sirene des entreprises et de leurs établissements (SIREN, SIRET)"
    )
    assert sirene["partner_landing_page"] == (
        "https://www.data.gouv.fr/fr/datasets/"
        "base-sirene-des-entreprises-et-de-leurs-etablissements-siren-siret/"
    )
    assert sirene["partner_license"] == "Licence Ouverte / Open Licence version 2.0"
    assert (
        sirene["partner_license_url"] == "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    )
    assert sirene["partner_hvd_markers"] == ["udata: hvd tag"]
    assert len(sirene["resources"]) == 18  # read through the API v2 resources link
    assert {r["format"] for r in sirene["resources"]} == {"CSV", "PDF", "ZIP"}

    decedees = stored[DECEDEES]
    assert decedees["partner_hvd_markers"] == []
    assert len(decedees["resources"]) == 100  # 129 inline, references keep 100
    assert decedees["publisher_name"] == (
        "Institut National de la Statistique et des Etudes Economiques (Insee)"
    )

    body = app.get(f"/partner_dataset/{sirene['name']}").body
    assert html.escape(sirene["title"], quote=False) in body
    assert 'href="https://www.data.gouv.fr/fr/datasets/base-sirene-' in body
    assert "Licence Ouverte / Open Licence version 2.0" in body
    assert ">CSV<" in body and ">ZIP<" in body and ">PDF<" in body
    assert "https://static.data.gouv.fr/resources/base-sirene-des-entreprises" in body
    # The description is Markdown from the partner: rendered, and its links kept.
    assert "Sirene open data actualités" in body
    assert 'href="https://insee.fr/fr/information/1405555"' in body


def test_whole_udata_site_and_a_dataset_gone_upstream_is_withdrawn():
    with udata_portal() as server:
        register("datagouv", server.url, portal_type="udata", country="FR")
        first = harvest("datagouv")
        server.portal.datasets[:] = [d for d in server.portal.datasets if d["id"] != DVF]
        second = harvest("datagouv")
    assert first["status"] == "succeeded", first["errors"]
    assert first["counts"]["created"] == len(portal_datasets()) == 5
    assert second["status"] == "succeeded", second["errors"]
    assert second["counts"]["withdrawn"] == 1
    assert DVF not in searchable("datagouv")
    assert references("datagouv")[DVF]["reference_status"] != "active"


def test_hvd_badge_is_stored_with_what_udata_states_for_it():
    datasets = portal_datasets()
    sirene = next(d for d in datasets if d["id"] == SIRENE)
    sirene["badges"].append({"kind": "hvd"})  # what udata gives a certified org's hvd tag
    with udata_portal(datasets) as server:
        register("insee", server.url, portal_type="udata", country="FR", source_filter=INSEE_SLUG)
        run = harvest("insee")
    assert run["status"] == "succeeded", run["errors"]
    stored = references("insee")[SIRENE]
    assert stored["partner_hvd_markers"] == ["udata: hvd badge", "udata: hvd tag"]
    assert stored["applicable_legislation"] == ["http://data.europa.eu/eli/reg_impl/2023/138/oj"]
    assert stored["hvd_category"] == ["http://data.europa.eu/bna/c_a9135398"]


def test_hostile_markup_in_a_udata_description_is_removed(app):
    datasets = portal_datasets()
    sirene = next(d for d in datasets if d["id"] == SIRENE)
    sirene["description"] += '\n\n<script>alert(1)</script><img src=x onerror="alert(2)">'
    sirene["description"] += "\n\n[lien](javascript:alert(3))"
    with udata_portal(datasets) as server:
        register("insee", server.url, portal_type="udata", country="FR", source_filter=INSEE_SLUG)
        run = harvest("insee")
    assert run["status"] == "succeeded", run["errors"]
    stored = references("insee")[SIRENE]
    assert "alert(" not in stored["notes"] and "<script" not in stored["notes"]
    assert stored["notes"].startswith("• Pour vous abonner à notre lettre d'information")
    body = app.get(f"/partner_dataset/{stored['name']}").body
    assert "alert(" not in body and "onerror" not in body and "javascript:" not in body
    assert "Sirene open data actualités" in body


def test_a_reference_marked_hvd_only_by_the_udata_tag_is_checked_and_told_what_is_missing():
    """SIRENE carries udata's ``hvd`` tag but no badge, so no ELI and no category: the
    partner HVD check puts it in scope and names the missing DCAT-AP HVD properties."""
    with udata_portal() as server:
        register("insee", server.url, portal_type="udata", country="FR", source_filter=INSEE_SLUG)
        run = harvest("insee")
    assert run["status"] == "succeeded", run["errors"]
    check = call_action("partnercity_hvd_check", scope="partners")
    report = call_action("partnercity_hvd_report", scope="partners", run_id=check["id"])["report"]
    by_title = {ds["title"]: ds for ds in report["datasets"]}
    sirene = by_title["Base Sirene des entreprises et de leurs établissements (SIREN, SIRET)"]
    assert sirene["in_scope"] and sirene["markers"] == ["udata: hvd tag"]
    assert sirene["status"] == "non_compliant"
    marker = next(r for r in sirene["results"] if r["rule"] == "hvd.dataset.marker-only")
    assert marker["outcome"] == "fail"
    assert marker["evidence"] == [
        "marked HVD by udata: hvd tag but lacks dcatap:applicableLegislation "
        "<http://data.europa.eu/eli/reg_impl/2023/138/oj> and dcatap:hvdCategory"
    ]
    assert not any(ds["in_scope"] for t, ds in by_title.items() if t != sirene["title"])
    # the EU reporting queries select datasets by the ELI: a tag is not enough to be counted
    assert sirene["eu_reporting"]["counted"] is False
    assert "dataset does not name the HVD ELI" in sirene["eu_reporting"]["reasons"]
