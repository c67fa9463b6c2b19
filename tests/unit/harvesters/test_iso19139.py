"""ISO 19139 records (real GeoNetwork, Géoplateforme and SEMIC HVD test records) as
PartnerRecords, and the odd shapes a partner catalogue may send."""

from __future__ import annotations

import pytest
from lxml import etree

from ckanext.partnercity.harvesters.base import MalformedRecord
from ckanext.partnercity.harvesters.portals.iso19139 import hvd_category_uri, metadata_to_record
from tests.support.csw_portal import GEONETWORK_PAGES, HVD_RECORD, IGN_PAGE, load_records

ELI_HVD = "http://data.europa.eu/eli/reg_impl/2023/138/oj"
GMD_NS = (
    'xmlns:gmd="http://www.isotc211.org/2005/gmd" xmlns:gco="http://www.isotc211.org/2005/gco" '
    'xmlns:gmx="http://www.isotc211.org/2005/gmx" xmlns:xlink="http://www.w3.org/1999/xlink"'
)


def landing(identifier: str) -> str:
    return f"https://geo.example/srv/api/records/{identifier}"


def record_of(raw: bytes):
    return metadata_to_record(etree.fromstring(raw), landing)


def first(name: str):
    return record_of(load_records(name)[0])


def test_geonetwork_plu_record():
    record = first(GEONETWORK_PAGES[1])
    identifier = "fr-120066022-ldd-56fce164-04b2-41ae-be87-9f256f39dd44"
    assert record.identifier == identifier
    assert record.title == "Plan local d'urbanisme de la commune de Cartigny"
    assert record.description.startswith("Le présent standard de données COVADIS concerne")
    assert record.landing_page == record.uri == landing(identifier)
    assert record.publisher == (
        "DDTM 80 (Direction Départementale des Territoires et de la Mer de la Somme)"
    )
    assert (record.issued, record.modified) == ("2017-10-07", "")
    assert record.language == ["fre"]
    # topic category code, then the INSPIRE theme (a label, no anchor in this record)
    assert record.categories == ["planningCadastre", "Usage des sols"]
    assert record.keywords == [
        "Aménagement Urbanisme/Zonages Planification",
        "cartigny",
        "document d'urbanisme",
        "plu",
        "usage des sols",
        "données ouvertes",
    ]
    # the useLimitation naming a licence wins over the other four; its URL is read from the text
    assert record.license_title == (
        "Licence Ouverte 1.0 http://www.data.gouv.fr/Licence-Ouverte-Open-Licence."
    )
    assert record.license_url == "http://www.data.gouv.fr/Licence-Ouverte-Open-Licence"
    assert (record.hvd_category, record.hvd_markers) == ([], [])


def test_geonetwork_online_resources_without_the_records_own_metadata_views():
    record = first(GEONETWORK_PAGES[1])
    urls = [d.url for d in record.distributions]
    assert len(urls) == 9
    assert not any("GetRecordById" in url or "catalog.search" in url for url in urls)
    atom = [d for d in record.distributions if d.title.startswith("Téléchargement simple (Atom)")]
    # WWW:DOWNLOAD of the record's one declared distribution format
    assert [d.format for d in atom] == ["MapInfo TAB", "MapInfo TAB"]
    links = [d for d in record.distributions if "atomMetadata" in d.url]
    assert [d.format for d in links] == ["", ""]  # WWW:LINK says nothing of the format


def test_geonetwork_revision_date_and_shapefile_downloads():
    record = first(GEONETWORK_PAGES[3])
    assert record.identifier == "fr-120066022-jdd-585c9cd3-d542-407a-b6a5-885f062b0024"
    assert (record.issued, record.modified) == ("2021-06-18", "2021-11-19")
    assert [d.format for d in record.distributions] == [
        "ESRI Shapefile (SHP)",
        "ESRI Shapefile (SHP)",
        "",
        "",
    ]
    assert record.license_url == (
        "https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf"
    )


def test_semic_hvd_record_keywords_by_thesaurus():
    record = first(HVD_RECORD)
    assert record.identifier == "123e4567-e89b-12d3-a456-426655440000"
    assert record.title == "Land Use map of MyCountry"
    assert record.uri == "http://www.my-organisation.eu/so/lu/land-use-map"
    assert record.landing_page == landing(record.identifier)
    assert record.hvd_category == [
        "http://data.europa.eu/bna/c_dd313021",
        "http://data.europa.eu/bna/c_f399050e",
    ]
    assert record.applicable_legislation == [ELI_HVD]
    assert record.hvd_markers == [
        "INSPIRE: HVD regulation keyword",
        "INSPIRE: HVD category thesaurus",
    ]
    assert record.categories == ["planningCadastre", "http://inspire.ec.europa.eu/theme/lu"]
    assert record.keywords == [
        "land development",
        "land use regime",
        "National",
        "Directive 2000/60/EC",
    ]
    assert record.publisher == "MyOrganisation"
    assert record.issued == "2019-05-15"
    # useConstraints/otherConstraints is the licence; accessConstraints is not
    assert record.license_title == "No conditions apply to access and use"
    assert record.license_url == (
        "http://inspire.ec.europa.eu/metadata-codelist/ConditionsApplyingToAccessAndUse/"
        "noConditionsApply"
    )
    wms, wfs = record.distributions
    assert (wms.format, wfs.format) == ("WMS", "WFS")
    assert wms.access_service == wms.url
    assert wms.title == "WMS GetCapabilities request for viewing the data set related to Land Use"


def test_geoplateforme_record_publications_office_hvd_uri_and_file_types():
    record = first(IGN_PAGE)
    assert record.identifier == "IGNF_RPG"
    assert record.hvd_category == ["http://data.europa.eu/bna/c_ac64a52d"]
    assert record.hvd_markers == ["INSPIRE: HVD category thesaurus", "ISO 19139: hvd keyword"]
    assert (record.issued, record.modified) == ("2007-01-01", "2025-01-01")
    assert record.license_title == "Licence Ouverte / Open License (compatible ODC-BY, CC-BY 2.0)"
    assert record.license_url == (
        "https://www.etalab.gouv.fr/wp-content/uploads/2018/11/open-licence.pdf"
    )
    assert [d.format for d in record.distributions] == [
        *["", "PDF", "PDF", "PDF", "PDF", "ZIP", "PDF", "CSV", "CSV", "CSV"],
        *["WMS", "WMS", "WMTS", "WFS"],
    ]
    assert "http://inspire.ec.europa.eu/theme/lc" in record.categories


@pytest.mark.parametrize(
    ("anchor", "expected"),
    [
        ("http://data.europa.eu/bna/c_dd313021", "http://data.europa.eu/bna/c_dd313021"),
        (
            "http://publications.europa.eu/resource/authority/bna/c_ac64a52d",
            "http://data.europa.eu/bna/c_ac64a52d",
        ),
        ("http://data.europa.eu/bna/asd487ae75", ""),
        ("http://data.europa.eu/bna/c_dd313021/extra", ""),
        ("", ""),
    ],
)
def test_hvd_category_uri(anchor, expected):
    assert hvd_category_uri(anchor) == expected


def _minimal(inner: str, identifier: str = "<gco:CharacterString>r1</gco:CharacterString>"):
    return (
        f"<gmd:MD_Metadata {GMD_NS}><gmd:fileIdentifier>{identifier}</gmd:fileIdentifier>"
        f"{inner}</gmd:MD_Metadata>"
    ).encode()


def test_record_without_file_identifier_is_malformed():
    with pytest.raises(MalformedRecord, match="fileIdentifier"):
        record_of(_minimal("", identifier=""))


def test_record_without_identification_is_malformed_and_named():
    with pytest.raises(MalformedRecord, match="identificationInfo") as caught:
        record_of(_minimal(""))
    assert caught.value.identifier == "r1"


def test_an_element_that_is_not_iso_metadata_is_malformed():
    element = etree.fromstring(b'<csw:Record xmlns:csw="http://www.opengis.net/cat/csw/2.0.2"/>')
    with pytest.raises(MalformedRecord, match="not an ISO 19139 record: Record"):
        metadata_to_record(element, landing)


def test_title_falls_back_to_the_identifier_and_translations_are_kept():
    raw = _minimal(
        '<gmd:locale><gmd:PT_Locale id="DE"><gmd:languageCode>'
        '<gmd:LanguageCode codeListValue="ger"/></gmd:languageCode></gmd:PT_Locale></gmd:locale>'
        "<gmd:identificationInfo><gmd:MD_DataIdentification>"
        "<gmd:citation><gmd:CI_Citation><gmd:title/></gmd:CI_Citation></gmd:citation>"
        "<gmd:abstract><gco:CharacterString> Parks </gco:CharacterString>"
        '<gmd:PT_FreeText><gmd:textGroup><gmd:LocalisedCharacterString locale="#DE">Parks und'
        " Gärten</gmd:LocalisedCharacterString></gmd:textGroup></gmd:PT_FreeText></gmd:abstract>"
        "<gmd:descriptiveKeywords><gmd:MD_Keywords><gmd:keyword/><gmd:keyword>"
        "<gco:CharacterString>parks</gco:CharacterString></gmd:keyword></gmd:MD_Keywords>"
        "</gmd:descriptiveKeywords>"
        "</gmd:MD_DataIdentification></gmd:identificationInfo>"
        "<gmd:distributionInfo><gmd:MD_Distribution><gmd:transferOptions>"
        "<gmd:MD_DigitalTransferOptions><gmd:onLine><gmd:CI_OnlineResource><gmd:linkage>"
        "<gmd:URL>javascript:alert(1)</gmd:URL></gmd:linkage></gmd:CI_OnlineResource>"
        "</gmd:onLine><gmd:onLine><gmd:CI_OnlineResource><gmd:linkage><gmd:URL>"
        "https://geo.example/wms?SERVICE=WMS&amp;REQUEST=GetCapabilities</gmd:URL></gmd:linkage>"
        "</gmd:CI_OnlineResource></gmd:onLine></gmd:MD_DigitalTransferOptions>"
        "</gmd:transferOptions></gmd:MD_Distribution></gmd:distributionInfo>"
    )
    record = record_of(raw)
    assert record.title == "r1"
    assert record.description == "Parks"
    assert record.translations == {"description": {"de": "Parks und Gärten"}}
    assert record.keywords == ["parks"]
    # a non-http link is dropped; a service named in the URL gives the label
    assert [(d.url, d.format) for d in record.distributions] == [
        ("https://geo.example/wms?SERVICE=WMS&REQUEST=GetCapabilities", "WMS")
    ]
    assert (record.license_title, record.license_url, record.publisher) == ("", "", "")
