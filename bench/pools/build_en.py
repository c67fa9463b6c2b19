"""Build the English counterpart pool ``pools/en/pool.json`` from the City of Chicago's catalogue.

Source: ``catalogs-2013-08-28/data.cityofchicago.org.json`` of **tlevine/socrata-catalog**
(commit ``c0ef9e7bf8476167a56e6530af893e30e8aecbc2``, 2013-08-28): the Project Open Data
``/data.json`` that data.cityofchicago.org (Socrata) served that day, 514 records. Kept next to
the pool as ``source.json``, shrunk to the fields below (values and record order unchanged).

Selection rule (written down before the titles were read): every record except the
catalogue's description of itself (identifier ``…/data.json``): 513 items. ``id`` is the
record's ``identifier`` (the Socrata dataset id), ``title`` unchanged, ``tags`` the record's
``keywords`` list unchanged, or, where a record has none, its ``keyword`` string split at
commas (POD 1.0 wrote keywords as one comma-separated string; ``keywords`` is that split).

    python bench/pools/build_en.py                      # source.json -> pool.json
    python bench/pools/build_en.py --shrink ORIGINAL    # original data.json -> source.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from common import write_json

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "tests" / "fixtures" / "counterparts" / "pools" / "en"
SOURCE = FOLDER / "source.json"
POOL = FOLDER / "pool.json"
KEPT_FIELDS = ("accessLevel", "identifier", "title", "keyword", "keywords", "modified")
ORIGIN = (
    "tlevine/socrata-catalog@c0ef9e7bf8476167a56e6530af893e30e8aecbc2:"
    "catalogs-2013-08-28/data.cityofchicago.org.json"
)


def shrink(original: Path) -> None:
    records = json.loads(original.read_text(encoding="utf-8"))
    kept = [{k: r[k] for k in KEPT_FIELDS if k in r} for r in records]
    write_json(SOURCE, kept)


def tags(record: dict) -> list[str]:
    if isinstance(record.get("keywords"), list):
        return record["keywords"]
    keyword = record.get("keyword") or ""
    return keyword.split(",") if keyword else []


def build() -> dict:
    records = json.loads(SOURCE.read_text(encoding="utf-8"))
    items = [
        {
            "id": r["identifier"],
            "title": r["title"],
            "tags": tags(r),
            "lang": "en",
            "source": ORIGIN,
        }
        for r in records
        if not r["identifier"].endswith("/data.json")
    ]
    return {
        "lang": "en",
        "source": "City of Chicago open-data catalogue (data.cityofchicago.org /data.json, "
        "2013-08-28), kept in " + ORIGIN,
        "items": items,
    }


def main(argv: list[str]) -> None:
    if argv[:1] == ["--shrink"]:
        shrink(Path(argv[1]))
    pool = build()
    write_json(POOL, pool)
    print(f"{len(pool['items'])} items -> {POOL.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
