"""``partnercity-hvd check`` end to end: files, a URL on a local server, every format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from ckanext.partnercity.hvd.rules.cli import main
from tests.support.http_server import serve
from tests.support.xml_bombs import MILD, billion_laughs

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
COMPLETE = FIXTURES / "hvd" / "examples-3.0.0" / "example-ms_catalogue_hvd.ttl"
ROSTOCK = FIXTURES / "dcat" / "rostock_opendata-hro_ckan_dcat-ap-de_dataset.rdf"


def _run(*args):
    """stdout is the report (JSON for machines); messages go to stderr, kept apart here."""
    return _runner().invoke(main, ["check", *map(str, args)])


def _runner() -> CliRunner:
    """A runner keeping stderr apart: an option in click 8.1 (CKAN 2.11), always so in 8.2
    (CKAN 2.12), where the option is gone."""
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()


def test_json_output_has_the_documented_shape():
    result = _run(COMPLETE)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"catalogue", "rule_set", "datasets", "summary"}
    assert report["catalogue"] == "https://data.exampleMS.gov/id/dataset/HVD-reporting-2023"
    assert report["rule_set"] == "dcat-ap-hvd-3.0.0"
    ds = report["datasets"][0]
    assert {"uri", "title", "in_scope", "categories", "status", "results"} <= set(ds)
    assert ds["status"] == "needs_attestation" and ds["title"] == "The population of bees"
    assert {"rule", "outcome", "severity", "message", "source"} <= set(ds["results"][0])
    assert report["summary"]["needs_attestation"] == 1 and report["summary"]["compliant"] == 0


def test_rule_set_and_only_shapes():
    full = json.loads(_run(ROSTOCK, "--rule-set", "dcat-ap-hvd-2.2.0").stdout)
    shapes = json.loads(_run(ROSTOCK, "--only-shapes").stdout)
    assert full["rule_set"] == "dcat-ap-hvd-2.2.0"
    assert "hvd.dataset.api" not in {r["rule"] for r in full["datasets"][0]["results"]}
    assert {r["rule"] for r in shapes["datasets"][0]["results"]} >= {"hvd.dataset.api"}
    assert "hvd.licence.open" not in {r["rule"] for r in shapes["datasets"][0]["results"]}


def test_csv_and_html_to_a_file(tmp_path):
    out = tmp_path / "r.csv"
    result = _run(ROSTOCK, "--format", "csv", "-o", out)
    assert result.exit_code == 0 and "1 in scope" in result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    api = [r for r in rows if r["rule"] == "hvd.dataset.api"][0]
    assert api["outcome"] == "fail" and api["status"] == "non_compliant" and api["fix"]
    html_out = tmp_path / "r.html"
    assert _run(ROSTOCK, "--format", "html", "-o", html_out, "--lang", "de").exit_code == 0
    html = html_out.read_text()
    assert "Liefer- und Abholservices" in html and "hvd.dataset.api" in html
    assert "Die API als Datendienst beschreiben" in html  # German fix hint
    assert "Checkliste zur Bestätigung" in html  # German headings too


def test_url_input_over_http():
    body = ROSTOCK.read_bytes()

    def handler(method, path, query):
        return 200, {"Content-Type": "application/rdf+xml"}, body

    with serve(handler) as server:
        result = _run(f"{server.url}/catalog.rdf", "--allow-private")
        refused = _run(f"{server.url}/catalog.rdf")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["datasets"][0]["status"] == "non_compliant"
    assert refused.exit_code != 0  # loopback refused without --allow-private


def test_errors_are_reported_without_traceback(tmp_path):
    missing = _run(tmp_path / "nope.ttl")
    assert missing.exit_code == 1 and "no such file" in missing.stderr
    bad = _run(FIXTURES / "hvd" / "examples-3.0.0" / "example-bees_wasps_dataset.ttl")
    assert bad.exit_code == 1 and "not parseable" in bad.stderr


def test_entity_declarations_are_refused_without_traceback(tmp_path):
    path = tmp_path / "catalogue.rdf"
    path.write_bytes(billion_laughs(levels=MILD))
    result = _run(path)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert "refused RDF/XML: XML entity declarations (<!ENTITY) are refused" in result.stderr
    assert not result.stdout


def test_fail_on_violation_exit_code():
    assert _run(ROSTOCK, "--fail-on-violation").exit_code == 1
    assert _run(COMPLETE, "--fail-on-violation").exit_code == 0


def test_rules_listing():
    result = CliRunner().invoke(main, ["rules", "--only-shapes"])
    assert "hvd.dataset.eli" in result.output and "hvd.licence.open" not in result.output


def test_probe_option_runs_live_probes(tmp_path):
    def handler(method, path, query):
        if path == "/api":
            return 200, {"Content-Type": "application/json"}, {"ok": True}
        return 404, {"Content-Type": "text/plain"}, "no"

    with serve(handler) as server:
        ttl = tmp_path / "c.ttl"
        ttl.write_text(
            "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
            "@prefix dcatap: <http://data.europa.eu/r5r/> .\n"
            "<https://x.example/ds> a dcat:Dataset ;\n"
            "  dcatap:applicableLegislation <http://data.europa.eu/eli/reg_impl/2023/138/oj> .\n"
            f"<https://x.example/api> a dcat:DataService ; dcat:endpointURL <{server.url}/api> ;\n"
            "  dcat:servesDataset <https://x.example/ds> .\n"
        )
        plain = json.loads(_run(ttl, "--allow-private").stdout)
        probed = json.loads(_run(ttl, "--probe", "--allow-private", "--probe-interval", "0").stdout)
        assert [r.path for r in server.requests] == ["/api"]
    rules = {r["rule"]: r["outcome"] for r in probed["datasets"][0]["results"]}
    assert rules["hvd.probe.api-answers"] == "pass"
    assert not any(r["rule"].startswith("hvd.probe") for r in plain["datasets"][0]["results"])


def test_csv_titles_from_the_catalogue_never_start_a_formula(tmp_path):
    hostile = '=HYPERLINK(\\"http://evil.example\\",\\"x\\")'
    source = tmp_path / "catalogue.ttl"
    source.write_text(COMPLETE.read_text().replace("The population of bees", hostile))
    result = _run(source, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {r["title"] for r in rows} == {'\'=HYPERLINK("http://evil.example","x")'}
