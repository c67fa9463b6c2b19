"""Build the Palermo pool (``it-palermo``) of the counterpart bench from its real source file.

Reads ``tests/fixtures/counterparts/pools/it-palermo/source.csv`` — the City of Palermo's
DCAT-AP_IT catalogue (https://opendata.comune.palermo.it/dcat/dcat.php), flattened to its CSV
distributions by aborruso/checkCatalogue (``anagrafica.csv``, kept byte for byte; provenance
in the folder's README.md) — and writes ``pool.json`` beside it.

One item per dataset (the dataset page in ``dcat:accessURL``, ``…?dataset=N``), first row in
file order. The catalogue titles each distribution "Distribuzione CSV del dataset <dataset
title>": the title is that ``dc:title`` without this fixed prefix, otherwise unchanged (HTML
entities and capitals as the portal writes them). The source carries no keywords: ``tags``
is empty.

    python bench/pools/build_it_palermo.py
"""

from __future__ import annotations

import csv
from pathlib import Path

from common import save_pool

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "tests" / "fixtures" / "counterparts" / "pools" / "it-palermo"
PREFIX = "Distribuzione CSV del dataset "
SOURCE = (
    "Comune di Palermo, opendata.comune.palermo.it DCAT-AP_IT catalogue, CSV distributions as "
    "flattened by aborruso/checkCatalogue (anagrafica.csv, 2021-10-18)"
)


def build() -> dict:
    with (FOLDER / "source.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    items: list[dict] = []
    seen: set[str] = set()
    for i, row in enumerate(rows):
        dataset = row["dcat:accessURL:@rdf:resource"]
        if dataset in seen:
            continue
        seen.add(dataset)
        title = row["dc:title"]
        if not title.startswith(PREFIX):
            raise ValueError(f"row {i}: distribution title without the portal's prefix: {title!r}")
        items.append(
            {
                "id": dataset,
                "title": title[len(PREFIX) :],
                "tags": [],
                "lang": "it",
                "source": f"tests/fixtures/counterparts/pools/it-palermo/source.csv (row {i + 1})",
            }
        )
    return {"lang": "it", "source": SOURCE, "items": items}


def main() -> None:
    save_pool(FOLDER / "pool.json", build())


if __name__ == "__main__":
    main()
