"""Build the Spanish counterpart pool (``tests/fixtures/counterparts/pools/es/pool.json``).

Source: the Ayuntamiento de Madrid's catalogue export of datos.madrid.es (``catalogo.csv``,
2025-10-20), kept byte for byte as ``pools/es/source.csv`` (provenance in that folder's
README). The file is Windows-1252, ``;``-separated, one dataset a row (15 columns).

Kept: every data row except every 12th in file order (1-based positions 12, 24, 36, ...), a
rule written down before the titles were read. ``title`` is the column ``Nombre`` unchanged;
``tags`` are the column ``Palabras clave:`` split at its commas (each keyword stripped of the
surrounding blanks, empty pieces dropped; the words themselves unchanged); ``id`` is the
dataset's page on datos.madrid.es (column ``URL``). Nothing else is read.

    python bench/pools/build_es.py
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from common import write_json

SET = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "counterparts"
FOLDER = SET / "pools" / "es"
SOURCE = FOLDER / "source.csv"
EVERY = 12  # the 12th, 24th, ... data row is left out


def rows() -> list[dict[str, str]]:
    text = SOURCE.read_bytes().decode("cp1252")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def items() -> list[dict]:
    out = []
    for pos, row in enumerate(rows(), start=1):
        if pos % EVERY == 0:
            continue
        tags = [k.strip() for k in row["Palabras clave:"].split(",") if k.strip()]
        out.append(
            {
                "id": row["URL"],
                "title": row["Nombre"],
                "tags": tags,
                "lang": "es",
                "source": f"tests/fixtures/counterparts/pools/es/source.csv#row{pos}",
            }
        )
    return out


def main() -> None:
    pool = {
        "lang": "es",
        "source": "Ayuntamiento de Madrid, datos.madrid.es catalogue export catalogo.csv "
        "(2025-10-20), as kept in ericphanson/plazaespana.info; every 12th row left out",
        "items": items(),
    }
    ids = [i["id"] for i in pool["items"]]
    assert len(ids) == len(set(ids)), "ids must be unique"
    write_json(FOLDER / "pool.json", pool)
    print(len(pool["items"]), "items")


if __name__ == "__main__":
    main()
