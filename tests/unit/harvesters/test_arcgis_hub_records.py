"""ArcGIS Hub feed entries to PartnerRecords: the real feeds, and each quirk real feeds have."""

from __future__ import annotations

import json

import pytest

from ckanext.partnercity.harvesters.base import MalformedRecord
from ckanext.partnercity.harvesters.portals.arcgis_hub_records import (
    clean,
    contact_address,
    contact_of,
    entry_to_record,
    is_dataset,
    normal_url,
)
from tests.support.arcgis_hub_portal import APUR, EVIAN, KOOP_DCAT_AP, load_feed

EVIAN_FEED = json.loads(load_feed(EVIAN))
KOOP_FEED = json.loads(load_feed(KOOP_DCAT_AP))
APUR_FEED = json.loads(load_feed(APUR))


def _evian(title: str) -> dict:
    return next(d for d in EVIAN_FEED["dataset"] if d["title"] == title)


def test_real_dcat_us_entry_maps_every_field():
    record = entry_to_record(_evian("stationnement velos"))
    assert record.identifier == (
        "https://www.arcgis.com/home/item.html?id=f6565516d1354383b25793e630cf3f2b&sublayer=5"
    )
    assert record.title == "stationnement velos"
    assert record.description.startswith('<DIV STYLE="text-align:Left;">')  # as published
    assert record.landing_page == (
        "https://ville-d-evian-opendata-ville-evian.hub.arcgis.com/maps/"
        "f6565516d1354383b25793e630cf3f2b_5"
    )
    assert record.publisher == "Ville d'Evian-les-Bains"
    assert record.keywords == ["mobilite"]
    assert record.categories == ["geospatial"]
    assert record.issued == "2022-07-29T10:07:13+00:00"
    assert record.modified.startswith("2022-07-29T11:29:07")
    formats = [d.format for d in record.distributions]
    assert formats == ["Web page", "Esri REST", "CSV", "GeoJSON", "ZIP", "KML"]
    assert all(d.url.startswith("https://") for d in record.distributions)


def test_dcat_us_html_licence_becomes_text_and_the_url_it_names():
    record = entry_to_record(_evian("stationnement velos"))
    assert "<" not in record.license_title
    assert "Etalab" in record.license_title
    assert record.license_url == "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


def test_real_dcat_ap_entry_with_lower_case_accessurl_literal_theme_and_publisher():
    (entry,) = KOOP_FEED["dcat:dataset"]
    assert "dcat:accessUrl" in entry["dcat:distribution"][0]  # the real feed's spelling
    record = entry_to_record(entry)
    assert record.title == "Tahoe places of interest"
    assert record.identifier.endswith("/datasets/f4bcc1035b7d46cba95e977f4affb6be_0")
    assert record.categories == ["geospatial"]  # dcat:theme is a literal, not a URI
    assert record.publisher == "QA Premium Alpha Hub"  # dct:publisher is a literal
    assert record.keywords == ["some", "keywords", "from", "metadata"]
    assert record.language == ["http://publications.europa.eu/resource/authority/language/GER"]
    ((distribution),) = record.distributions
    assert distribution.url == entry["dcat:distribution"][0]["dcat:accessUrl"]
    assert distribution.format == "HTML"  # ftype:HTML through formats.py


def test_no_licence_and_no_modified_date_are_empty_not_errors():
    (entry,) = KOOP_FEED["dcat:dataset"]
    record = entry_to_record(entry)
    assert (record.license_title, record.license_url, record.modified) == ("", "", "")
    assert record.issued == "2021-04-19T13:30:24.055000-04:00"


def test_every_real_entry_maps_without_error():
    entries = EVIAN_FEED["dataset"] + APUR_FEED["dataset"] + KOOP_FEED["dcat:dataset"]
    records = [entry_to_record(e) for e in entries]
    assert len({r.identifier for r in records}) == len(entries) == 80
    assert all(r.title and r.distributions for r in records)


def test_unrendered_template_values_are_dropped():
    entry = {
        "identifier": "x1",
        "title": "Parcs",
        "description": "{{description}}",
        "keyword": ["parcs", "{{tags}}"],
        "license": "{{license}}",
        "publisher": {"name": "{{source:toString}}"},
        "spatial": "{{extent:computeSpatialProperty}}",
    }
    record = entry_to_record(entry)
    assert (record.description, record.license_title, record.publisher) == ("", "", "")
    assert record.keywords == ["parcs"]
    assert clean("Parcs {{ name }} ") == ""


@pytest.mark.parametrize(
    ("value", "address"),
    [
        ("mailto:sig@ville-evian.fr?subject=Donn%C3%A9es%20v%C3%A9lo", "sig@ville-evian.fr"),
        ("MAILTO:gis@city.example", "gis@city.example"),
        ("gis@city.example", "gis@city.example"),
        ("mailto:", ""),
        ("not an address", ""),
        (None, ""),
    ],
)
def test_mailto_contacts_keep_the_address_only(value, address):
    assert contact_address(value) == address


def test_contact_point_name_and_address():
    entry = {"contactPoint": {"fn": "SIG", "hasEmail": "mailto:sig@city.example?subject=Open"}}
    assert contact_of(entry) == ("SIG", "sig@city.example")
    (koop,) = KOOP_FEED["dcat:dataset"]
    assert contact_of(koop) == ("thervey_qa_pre_a_hub", "")  # vcard:hasEmail is null


def test_keywords_lose_no_break_and_zero_width_padding_and_repeats():
    entry = {"identifier": "k", "keyword": ["\u00a0mobilité ", "\u200bvélo\u200b", "vélo", " "]}
    assert entry_to_record(entry).keywords == ["mobilité", "vélo"]


def test_url_hosts_are_normalised_to_lower_case():
    entry = {
        "identifier": "k",
        "landingPage": "HTTPS://OpenData.Ville.EXAMPLE/datasets/ABC_0",
        "distribution": [{"downloadURL": "https://OpenData.Ville.example:8443/Files/A.CSV"}],
    }
    record = entry_to_record(entry)
    assert record.landing_page == "https://opendata.ville.example/datasets/ABC_0"  # path kept
    assert record.distributions[0].url == "https://opendata.ville.example:8443/Files/A.CSV"
    assert normal_url("ftp://host/x") == "" and normal_url("javascript:alert(1)") == ""


def test_download_url_preferred_and_links_without_http_dropped():
    entry = {
        "identifier": "d",
        "distribution": [
            {"accessURL": "https://h.example/page", "downloadURL": "https://h.example/f.csv"},
            {"dcat:accessURL": {"@id": "https://h.example/api"}, "dct:format": "ftype:JSON"},
            {"accessURL": "javascript:alert(1)"},
            "not a distribution",
        ],
    }
    first, second = entry_to_record(entry).distributions
    assert (first.url, first.access_service) == (
        "https://h.example/f.csv",
        "https://h.example/page",
    )
    assert (second.url, second.format) == ("https://h.example/api", "JSON")


@pytest.mark.parametrize("entry", ["a string", 42, None, [], {"title": "no identifier"}])
def test_odd_entries_are_malformed_records(entry):
    with pytest.raises(MalformedRecord):
        entry_to_record(entry)


def test_odd_field_shapes_do_not_crash():
    entry = {
        "identifier": ["id-1"],
        "title": {"@value": "Titre"},
        "keyword": "un seul",
        "theme": [{"@id": "http://publications.europa.eu/resource/authority/data-theme/TRAN"}],
        "publisher": [{"foaf:name": "Ville"}],
        "distribution": {"accessURL": "https://h.example/a"},
        "modified": 20240101,
        "license": {"@id": "https://creativecommons.org/licenses/by/4.0/"},
    }
    record = entry_to_record(entry)
    assert (record.identifier, record.title, record.publisher) == ("id-1", "Titre", "Ville")
    assert record.keywords == ["un seul"]
    assert record.categories == ["http://publications.europa.eu/resource/authority/data-theme/TRAN"]
    assert record.modified == ""
    assert record.license_url == "https://creativecommons.org/licenses/by/4.0/"
    assert len(record.distributions) == 1


def test_graph_nodes_other_than_datasets_are_not_entries():
    assert is_dataset({"@type": "dcat:Dataset"})
    assert is_dataset({"@type": ["http://www.w3.org/ns/dcat#Dataset"]})
    assert not is_dataset({"@type": "dcat:Catalog"})
    assert is_dataset("odd")  # kept, to be reported as malformed
