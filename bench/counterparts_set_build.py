"""Build the partner side of the counterpart bench set from real portal files in the repository.

Recipe, not a recording: reads the real fixtures named in SOURCES (their provenance is in
tests/fixtures/README.md and tests/fixtures/hvd/duties/README.md) and writes
tests/fixtures/counterparts/partners.json: per partner language, the references as a harvest
would give them (id, title, keywords, lang, source file). Titles, keywords and the
portal's own HVD category (where the portal declares one) are copied unchanged; notes are
left out (a reference page shows title and keywords first).

    PYTHONPATH=$PWD python bench/counterparts_set_build.py
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures"
OUT = FIX / "counterparts" / "partners.json"


def _duties(name: str, lang: str | None = None) -> list[dict]:
    """Items of an HVD duties set file (real titles and tags), optionally of one title lang."""
    doc = json.loads((FIX / "hvd" / "duties" / name).read_text(encoding="utf-8"))
    src = f"tests/fixtures/hvd/duties/{name}"
    return [
        {
            "id": f"{name}#{i}",
            "title": it["title"],
            "tags": it.get("tags") or [],
            "lang": it.get("lang") or lang,
            "source": src,
        }
        for i, it in enumerate(doc["items"])
        if lang is None or it.get("lang") == lang
    ]


def _dcat_us(path: str, lang: str) -> list[dict]:
    """Datasets of an ArcGIS DCAT-US 1.1 feed."""
    doc = json.loads((FIX / path).read_text(encoding="utf-8"))
    return [
        {
            "id": d["identifier"],
            "title": d["title"],
            "tags": d.get("keyword") or [],
            "lang": lang,
            "source": f"tests/fixtures/{path}",
        }
        for d in doc["dataset"]
    ]


def _amsterdam() -> list[dict]:
    """The City of Amsterdam's public datasets (amsterdam-schema ``dataset.json`` heads).

    Kept: ``auth`` OPENBAAR (or unset: public by the schema's default) and a title; left out:
    restricted datasets (not in the open catalogue) and the schema's own test dataset (theme
    "Test, Dogfood & Demo").
    """
    name = "nl-amsterdam-schema_datasets.json"
    doc = json.loads((FIX / "counterparts" / name).read_text(encoding="utf-8"))
    return [
        {
            "id": f"amsterdam-schema:{d['id']}",
            "title": d["title"],
            "tags": d.get("keywords") or [],
            "lang": "nl",
            "source": f"tests/fixtures/counterparts/{name} ({d['path']})",
        }
        for d in doc["datasets"]
        if d.get("title")
        and d.get("auth", "OPENBAAR") == "OPENBAAR"
        and "Test, Dogfood & Demo" not in (d.get("theme") or [])
    ]


def build() -> dict:
    fr = (
        _dcat_us("arcgis_hub/evian_arcgis-hub_dcat-us-1.1_feed.json", "fr")
        + _dcat_us("arcgis_hub/apur-paris_arcgis-opendata_dcat-us-1.1_feed.jsonld", "fr")
        + _duties("fr-udata-fixtures.json")
        + _duties("fr-datagouv-export.json")
    )
    return {
        "about": "Partner references of the counterpart bench: real portal titles and keywords "
        "copied unchanged by bench/counterparts_set_build.py (see README.md here).",
        "pools": {
            "fr": fr,
            "nl": _duties("be-datagovbe.json", "nl") + _amsterdam(),
            "it": _duties("it-en-unibo.json", "it"),
            "cs": _duties("cs-nkod.json"),
        },
    }


if __name__ == "__main__":
    doc = build()
    OUT.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print({lang: len(items) for lang, items in doc["pools"].items()})
