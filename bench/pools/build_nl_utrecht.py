"""Build the counterpart pool ``nl-utrecht``: the City of Utrecht's open-data catalogue.

Reads ``tests/fixtures/counterparts/pools/nl-utrecht/source.json`` — the answer of
open.utrecht.nl's dataset list (``GET https://open.utrecht.nl/api/datasets``, JSON:API, 180
datasets), copied byte for byte from Terminal-WOO/open-utrecht-datasets ``datasets.json``
@ ad4f74d84b96f02d1c64a19b617907b485e9de03 (provenance in the folder's README.md) — and
writes ``pool.json`` next to it: per dataset its landing page (``links.self``) as id and its
``dct:title`` unchanged. The list answer carries no keywords: ``tags`` is empty. Every
dataset is kept (all 180 are ``visibility: public``); nothing is written by hand.

    python bench/pools/build_nl_utrecht.py
"""

from __future__ import annotations

import json
from pathlib import Path

from common import save_pool

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "tests" / "fixtures" / "counterparts" / "pools" / "nl-utrecht"
SOURCE = "Terminal-WOO/open-utrecht-datasets datasets.json (open.utrecht.nl/api/datasets)"


def build() -> dict:
    doc = json.loads((FOLDER / "source.json").read_text(encoding="utf-8"))
    items = [
        {
            "id": d["links"]["self"],
            "title": d["attributes"]["dct:title"],
            "tags": [],
            "lang": "nl",
            "source": SOURCE,
        }
        for d in doc["data"]
        if d.get("type") == "dataset" and d.get("meta", {}).get("visibility") == "public"
    ]
    assert len({i["id"] for i in items}) == len(items)
    return {
        "lang": "nl",
        "source": "City of Utrecht open-data catalogue (open.utrecht.nl), dataset list answer",
        "items": items,
    }


def main() -> None:
    save_pool(FOLDER / "pool.json", build())


if __name__ == "__main__":
    main()
