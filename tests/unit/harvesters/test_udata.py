"""The udata mapping on recorded data.gouv.fr answers: fields, licences, HVD markers, odd shapes."""

from __future__ import annotations

import copy

import pytest

from ckanext.partnercity.harvesters.base import MalformedRecord
from ckanext.partnercity.harvesters.portals.udata import UdataHarvester, dataset_to_record
from ckanext.partnercity.harvesters.portals.udata_terms import (
    HVD_BADGE,
    HVD_LEGISLATION,
    HVD_TAG,
    LICENCES,
)
from ckanext.partnercity.harvesters.registry import portal_types
from ckanext.partnercity.hvd.rules import licences
from tests.support.udata_portal import decedees, search_page

PORTAL = "https://www.data.gouv.fr"
SEARCH = search_page()["data"]
SIRENE = next(d for d in SEARCH if d["slug"].startswith("base-sirene"))
POPULATION = next(d for d in SEARCH if d["slug"] == "population")
INSEE = "Institut National de la Statistique et des Etudes Economiques (Insee)"
LOV2 = ("Licence Ouverte / Open Licence version 2.0", LICENCES["lov2"][1])


def test_registered_as_udata_portal_type():
    assert portal_types()["udata"] is UdataHarvester


def test_api_v1_dataset_maps_every_field():
    record = dataset_to_record(decedees(), PORTAL)
    assert record.identifier == "5de8f397634f4164071119c5"
    assert record.title == "Fichier des personnes décédées"
    assert record.description.startswith("**Les fichiers nominatifs diffusés ici")
    assert record.landing_page == f"{PORTAL}/fr/datasets/fichier-des-personnes-decedees/"
    assert record.uri == f"{PORTAL}/api/1/datasets/fichier-des-personnes-decedees/"
    assert (record.license_title, record.license_url) == LOV2
    assert record.publisher == INSEE
    assert record.issued == "2019-12-05T13:09:59.495000+00:00"
    # last_update (the data) wins over last_modified (the metadata)
    assert record.modified == "2023-10-12T15:05:34.712000+00:00"
    assert record.keywords == ["deces", "etat-civil"]
    assert record.hvd_markers == record.hvd_category == record.applicable_legislation == []


def test_api_v1_inline_resources_become_distributions_capped_at_100():
    assert len(decedees()["resources"]) == 129
    distributions = dataset_to_record(decedees(), PORTAL).distributions
    assert len(distributions) == 100
    first = distributions[0]
    assert first.url == (
        "https://static.data.gouv.fr/resources/fichier-des-personnes-decedees/"
        "20231011-071927/deces-2023-t3.txt"
    )
    assert (first.format, first.media_type, first.title) == (
        "TXT",
        "text/plain",
        "deces-2023-t3.txt",
    )


def test_api_v2_dataset_maps_and_keeps_its_resources_link_unread_without_a_follower():
    record = dataset_to_record(SIRENE, PORTAL)
    assert record.identifier == "5b7ffc618b4c4169d30727e0"
    assert record.title == "Base Sirene des entreprises et de leurs établissements (SIREN, SIRET)"
    assert record.publisher == INSEE
    assert record.modified == "2024-09-01T06:41:18+00:00"
    assert "entreprises-et-propriete-dentreprises" in record.keywords
    assert record.distributions == []


def test_every_recorded_dataset_maps_with_a_known_licence():
    records = [dataset_to_record(d, PORTAL) for d in SEARCH]
    assert len({r.identifier for r in records}) == 20
    assert {d["license"] for d in SEARCH} == {"lov2", "fr-lo"}
    assert all(r.license_url.startswith("https://") for r in records)
    fr_lo = next(r for r in records if r.identifier == "53699d0ea3a729239d205b2e")
    assert fr_lo.license_title == "Licence Ouverte / Open Licence"
    assert all(r.landing_page.startswith(f"{PORTAL}/fr/datasets/") for r in records)


def test_hvd_tag_is_a_marker_only():
    """udata itself states the HVD regulation only for the badge, which it gives from the tag."""
    for dataset in (SIRENE, POPULATION):
        record = dataset_to_record(dataset, PORTAL)
        assert record.hvd_markers == [HVD_TAG] == ["udata: hvd tag"]
        assert record.hvd_category == record.applicable_legislation == []
    others = [d for d in SEARCH if d not in (SIRENE, POPULATION)]
    assert all(dataset_to_record(d, PORTAL).hvd_markers == [] for d in others)


def test_hvd_badge_states_the_regulation_and_the_categories_of_its_tags():
    dataset = copy.deepcopy(SIRENE)
    dataset["badges"].append({"kind": "hvd"})  # what udata adds to a certified org's hvd tag
    record = dataset_to_record(dataset, PORTAL)
    assert record.hvd_markers == [HVD_BADGE, HVD_TAG]
    assert record.applicable_legislation == [HVD_LEGISLATION]
    # the tag "entreprises-et-propriete-dentreprises" is udata's slug of the category's name
    assert record.hvd_category == ["http://data.europa.eu/bna/c_a9135398"]


def test_badge_without_the_tag_is_still_a_marker():
    dataset = copy.deepcopy(POPULATION)
    dataset["tags"] = [t for t in dataset["tags"] if t != "hvd"] + ["statistiques"] * 2
    dataset["badges"] = [{"kind": "hvd"}, {"kind": 3}, "hvd"]
    record = dataset_to_record(dataset, PORTAL)
    assert record.hvd_markers == [HVD_BADGE]
    assert record.hvd_category == ["http://data.europa.eu/bna/c_e1da4e07"]


@pytest.mark.parametrize("licence_id", sorted(LICENCES))
def test_licence_table_gives_a_title_and_an_official_https_page_or_none(licence_id):
    title, url = LICENCES[licence_id]
    assert title
    assert url == "" or url.startswith("https://")
    if licence_id.startswith(("other", "notspecified")):
        assert url == ""


@pytest.mark.parametrize(
    ("licence_id", "ckan_id"),
    [
        ("lov2", "other-at"),
        ("odc-odbl", "odc-odbl"),
        ("odc-by", "odc-by"),
        ("odc-pddl", "odc-pddl"),
        ("cc-by", "cc-by"),
        ("cc-by-sa", "cc-by-sa"),
        ("cc-zero", "cc-zero"),
    ],
)
def test_licence_pages_are_the_ones_the_licence_rules_know(licence_id, ckan_id):
    assert licences.ckan_licence_id(*LICENCES[licence_id]) == ckan_id


def test_unknown_licence_keeps_the_partners_id_as_title():
    dataset = {**copy.deepcopy(SIRENE), "license": "dl-de-by-2.0"}
    record = dataset_to_record(dataset, PORTAL)
    assert (record.license_title, record.license_url) == ("dl-de-by-2.0", "")


def test_harvested_dataset_without_a_register_licence_keeps_its_sources_statement():
    """udata's DCAT harvester keeps an unmatched licence in extras.dcat.license."""
    dataset = copy.deepcopy(SIRENE)
    dataset["license"] = "notspecified"
    dataset["extras"]["dcat"] = {
        "license": ["Licence ouverte de la Ville", "https://ville.example/licence", 7]
    }
    record = dataset_to_record(dataset, PORTAL)
    assert record.license_title == "Licence ouverte de la Ville"
    assert record.license_url == "https://ville.example/licence"
    dataset["extras"]["dcat"] = {"license": "https://ville.example/licence"}
    assert dataset_to_record(dataset, PORTAL).license_url == "https://ville.example/licence"
    dataset["extras"]["dcat"] = "not an object"
    record = dataset_to_record(dataset, PORTAL)
    assert (record.license_title, record.license_url) == ("License Not Specified", "")


def test_register_licence_wins_over_the_sources_statement():
    dataset = copy.deepcopy(SIRENE)
    dataset["extras"]["dcat"] = {"license": "https://ville.example/licence"}
    assert dataset_to_record(dataset, PORTAL).license_url == LICENCES["lov2"][1]


def test_user_owned_dataset_names_the_owner_and_falls_back_to_portal_links():
    dataset = {
        "slug": "arbres-de-la-ville",
        "title": "",
        "organization": None,
        "owner": {"first_name": "Jeanne", "last_name": "Martin", "page": 7},
        "page": "javascript:alert(1)",
        "uri": None,
        "tags": "not-a-list",
        "resources": [
            None,
            {"url": "ftp://x.example/a.csv"},
            {"latest": "https://x.example/r/1", "format": "CSV", "mime": None, "title": 3},
        ],
        "last_modified": "2024-02-30",  # no such day: left out, not a crash
    }
    record = dataset_to_record(dataset, PORTAL)
    assert record.identifier == record.title == "arbres-de-la-ville"
    assert record.publisher == "Jeanne Martin"
    assert record.landing_page == record.uri == f"{PORTAL}/datasets/arbres-de-la-ville/"
    assert record.keywords == [] and record.modified == ""
    assert [(d.url, d.format, d.title) for d in record.distributions] == [
        ("https://x.example/r/1", "CSV", "3")  # a number is written out, as elsewhere
    ]


@pytest.mark.parametrize(
    "entry",
    ["a string", 42, None, [], {"title": "no id nor slug"}, {"id": "  ", "slug": ""}],
)
def test_unreadable_entries_are_malformed_records(entry):
    with pytest.raises(MalformedRecord):
        dataset_to_record(entry, PORTAL)


def test_resources_link_without_total_is_not_followed():
    dataset = {**copy.deepcopy(SIRENE), "resources": {"href": f"{PORTAL}/x", "total": 0}}
    calls = []
    record = dataset_to_record(dataset, PORTAL, lambda link, ident: calls.append(link) or [])
    assert record.distributions == [] and calls == []
