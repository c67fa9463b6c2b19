"""partnercity-hvd starts light and writes the JSON report as the json renderer would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ckanext.partnercity.hvd.rules import cli, engine, loaders, report

ROOT = Path(__file__).resolve().parents[4]
TTL = b"""@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix dcatap: <http://data.europa.eu/r5r/> .
<https://city.example/ds/1> a dcat:Dataset ; dct:title "Luft \\u00e4 \\"quoted\\" \\u2603"@de ;
  dcatap:hvdCategory <http://data.europa.eu/bna/c_63b37dd4> .
<https://city.example/ds/2> a dcat:Dataset ; dct:title "Benches"@en .
"""


def test_a_local_check_imports_neither_the_http_client_nor_the_version_lookup(tmp_path):
    source = tmp_path / "c.ttl"
    source.write_bytes(TTL)
    code = (
        "import sys\n"
        "from ckanext.partnercity.hvd.rules import cli\n"
        "try:\n"
        f"    cli.main(['check', {str(source)!r}, '-o', {str(tmp_path / 'r.json')!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'requests', 'urllib3', 'importlib.metadata', 'jinja2', 'markupsafe'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["datasets"] == 2


@pytest.mark.parametrize("pretty", [False, True])
def test_json_bytes_are_the_renderers_output(pretty):
    result = engine.check_catalogue(loaders.load(TTL, name="c.ttl"))
    assert cli.json_bytes(result, pretty) == report.to_json(result, pretty).encode("utf-8")


def test_the_collector_is_back_on_after_the_command(tmp_path):
    import gc

    source = tmp_path / "c.ttl"
    source.write_bytes(TTL)
    assert gc.isenabled()
    ok = CliRunner().invoke(cli.main, ["check", str(source), "-o", str(tmp_path / "r.json")])
    assert ok.exit_code == 0, ok.output
    assert gc.isenabled()
    failed = CliRunner().invoke(cli.main, ["check", str(tmp_path / "missing.ttl")])
    assert failed.exit_code == 1 and "no such file" in failed.output
    assert gc.isenabled()
