"""The EU reporting view on the official examples and on CKAN dicts, the layer of every
rule result, and the three layers in the CSV and HTML reports."""

from __future__ import annotations

import copy
import csv
import io
from pathlib import Path

import pytest

from ckanext.partnercity.hvd.rules import engine, eu_reporting, loaders, report
from ckanext.partnercity.hvd.rules.engine import RuleError, _rule

from .cases import package

EXAMPLES = Path(__file__).resolve().parents[3] / "fixtures" / "hvd" / "examples-3.0.0"
BEES = "https://data.exampleMS.gov/id/dataset/1T2p3o4B"
RECORD = "urn:ckan:dataset:population#record"


def _example(name: str, extra: str = "") -> dict:
    data = (EXAMPLES / name).read_bytes() + extra.encode()
    return engine.check_catalogue(loaders.load(data, name=name))


def _bees(report_: dict) -> dict:
    return next(d for d in report_["datasets"] if d["uri"] == BEES)["eu_reporting"]


# -- the official DCAT-AP HVD 3.0.0 examples -----------------------------------------------


def test_the_complete_official_example_passes_the_shapes_but_is_not_counted():
    """example-ms_catalogue_hvd passes every official shape, yet the reporting would not count
    it: the catalogue names no country, there is no catalogue record, the SHP distribution has
    no download URL and the API's licence (TermsOfUse) is not mapped to CC BY 4.0 or CC0."""
    result = _example("example-ms_catalogue_hvd.ttl")
    shapes = [r for r in result["datasets"][0]["results"] if r["layer"] == "shapes"]
    assert shapes and all(r["outcome"] != "fail" or r["severity"] != "violation" for r in shapes)
    assert _bees(result) == {
        "counted": False,
        "reasons": [
            "catalogue has no dct:spatial (country)",
            "no dcat:CatalogRecord with foaf:primaryTopic and dct:identifier",
            f"distribution {BEES}-dist-SHP: no dcat:downloadURL",
            "data service https://data.exampleMS.gov/id/dataset/EAMS-APIplatform: licence "
            "https://orgea.exampleMS.gov/api/documentation/TermsOfUse is not CC BY 4.0 or CC0 "
            "nor mapped to one",
        ],
        "criteria": _bees(result)["criteria"],
    }


def test_the_complete_official_example_is_counted_once_the_gaps_are_filled():
    extra = f"""
    @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
    @prefix foaf: <http://xmlns.com/foaf/0.1/> .
    exampleMS:HVD-reporting-2023 dct:spatial
        <http://publications.europa.eu/resource/authority/country/BEL> .
    <{BEES}-record> a dcat:CatalogRecord ; foaf:primaryTopic exampleMS:1T2p3o4B ;
        dct:identifier "1T2p3o4B" .
    exampleMS:1T2p3o4B-dist-SHP dcat:downloadURL <https://orgea.exampleMS.gov/files/1T2p3o4B.zip> .
    """
    result = _example("example-ms_catalogue_hvd.ttl", extra)
    assert _bees(result)["counted"] is True
    assert result["summary"]["eu_reporting"]["country"].endswith("/BEL")


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("example-*.ttl")))
def test_no_official_example_is_counted_as_published(name):
    """None names a catalogue country; the fragments miss more (category, English text)."""
    try:
        result = _example(name)
    except loaders.LoadError:
        assert name == "example-bees_wasps_dataset.ttl"  # not valid Turtle as published
        return
    for ds in result["datasets"]:
        assert ds["eu_reporting"]["counted"] is False
        if ds["in_scope"]:
            assert any("dct:spatial" in r for r in ds["eu_reporting"]["reasons"])


def test_fragments_without_category_or_english_description_say_so():
    reasons = _bees(_example("example-ms_dataset_2_licenses.ttl"))["reasons"]
    assert "no dcatap:hvdCategory" in reasons and "no English dct:description" in reasons
    assert (
        "data service https://data.exampleMS.gov/id/dataset/EAMS-APIplatform: no "
        "dcat:contactPoint; no documentation page (foaf:page); no dcatap:hvdCategory; "
        "no dct:license"
    ) in reasons


# -- CKAN dataset dicts (the portal and `partnercity-hvd check` on CKAN JSON) -----------------


def test_a_ckan_dataset_is_counted_when_the_portal_names_its_country():
    cat = loaders.catalogue_from_ckan([package()], country="DEU")
    assert [r.values("dct:identifier")[0].value for r in cat.records[cat.datasets[0].uri]] == [
        "pop-1"
    ]
    result = engine.check_catalogue(cat)
    assert result["datasets"][0]["eu_reporting"] == {
        "counted": True,
        "reasons": [],
        "criteria": result["datasets"][0]["eu_reporting"]["criteria"],
    }


def test_without_a_configured_country_ckan_datasets_are_not_counted():
    result = engine.check_catalogue(loaders.catalogue_from_ckan([package()]))
    assert result["datasets"][0]["eu_reporting"]["reasons"] == [
        "catalogue has no dct:spatial (country)"
    ]


def test_a_ckan_dict_without_id_has_no_catalogue_record():
    pkg = package()
    del pkg["id"]
    result = engine.check_catalogue(loaders.catalogue_from_ckan([pkg], country="DEU"))
    assert result["datasets"][0]["eu_reporting"]["reasons"] == [
        "no dcat:CatalogRecord with foaf:primaryTopic and dct:identifier"
    ]


def test_ckan_json_without_english_text_has_no_violation_but_is_not_counted():
    """The issue's second case: two warnings for the shapes, not counted by the EU view."""
    pkg = package(title_translated={"de": "Bevölkerung"}, notes_translated={})
    cat = loaders.catalogue_from_ckan([pkg], country="DEU")
    first = engine.check_catalogue(cat)["datasets"][0]
    attest = [r["rule"] for r in first["results"] if r["outcome"] == "attest"]
    signed = [
        {"dataset": first["uri"], "rule": rule, "by": "auditor", "at": "2026-12-05", "note": ""}
        for rule in attest
    ]  # every open item attested by a person: nothing else is missing for the verdict
    result = engine.check_catalogue(cat, attestations=signed)
    ds = result["datasets"][0]
    assert ds["status"] == "compliant"
    warnings = {r["rule"] for r in ds["results"] if r["outcome"] == "fail"}
    assert warnings == {"hvd.report.title-en", "hvd.report.description-en"}
    assert ds["eu_reporting"]["reasons"] == ["no English dct:title", "no English dct:description"]


# -- layers -----------------------------------------------------------------------------


def test_every_result_names_its_layer():
    result = engine.check_catalogue(loaders.catalogue_from_ckan([package()], country="DEU"))
    layers = {r["rule"]: r["layer"] for r in result["datasets"][0]["results"]}
    assert set(layers.values()) == {"shapes", "eu_reporting", "beyond"}
    assert layers["hvd.dataset.eli"] == layers["hvd.service.documentation"] == "shapes"
    assert (
        layers["hvd.report.title-en"] == layers["hvd.dataset.category-specific"] == "eu_reporting"
    )
    assert layers["hvd.attest.free-of-charge"] == layers["hvd.licence.open"] == "beyond"
    rules = engine.rules_by_id()
    assert all(
        rules[rid].layer == ("shapes" if rules[rid].shape else rules[rid].layer) for rid in layers
    )
    assert {r["id"]: r["layer"] for r in result["summary"]["rule_list"]}[
        "hvd.dataset.eli"
    ] == "shapes"


def test_a_rule_with_an_unknown_layer_is_refused():
    raw = {
        "id": "x", "title": {"en": "x", "de": "x"}, "source": "s", "severity": "warning",
        "scope": "all", "kind": "metadata", "rule_sets": ["dcat-ap-hvd-3.0.0"],
        "fix": {"en": "x", "de": "x"}, "check": "attest", "layer": "vibes",
    }  # fmt: skip
    with pytest.raises(RuleError, match="unknown layer"):
        _rule(raw, "test")
    assert _rule({**raw, "layer": "eu_reporting"}, "test").layer == "eu_reporting"


# -- CSV and HTML ----------------------------------------------------------------------


def _two_datasets() -> dict:
    counted = package()
    missing = package(
        id="pop-2", name="pop2", uri="https://data.example.org/dataset/p2", title_translated={}
    )
    other = package(
        id="x", name="x", uri="https://data.example.org/dataset/x", hvd_category=[],
        applicable_legislation=[],
    )  # fmt: skip
    return engine.check_catalogue(
        loaders.catalogue_from_ckan([counted, missing, other], country="DEU")
    )


def test_csv_has_the_eu_view_and_the_layer_on_every_row():
    rows = list(csv.DictReader(io.StringIO(report.to_csv(_two_datasets()), newline="")))
    by_uri = {}
    for row in rows:
        by_uri.setdefault(row["dataset"], []).append(row)
    assert {r["eu_counted"] for r in by_uri["https://data.example.org/dataset/population"]} == {
        "true"
    }
    missing = by_uri["https://data.example.org/dataset/p2"]
    assert {r["eu_counted"] for r in missing} == {"false"}
    assert {r["eu_reasons"] for r in missing} == {"no English dct:title"}
    assert {r["layer"] for r in missing} == {"shapes", "eu_reporting", "beyond"}
    (out,) = by_uri["https://data.example.org/dataset/x"]
    assert (out["rule"], out["layer"], out["eu_counted"], out["eu_reasons"]) == (
        "", "", "false", "not in HVD scope",
    )  # fmt: skip


def test_html_shows_three_layers_and_the_eu_reporting_section():
    html = report.to_html(_two_datasets())
    header = html.split('id="datasets"')[1].split("<thead>")[1].split("</thead>")[0]
    assert (
        header.index("Official shapes")
        < header.index("EU reporting view")
        < header.index("Beyond the shapes")
    )
    section = html.split('<h2 id="eu-reporting">')[1].split('<h2 id="failed">')[0]
    assert "<tr><td>Counted in the EU report</td><td>1</td></tr>" in section
    assert "<tr><td>Datasets without an English title</td><td>1</td></tr>" in section
    assert "http://publications.europa.eu/resource/authority/country/DEU" in section
    reasons = section.split('id="eu-reporting-reasons"')[1]
    assert "<li>no English dct:title</li>" in reasons
    assert "dataset/population" not in reasons  # counted: not listed among the reasons
    assert "dataset/x<" not in reasons  # out of scope: not listed either


def test_german_html_has_german_layer_headings():
    html = report.to_html(_two_datasets(), lang="de")
    for text in (
        "Offizielle Shapes",
        "EU-Berichtssicht",
        "Über die Shapes hinaus",
        "nicht gezählt",
    ):
        assert text in html


def test_runs_stored_before_the_eu_view_still_render():
    """The portal keeps old runs: results without a layer, datasets without eu_reporting."""
    old = copy.deepcopy(_two_datasets())
    del old["summary"]["eu_reporting"]
    for ds in old["datasets"]:
        del ds["eu_reporting"]
        ds["results"] = [{k: v for k, v in r.items() if k != "layer"} for r in ds["results"]]
    html = report.to_html(old)
    assert 'id="eu-reporting"' not in html and "Official shapes" in html
    rows = list(csv.DictReader(io.StringIO(report.to_csv(old), newline="")))
    assert {r["eu_counted"] for r in rows} == {""}
    assert "shapes" in {r["layer"] for r in rows}  # taken from the rule


# -- partnercity-hvd check --country ------------------------------------------------------


def _cli(*args):
    from click.testing import CliRunner

    from ckanext.partnercity.hvd.rules.cli import main

    return CliRunner().invoke(main, ["check", *map(str, args), "--compact"])


def test_cli_country_fills_in_a_catalogue_without_dct_spatial(tmp_path):
    import json

    source = tmp_path / "ckan.json"
    source.write_text(json.dumps({"result": {"results": [package()]}}))
    without = json.loads(_cli(source).output)
    assert without["summary"]["eu_reporting"]["counted"] == 0
    counted = json.loads(_cli(source, "--country", "deu").output)
    assert counted["summary"]["eu_reporting"]["counted"] == 1
    assert counted["summary"]["eu_reporting"]["country"].endswith("/country/DEU")


def test_cli_country_never_overrides_the_catalogues_own(tmp_path):
    import json

    source = tmp_path / "c.ttl"
    extra = (
        "\nexampleMS:HVD-reporting-2023 <http://purl.org/dc/terms/spatial> "
        "<http://publications.europa.eu/resource/authority/country/BEL> .\n"
    )
    source.write_bytes((EXAMPLES / "example-ms_catalogue_hvd.ttl").read_bytes() + extra.encode())
    result = json.loads(_cli(source, "--country", "DEU").output)
    assert result["summary"]["eu_reporting"]["country"].endswith("/country/BEL")


def test_cli_refuses_a_country_outside_the_eu(tmp_path):
    result = _cli(EXAMPLES / "example-ms_catalogue_hvd.ttl", "--country", "NOR")
    assert result.exit_code == 2 and "not an EU Member State" in result.output
    assert "Traceback" not in result.output


def test_only_shapes_reports_the_shapes_layer_alone():
    cat = loaders.catalogue_from_ckan([package()], country="DEU")
    result = engine.check_catalogue(cat, only_shapes=True)
    assert "eu_reporting" not in result["summary"]
    assert "eu_reporting" not in result["datasets"][0]
    assert {r["layer"] for r in result["datasets"][0]["results"]} == {"shapes"}
    assert 'id="eu-reporting"' not in report.to_html(result)


def test_recount_for_fewer_datasets_leaves_resource_counts_out():
    full = _two_datasets()
    shown = [d for d in full["datasets"] if d["uri"].endswith("/population")]
    again = eu_reporting.recount(shown, full["summary"]["eu_reporting"])
    assert (again["datasets"], again["counted"], again["without_english_title"]) == (1, 1, 0)
    assert again["country"] == full["summary"]["eu_reporting"]["country"]
    assert "bulk_downloads" not in again and "apis" not in again
    assert full["summary"]["eu_reporting"]["without_english_title"] == 1


def test_the_datasets_table_follows_its_heading_and_only_the_status_has_a_verdict_class():
    """Pages and browser tests find the table as ``h2#datasets + table`` and the verdict as
    ``td.<status>``: the layer cells use classes of their own."""
    import re

    html = report.to_html(_two_datasets())
    after = html.split('<h2 id="datasets">Datasets</h2>')[1].lstrip()
    assert after.startswith("<table>")
    rows = after.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    for row in rows:
        verdicts = re.findall(
            r'<td class="(compliant|non_compliant|needs_attestation|out_of_scope)"', row
        )
        assert len(verdicts) == 1, row
    assert 'class="layer-fail">not counted' in html and 'class="layer-pass">counted' in html
