"""``partnercity-hvd duties`` end to end on files: formats, declared HVD skipped, bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from ckanext.partnercity.hvd.rules.cli import main

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
ROSTOCK = FIXTURES / "dcat" / "rostock_opendata-hro_ckan_dcat-ap-de_dataset.rdf"
NOISE = "http://data.europa.eu/bna/c_e4358335"

TURTLE = """@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix dcatap: <http://data.europa.eu/r5r/> .
<http://ex.org/c> a dcat:Catalog ; dcat:dataset <http://ex.org/noise>, <http://ex.org/events>,
  <http://ex.org/declared> .
<http://ex.org/noise> a dcat:Dataset ; dct:title "Geluidskaart wegverkeer"@nl ;
  dcat:keyword "geluid"@nl .
<http://ex.org/events> a dcat:Dataset ; dct:title "Evenementenkalender"@nl .
<http://ex.org/declared> a dcat:Dataset ; dct:title "Geluidsbelastingkaart"@nl ;
  dcatap:applicableLegislation <http://data.europa.eu/eli/reg_impl/2023/138/oj> .
"""

CKAN = {
    "success": True,
    "result": {
        "count": 2,
        "results": [
            {"id": "a", "name": "a", "title": '=HYPERLINK("http://x") <b>Bebauungspläne</b>',
             "notes": "", "tags": [{"name": "Bauleitplanung"}]},
            {"id": "b", "name": "b", "title": "Friedhöfe", "notes": "", "tags": []},
        ],
    },
}  # fmt: skip


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()


def _run(*args):
    return _runner().invoke(main, ["duties", *map(str, args)])


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_json_lists_undeclared_candidates_and_skips_declared_hvd(tmp_path):
    result = _run(_write(tmp_path, "cat.ttl", TURTLE))
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert (out["datasets"], out["declared_hvd"], out["undeclared"]) == (3, 1, 2)
    assert [c["dataset"] for c in out["candidates"]] == ["http://ex.org/noise"]
    [noise] = out["candidates"]
    assert noise["lang"] == "nl"
    assert noise["suggestions"][0]["category"] == NOISE
    assert "Geluidskaart" in noise["suggestions"][0]["evidence"]


def test_min_confidence_filters(tmp_path):
    path = _write(tmp_path, "cat.ttl", TURTLE)
    assert json.loads(_run(path, "--min-confidence", "1").stdout)["candidates"] == []
    low = json.loads(_run(path, "--min-confidence", "0").stdout)["candidates"]
    assert {c["dataset"] for c in low} >= {"http://ex.org/noise"}


def test_csv_is_formula_safe_and_one_row_per_suggestion(tmp_path):
    result = _run(_write(tmp_path, "ckan.json", json.dumps(CKAN)), "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = [r for r in csv.reader(io.StringIO(result.stdout)) if r]
    assert rows[0][:5] == ["dataset", "title", "lang", "rank", "category"]
    [row] = rows[1:]
    assert row[1].startswith("'=HYPERLINK")
    assert row[5] == "Land use"


def test_html_escapes_catalogue_text(tmp_path):
    result = _run(_write(tmp_path, "ckan.json", json.dumps(CKAN)), "--format", "html")
    assert result.exit_code == 0, result.output
    assert "<b>Bebauungspläne</b>" not in result.stdout
    assert "&lt;b&gt;Bebauungspläne&lt;/b&gt;" in result.stdout
    assert "Possibly in scope, not declared HVD" in result.stdout


def test_output_file_and_summary_on_stderr(tmp_path):
    target = tmp_path / "out.json"
    result = _run(_write(tmp_path, "cat.ttl", TURTLE), "-o", target)
    assert result.exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["declared_hvd"] == 1
    assert "1 declared HVD, 1 possibly in scope" in result.stderr


def test_a_declared_catalogue_has_no_candidates():
    result = _run(ROSTOCK)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["declared_hvd"] == out["datasets"] == 1
    assert out["candidates"] == []


def test_bad_input_is_a_clear_error_with_non_zero_exit(tmp_path):
    missing = _run(tmp_path / "nope.ttl")
    assert missing.exit_code == 1 and "no such file" in missing.stderr
    broken = _run(_write(tmp_path, "bad.ttl", "this is not turtle"))
    assert broken.exit_code == 1 and "not parseable" in broken.stderr
    assert "Traceback" not in broken.stderr + broken.stdout
    bad_option = _run(_write(tmp_path, "cat.ttl", TURTLE), "--min-confidence", "2")
    assert bad_option.exit_code == 2
