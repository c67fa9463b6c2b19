"""Recorded attestations: validation, applying them, what the reports show, the CLI file."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from ckanext.partnercity.hvd.rules import attestations as att
from ckanext.partnercity.hvd.rules import engine, report
from ckanext.partnercity.hvd.rules.cli import main
from ckanext.partnercity.hvd.rules.model import Catalogue

from .cases import good_package, record
from .test_cli import COMPLETE, ROSTOCK
from .test_engine import with_resource

BEES = "https://data.exampleMS.gov/id/dataset/1T2p3o4B"
KNOWN = engine.known_rule_ids()


def _item(**changes) -> dict:
    item = {
        "dataset": "https://data.example.org/dataset/population",
        "rule": "hvd.attest.free-of-charge",
        "by": "Auditor A",
        "at": "2026-12-01T09:30:00Z",
        "evidence_url": "https://data.example.org/fees.html",
        "note": "No fee schedule applies.",
    }
    item.update(changes)
    return item


# -- validation ----------------------------------------------------------------------


def test_a_good_item_is_normalized():
    (item,) = att.validate([_item(evidence_url=None, note=None)], KNOWN)
    assert item["evidence_url"] is None and item["note"] == ""
    assert att.validate({"attestations": [_item()]}, KNOWN)[0]["by"] == "Auditor A"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rule": "hvd.no.such-rule"}, "unknown rule id 'hvd.no.such-rule'"),
        ({"dataset": ""}, "missing 'dataset'"),
        ({"by": None}, "missing 'by'"),
        ({"at": "yesterday"}, "'yesterday' is not an ISO 8601"),
        ({"at": "2026-13-01"}, "not an ISO 8601"),
        ({"evidence_url": "javascript:alert(1)"}, "is not an http(s) URL"),
        ({"by": 42}, "'by' must be text"),
        ({"signed": "yes"}, "unknown field(s) ['signed']"),
    ],
)
def test_bad_items_are_refused_naming_the_item_and_field(changes, message):
    with pytest.raises(att.AttestationError) as exc:
        att.validate([_item(), _item(**changes)], KNOWN)
    assert str(exc.value).startswith("attestation 2: ") and message in str(exc.value)


def test_not_a_list_is_refused():
    with pytest.raises(att.AttestationError, match="must be a list"):
        att.validate({"dataset": "x"}, KNOWN)


def test_check_catalogue_validates_too():
    with pytest.raises(att.AttestationError, match="unknown rule id"):
        engine.check_catalogue(Catalogue(None, None, [record()]), attestations=[_item(rule="x")])


def test_check_catalogue_takes_stored_records_with_more_fields():
    rec = record()
    stored = _item(dataset=rec.uri, id=7, revoked_at=None)
    data = engine.check_catalogue(Catalogue(None, None, [rec]), attestations=[stored])
    result = {r["rule"]: r for r in data["datasets"][0]["results"]}["hvd.attest.free-of-charge"]
    assert result["outcome"] == "attested" and set(result["attestation"]) == {
        "by", "at", "evidence_url", "note",
    }  # fmt: skip


def test_the_newest_attestation_of_a_pair_wins():
    old, new = _item(at="2026-01-01", by="Old"), _item(at="2026-06-01", by="New")
    assert att.index([new, old])[(new["dataset"], new["rule"])]["by"] == "New"


# -- applying ------------------------------------------------------------------------


def test_an_attestation_never_turns_a_failure_into_attested():
    """A licence that is not open (CC BY-SA) fails hvd.licence.open; attesting it is ignored."""
    rec = record(with_resource(0, license="cc-by-sa")(good_package()))
    given = [_item(dataset=rec.uri, rule="hvd.licence.open")]
    data = engine.check_catalogue(Catalogue(None, None, [rec]), attestations=given)
    ds = data["datasets"][0]
    result = {r["rule"]: r for r in ds["results"]}["hvd.licence.open"]
    assert result["outcome"] == "fail" and "attestation" not in result
    assert "cannot override" in result["ignored_attestation"]["reason"]
    assert ds["status"] == "non_compliant"
    assert data["summary"]["attestations"]["ignored"] == 1
    html = report.to_html(data)
    assert "Attestations not applied" in html and "an attestation cannot override it" in html
    rows = list(csv.DictReader(io.StringIO(report.to_csv(data), newline="")))
    row = next(r for r in rows if r["rule"] == "hvd.licence.open")
    assert row["attestation"].startswith("ignored: ") and row["attested_by"] == "Auditor A"


def test_an_attestation_of_nothing_open_is_listed_as_unused():
    rec = record()
    given = [_item(dataset=rec.uri, rule="hvd.dataset.eli"), _item(dataset="https://nowhere/x")]
    data = engine.check_catalogue(Catalogue(None, None, [rec]), attestations=given)
    unused = data["summary"]["attestations"]["unused"]
    assert {u["dataset"] for u in unused} == {rec.uri, "https://nowhere/x"}
    assert {r["rule"]: r["outcome"] for r in data["datasets"][0]["results"]}[
        "hvd.dataset.eli"
    ] == "pass"
    assert "no open item of this rule on this dataset" in report.to_html(data)


def test_attested_items_show_who_when_and_evidence_in_html_and_csv():
    rec = record()
    given = [_item(dataset=rec.uri)]
    data = engine.check_catalogue(Catalogue(None, None, [rec]), attestations=given)
    html = report.to_html(data)
    assert "Auditor A" in html and "2026-12-01T09:30:00Z" in html
    assert 'href="https://data.example.org/fees.html"' in html and "No fee schedule" in html
    assert "needs attestation" in html  # api terms and Annex attributes are still open
    de = report.to_html(data, lang="de")
    assert "Bestätigt von" in de and "Bestätigung nötig" in de
    rows = list(csv.DictReader(io.StringIO(report.to_csv(data), newline="")))
    row = next(r for r in rows if r["rule"] == "hvd.attest.free-of-charge")
    assert (row["outcome"], row["attestation"], row["attested_at"]) == (
        "attested", "applied", "2026-12-01T09:30:00Z",
    )  # fmt: skip
    assert row["attestation_evidence_url"] == "https://data.example.org/fees.html"
    assert row["status"] == "needs_attestation"


# -- CLI -----------------------------------------------------------------------------


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()


def _check(*args):
    return _runner().invoke(main, ["check", *map(str, args)])


def test_cli_attestation_file_in_yaml_makes_the_complete_example_compliant(tmp_path):
    before = json.loads(_check(COMPLETE).stdout)
    assert before["datasets"][0]["status"] == "needs_attestation"
    path = tmp_path / "attest.yaml"
    path.write_text(
        "attestations:\n"
        f"  - {{dataset: '{BEES}', rule: hvd.attest.free-of-charge, by: Auditor A,"
        " at: 2026-12-01, evidence_url: 'https://example.org/fees', note: no fees}\n"
        f"  - {{dataset: '{BEES}', rule: hvd.attest.api-terms-qos, by: Auditor B,"
        " at: '2026-12-02T08:00:00+01:00'}\n"
        f"  - {{dataset: '{BEES}', rule: hvd.annex.geo-granularity, by: Auditor B,"
        " at: '2026-12-02', note: '1:5 000 published'}\n",
        encoding="utf-8",
    )
    result = _check(COMPLETE, "--attestations", path)
    assert result.exit_code == 0, result.output
    ds = json.loads(result.stdout)["datasets"][0]
    assert ds["status"] == "compliant"
    by_rule = {r["rule"]: r for r in ds["results"]}
    assert by_rule["hvd.attest.free-of-charge"]["attestation"]["at"] == "2026-12-01"
    assert by_rule["hvd.attest.api-terms-qos"]["attestation"]["by"] == "Auditor B"


def test_cli_attestation_file_in_json(tmp_path):
    path = tmp_path / "attest.json"
    path.write_text(json.dumps([_item(dataset=BEES)]), encoding="utf-8")
    result = _check(COMPLETE, "--attestations", path)
    assert result.exit_code == 0, result.output
    ds = json.loads(result.stdout)["datasets"][0]
    outcomes = {r["rule"]: r["outcome"] for r in ds["results"]}
    assert outcomes["hvd.attest.free-of-charge"] == "attested"
    assert outcomes["hvd.attest.api-terms-qos"] == "attest"
    assert "attestation not used" not in result.stderr


def test_cli_says_which_attestations_were_not_applied(tmp_path):
    path = tmp_path / "attest.json"
    items = [_item(dataset=BEES, rule="hvd.dataset.eli"), _item(dataset="https://elsewhere/x")]
    path.write_text(json.dumps(items), encoding="utf-8")
    result = _check(COMPLETE, "--attestations", path)
    assert result.exit_code == 0, result.output
    assert "attestation not used: hvd.dataset.eli on " + BEES in result.stderr
    assert "https://elsewhere/x" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[{"dataset": "x", "rule": "nope", "by": "A", "at": "2026-01-01"}]', "unknown rule id"),
        ('[{"rule": "hvd.attest.free-of-charge", "by": "A", "at": "2026-01-01"}]', "'dataset'"),
        ('[{"dataset": "x", "rule": "hvd.attest.free-of-charge", "at": "2026-01-01"}]', "'by'"),
        ('[{"dataset": "x", "rule": "hvd.attest.free-of-charge", "by": "A", "at": "soon"}]',
         "ISO 8601"),
        ('[{"dataset": "x", "rule": "hvd.attest.free-of-charge", "by": "A", "at": "2026-01-01",'
         ' "evidence_url": "ftp://x"}]', "http(s) URL"),
        ("attestations: [unclosed", "not YAML or JSON"),
    ],
)  # fmt: skip
def test_cli_bad_attestation_file_exits_2_without_traceback(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    result = _check(ROSTOCK, "--attestations", path)
    assert result.exit_code == 2
    assert message in result.stderr and "--attestations" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_cli_missing_attestation_file_exits_2(tmp_path):
    result = _check(ROSTOCK, "--attestations", tmp_path / "none.yaml")
    assert result.exit_code == 2 and "cannot read" in result.stderr
