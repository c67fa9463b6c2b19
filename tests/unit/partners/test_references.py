"""From a harvested record to the fields of a reference."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from ckanext.partnercity.harvesters.base import Distribution, PartnerRecord
from ckanext.partnercity.hvd.rules.licences import ckan_licence_id
from ckanext.partnercity.logic.validators import partnercity_cap_text
from ckanext.partnercity.partners.references import (
    IDENTIFIER_MAX,
    fingerprint,
    identifier_key,
    package_fields,
    reference_name,
)

RECORD = PartnerRecord(
    identifier="b3f1c2d4-aer",
    title="Calitatea aerului în Alba Iulia",
    description="Măsurători <script>alert(1)</script> orare",
    landing_page="https://data.apulum.ro/dataset/calitatea-aerului",
    license_title="Creative Commons Attribution 4.0",
    license_url="https://creativecommons.org/licenses/by/4.0/",
    categories=["Mediu", "Mediu"],
    keywords=["aer", "poluare"],
    hvd_category=["http://data.europa.eu/bna/c_dd313021", "javascript:alert(1)"],
    distributions=[
        Distribution(url="https://data.apulum.ro/aer.csv", format="CSV", media_type="text/csv"),
        Distribution(url="javascript:alert(1)", format="HTML"),
    ],
)


def test_reference_name_is_stable_readable_and_bounded():
    name = reference_name("alba-iulia", RECORD)
    assert name.startswith("alba-iulia-calitatea-aerului-in-alba-iulia-")
    assert name == reference_name("alba-iulia", replace(RECORD, description="changed"))
    long = replace(RECORD, title="x" * 500)
    assert len(reference_name("alba-iulia", long)) <= 100
    other = replace(RECORD, identifier="another")
    assert reference_name("alba-iulia", other) != name


def test_fingerprint_is_the_hash_of_the_record_as_json():
    import hashlib
    import json
    from dataclasses import asdict

    expected = json.dumps(asdict(RECORD), sort_keys=True, ensure_ascii=False, default=str)
    assert fingerprint(RECORD) == hashlib.sha256(expected.encode()).hexdigest()


def test_fingerprint_changes_with_content_only():
    assert fingerprint(RECORD) == fingerprint(replace(RECORD))
    assert fingerprint(RECORD) != fingerprint(replace(RECORD, title="Altă calitate"))
    moved = replace(RECORD, distributions=[replace(RECORD.distributions[0], url="https://x.ro/a")])
    assert fingerprint(RECORD) != fingerprint(moved)


def test_package_fields_are_sanitized():
    fields = package_fields(RECORD)
    assert fields["type"] == "partner_dataset"
    assert fields["title"] == "Calitatea aerului în Alba Iulia"
    assert "<script" not in fields["notes"]
    assert fields["license_id"] == "cc-by"
    assert fields["partner_license"] == "Creative Commons Attribution 4.0"
    assert fields["partner_categories"] == ["Mediu"]
    assert fields["hvd_category"] == ["http://data.europa.eu/bna/c_dd313021"]
    assert [r["url"] for r in fields["resources"]] == ["https://data.apulum.ro/aer.csv"]
    assert fields["resources"][0]["mimetype"] == "text/csv"


def test_license_normalization():
    assert ckan_licence_id("", "https://www.govdata.de/dl-de/by-2-0") == "other-at"
    assert ckan_licence_id("", "http://dcat-ap.de/def/licenses/dl-zero-de/2.0") == "other-pd"
    assert ckan_licence_id("Licence Ouverte v2.0 (Etalab)", "") == "other-at"
    assert ckan_licence_id("CC BY-SA 4.0", "") == "cc-by-sa"
    assert ckan_licence_id("", "https://creativecommons.org/licenses/by/4.0/") == "cc-by"
    assert ckan_licence_id("ODbL", "") == "odc-odbl"
    assert ckan_licence_id("Proprietary terms", "") == ""


def test_reference_names_transliterate_other_scripts():
    """Sofia's Cyrillic titles give readable names, not just "dataset" and a hash."""
    record = replace(RECORD, identifier="bg-1", title="Качество на въздуха")
    assert reference_name("sofia", record).startswith("sofia-kachestvo-na-vzdukha-")


def test_local_category_uris_stay_apart_in_any_script():
    from ckanext.partnercity.themes.mappings import category_uri

    base = "https://portal.example/partner-cities/sofia/categories"
    uris = {category_uri(base, label) for label in ("Околна среда", "Транспорт", "Straße")}
    assert uris == {f"{base}/okolna-sreda", f"{base}/transport", f"{base}/strasse"}


LONG_ID = "https://alba-iulia.example/dataset/" + "tronson-" * 83


def test_one_identifier_key_for_every_spelling_of_an_identifier():
    assert identifier_key("parking&amp;charging") == identifier_key("parking&charging")
    nfd = unicodedata.normalize("NFD", "piața-café")
    assert identifier_key(nfd) == identifier_key(unicodedata.normalize("NFC", nfd)) != nfd
    assert package_fields(replace(RECORD, identifier=nfd))["partner_identifier"] == (
        identifier_key(nfd)
    )


def test_long_identifiers_stay_apart_and_the_schema_keeps_every_key_as_it_is():
    twin = LONG_ID[:-1] + "x"
    assert identifier_key(LONG_ID) != identifier_key(twin)
    for identifier in (LONG_ID, twin, "<b>bold</b> &amp;amp; id", "  spaced \t id ", "a&amp;b"):
        key = identifier_key(identifier)
        assert len(key) <= IDENTIFIER_MAX
        assert identifier_key(key) == key
        assert partnercity_cap_text(key) == key  # what the dataset schema stores
