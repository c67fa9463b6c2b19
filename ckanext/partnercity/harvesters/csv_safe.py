"""CSV that a spreadsheet opens as data, never as formulas (OWASP "CSV Injection").

Partner titles, category labels and checker messages are untrusted text, and a cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a line break is read as a formula by Excel,
LibreOffice and Google Sheets (``=HYPERLINK(…)``, ``+cmd|' /C calc'!A0``). Every CSV the
extension writes goes through :func:`csv_text`: such a cell gets a leading single quote,
and every text cell is quoted, so a semicolon (the separator of German spreadsheets) inside
a cell never starts a new one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

#: First characters that make a spreadsheet read a cell as a formula; the full-width forms
#: are folded to these by some spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def safe_cell(value: object) -> object:
    """Text that could start a formula, prefixed with a single quote; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: Iterable[Iterable[object]], lineterminator: str = "\r\n") -> str:
    """``rows`` as CSV: text cells formula-safe and quoted, numbers bare."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=lineterminator, quoting=csv.QUOTE_NONNUMERIC)
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return out.getvalue()
