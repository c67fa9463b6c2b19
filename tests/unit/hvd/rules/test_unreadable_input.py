"""A catalogue that cannot be read: one line naming the file, the format and the position,
a non-zero exit, never a traceback — through click and through the installed script.

The RDF/XML case is a real catalogue (data.gov.be, FPS BOSA budget; see
tests/fixtures/hvd/real/README.md): ``dct:temporal`` holds ``dcat:startDate`` directly,
without the ``dct:PeriodOfTime`` node RDF/XML needs there (line 49).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ckanext.partnercity.hvd.rules import loaders
from ckanext.partnercity.hvd.rules.cli import main

ROOT = Path(__file__).resolve().parents[4]
BUDGET = ROOT / "tests" / "fixtures" / "hvd" / "real" / "be_fpsbosa_budget_invalid-rdfxml.rdf"

TRUNCATED_TTL = (
    b"@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
    b"<http://x/d> a dcat:Dataset ;\n"
    b'  dcat:keyword "cut off'
)
NOT_CKAN_JSON = b'{"data": [{"id": 1, "attributes": {"has_high_value_data": true}}]}'
BROKEN_JSON = b'{"result": [\n  {"name": "a"},\n  {"name": }\n]}'

# file name, content, what the one line must say
CASES = {
    "budget.rdf": (
        BUDGET.read_bytes(),
        "not parseable as RDF/XML at line 49, column 3: Unexpected text event: '2025-01-01'",
    ),
    "cut.ttl": (TRUNCATED_TTL, "not parseable as Turtle at line 3, column 16:"),
    "jsonapi.json": (NOT_CKAN_JSON, "JSON that is neither JSON-LD"),
    "broken.json": (BROKEN_JSON, "not parseable as JSON at line 3, column 12:"),
}


def _write(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(CASES[name][0])
    return path


def _assert_one_clear_line(stderr: str, path: Path, expected: str) -> None:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"Error: {path}: "), stderr
    assert expected in lines[0]
    assert "Traceback" not in stderr


@pytest.mark.parametrize("name", sorted(CASES))
def test_loader_names_file_format_and_position(name):
    with pytest.raises(loaders.LoadError) as raised:
        loaders.load(CASES[name][0], name=name)
    assert str(raised.value).startswith(f"{name}: ")
    assert CASES[name][1] in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("name", sorted(CASES))
def test_cli_prints_one_line_and_exits_non_zero(tmp_path, name):
    path = _write(tmp_path, name)
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:  # click 8.2 keeps stderr apart always
        runner = CliRunner()
    result = runner.invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not result.stdout
    _assert_one_clear_line(result.stderr, path, CASES[name][1])


def _subprocess(command: list[str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize("name", ["budget.rdf", "cut.ttl", "jsonapi.json"])
def test_installed_console_script_prints_one_line_and_exits_non_zero(tmp_path, name):
    """The script pip installs beside the interpreter (``partnercity-hvd``), as a user runs it."""
    script = Path(sys.executable).parent / "partnercity-hvd"
    assert script.is_file(), "pip install -e . installs the partnercity-hvd console script"
    path = _write(tmp_path, name)
    done = _subprocess([str(script), "check", str(path)])
    assert done.returncode == 1
    assert done.stdout == ""
    _assert_one_clear_line(done.stderr, path, CASES[name][1])


def test_python_dash_m_prints_one_line_and_exits_non_zero(tmp_path):
    path = _write(tmp_path, "budget.rdf")
    done = _subprocess(
        [sys.executable, "-m", "ckanext.partnercity.hvd.rules.cli", "check", str(path)]
    )
    assert done.returncode == 1
    _assert_one_clear_line(done.stderr, path, CASES["budget.rdf"][1])
