"""National HVD markers: which ones put a dataset in scope, and what the marker-only rule says.

The records are small inline ones (each marker as the named portal writes it); the real
catalogues with markers are checked in tests/unit/hvd/real/.
"""

from __future__ import annotations

import pytest

from ckanext.partnercity.hvd.rules import engine, loaders, markers

from .cases import ELI, good_package, outcome, package

PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcatap: <http://data.europa.eu/r5r/> .
"""
ADDRESSES = "http://data.europa.eu/bna/c_c3de25e4"  # Geospatial › Addresses
GEOSPATIAL = "http://data.europa.eu/bna/c_ac64a52d"


def rdf_record(body: str):
    return loaders.load((PREFIXES + body).encode(), name="t.ttl").datasets[0]


def marker_rule_result(record) -> dict:
    report = engine.evaluate_record(record, engine.select_rules())
    return next(r for r in report["results"] if r["rule"] == "hvd.dataset.marker-only")


@pytest.mark.parametrize(
    "body, expected",
    [
        (
            "<http://x/d> a dcat:Dataset ; dct:type "
            "<http://publications.europa.eu/resource/authority/dataset-type/HVD> .",
            "dct:type http://publications.europa.eu/resource/authority/dataset-type/HVD",
        ),
        ('<http://x/d> a dcat:Dataset ; dcat:keyword "hvd" .', 'keyword "hvd"'),
        (
            '<http://x/d> a dcat:Dataset ; dcat:keyword "HVD_cat_energy_resources"@en .',
            'keyword "HVD_cat_energy_resources"',
        ),
        (
            f"<http://x/d> a dcat:Dataset ; dcat:theme <{ADDRESSES}> .",
            f"dcat:theme {ADDRESSES} (HVD category thesaurus)",
        ),
        (
            "<http://x/d> a dcat:Dataset ; dcat:theme <http://x/c> .\n"
            "<http://x/c> skos:inScheme <http://data.europa.eu/bna/asd487ae75> .",
            "dcat:theme http://x/c (HVD category thesaurus)",
        ),
    ],
)
def test_each_rdf_marker_puts_the_dataset_in_scope_and_is_named(body, expected):
    record = rdf_record(body)
    assert markers.find(record) == [expected]
    assert engine.in_scope(record)
    result = marker_rule_result(record)
    assert result["outcome"] == "fail" and result["severity"] == "violation"
    assert result["evidence"] == [
        f"marked HVD by {expected} but lacks dcatap:applicableLegislation <{ELI}> "
        "and dcatap:hvdCategory"
    ]


def test_thesaurus_labels_count_as_a_category_with_its_broader_one_in_any_language():
    """INSPIRE thesaurus tagging flattened to keywords (Danish labels of the vocabulary)."""
    record = rdf_record(
        '<http://x/d> a dcat:Dataset ; dcat:keyword "Adresser"@da, "Geospatiale data"@da .'
    )
    assert markers.find(record) == [
        f'keyword "Adresser" = HVD category {ADDRESSES}',
        f'keyword "Geospatiale data" = HVD category {GEOSPATIAL}',
    ]


@pytest.mark.parametrize("words", [["Statistik"], ["Population", "Noise"], ["Adressen", "Wetter"]])
def test_a_common_word_equal_to_a_category_label_is_not_a_declaration(words):
    """ "Statistik" alone, or two unrelated categories, are the duties finder's business."""
    keywords = ", ".join(f'"{w}"' for w in words)
    record = rdf_record(f"<http://x/d> a dcat:Dataset ; dcat:keyword {keywords} .")
    assert markers.find(record) == []
    assert not engine.in_scope(record)
    assert outcome("hvd.dataset.marker-only", record) == "n/a"


def test_marker_with_the_full_dcat_ap_hvd_form_passes():
    record = rdf_record(
        "<http://x/d> a dcat:Dataset ; dcatap:applicableLegislation "
        f'<{ELI}> ; dcatap:hvdCategory <{ADDRESSES}> ; dcat:keyword "HVD" .'
    )
    assert marker_rule_result(record)["outcome"] == "pass"


def test_a_marker_with_a_category_but_no_eli_names_only_the_eli():
    record = rdf_record(
        f'<http://x/d> a dcat:Dataset ; dcatap:hvdCategory <{ADDRESSES}> ; dcat:keyword "hvd" .'
    )
    result = marker_rule_result(record)
    assert result["outcome"] == "fail"
    assert result["evidence"][0].endswith(f"lacks dcatap:applicableLegislation <{ELI}>")


def _bare_ckan(**fields) -> dict:
    pkg = package(applicable_legislation=[], hvd_category=[])
    for resource in pkg["resources"]:
        resource.pop("access_services", None)
    pkg.update(fields)
    return pkg


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"tags": [{"name": "hvd"}]}, ['keyword "hvd"']),
        (
            {"partner_hvd_markers": ["udata: hvd badge", "udata: hvd tag"]},
            ["udata: hvd badge", "udata: hvd tag"],
        ),
        (  # scheming keeps lists as JSON text in extras
            {"extras": [{"key": "partner_hvd_markers", "value": '["piveau: is_hvd"]'}]},
            ["piveau: is_hvd"],
        ),
        ({"has_high_value_data": True}, ["dane.gov.pl: has_high_value_data"]),
        (
            {"extras": [{"key": "has_high_value_data_from_ec_list", "value": "true"}]},
            ["dane.gov.pl: has_high_value_data_from_ec_list"],
        ),
        (
            {"dcat_type": "http://publications.europa.eu/resource/authority/dataset-type/HVD"},
            ["dct:type http://publications.europa.eu/resource/authority/dataset-type/HVD"],
        ),
    ],
)
def test_ckan_markers_put_the_dataset_in_scope(fields, expected):
    record = loaders.record_from_ckan(_bare_ckan(**fields))
    assert markers.find(record) == expected
    report = engine.check_catalogue(loaders.catalogue_from_ckan([_bare_ckan(**fields)]))
    ds = report["datasets"][0]
    assert ds["in_scope"] and ds["markers"] == expected
    assert ds["status"] == "non_compliant"
    failed = {r["rule"] for r in ds["results"] if r["outcome"] == "fail"}
    assert {"hvd.dataset.marker-only", "hvd.dataset.eli", "hvd.dataset.category"} <= failed


@pytest.mark.parametrize("flag", [False, "false", None])
def test_a_false_dane_flag_is_no_marker(flag):
    record = loaders.record_from_ckan(_bare_ckan(has_high_value_data=flag))
    assert markers.find(record) == [] and not engine.in_scope(record)


def test_reports_list_markers_also_for_datasets_without_any():
    report = engine.check_catalogue(loaders.catalogue_from_ckan([good_package()]))
    assert report["datasets"][0]["markers"] == []
