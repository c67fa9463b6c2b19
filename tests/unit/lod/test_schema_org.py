"""schema.org JSON-LD of reference and partner pages."""

from __future__ import annotations

import json
import re

from ckanext.partnercity.lod import schema_org

SITE = "https://data.example.de"
ALBA = {
    "name": "alba-iulia",
    "title": "Alba Iulia",
    "country": "RO",
    "wikidata": "http://www.wikidata.org/entity/Q64",
    "portal_url": "https://data.apulum.ro",
}
REFERENCE = {
    "name": "alba-iulia-calitatea-aerului-1a2b3c4d5e",
    "title": "Calitatea aerului",
    "notes": "Măsurători </script><script>alert(1)</script>",
    "partner_uri": "https://data.apulum.ro/id/dataset/aer",
    "partner_landing_page": "https://data.apulum.ro/dataset/aer",
    "partner_identifier": "aer",
    "partner_license_url": "javascript:alert(2)",
    "partner_keywords": ["aer", "poluare"],
    "language": ["ro"],
    "modified": "2024-03-01",
    "resources": [{"url": "https://data.apulum.ro/aer.csv", "format": "CSV"}, {"url": "ftp:x"}],
}


def _parse(tag: str) -> dict:
    match = re.fullmatch(r'<script type="application/ld\+json">(.*)</script>', tag, re.S)
    assert match is not None
    return json.loads(match.group(1))


def test_a_reference_is_the_partners_dataset_found_through_us():
    data = _parse(schema_org.script_tag(schema_org.reference_page(REFERENCE, ALBA, SITE + "/")))
    assert data["@context"] == "https://schema.org" and data["@type"] == "Dataset"
    assert data["url"] == "https://data.apulum.ro/dataset/aer"
    assert data["isBasedOn"] == "https://data.apulum.ro/id/dataset/aer"
    assert data["mainEntityOfPage"] == f"{SITE}/partner_dataset/{REFERENCE['name']}"
    city = data["spatialCoverage"]
    assert city["@type"] == "City" and city["name"] == "Alba Iulia"
    assert city["sameAs"] == "http://www.wikidata.org/entity/Q64"
    assert city["address"]["addressCountry"] == "RO"
    assert "license" not in data  # not an http(s) URL
    assert [d["contentUrl"] for d in data["distribution"]] == ["https://data.apulum.ro/aer.csv"]
    assert data["keywords"] == ["aer", "poluare"] and data["inLanguage"] == ["ro"]
    assert data["description"].startswith("Măsurători </script>")  # text kept, as data


def test_partner_text_cannot_end_the_script_element():
    tag = schema_org.script_tag(schema_org.reference_page(REFERENCE, ALBA, SITE))
    assert tag.count("</script>") == 1 and tag.count("<script") == 1
    assert "\\u003c/script\\u003e" in tag


def test_without_a_partner_uri_the_landing_page_stands_for_it():
    data = schema_org.reference_page(dict(REFERENCE, partner_uri=""), None, SITE)
    assert data["url"] == data["isBasedOn"] == "https://data.apulum.ro/dataset/aer"
    assert "spatialCoverage" not in data


def test_a_partner_page_is_a_city():
    data = _parse(schema_org.script_tag(schema_org.city_page(ALBA, SITE)))
    assert data == {
        "@context": "https://schema.org",
        "@type": "City",
        "@id": f"{SITE}/partner-cities/alba-iulia#city",
        "name": "Alba Iulia",
        "url": f"{SITE}/partner-cities/alba-iulia",
        "sameAs": "http://www.wikidata.org/entity/Q64",
        "address": {"@type": "PostalAddress", "addressCountry": "RO"},
        "subjectOf": {"@type": "DataCatalog", "url": "https://data.apulum.ro"},
    }
