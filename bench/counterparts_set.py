"""The labelled counterpart set: own datasets, partner pools, and "same subject" judgements.

One loader for the bench and the tests. ``partners.json`` holds the first pools (fr, nl,
it, cs) with their judgements inside ``own.json`` / ``own_heldout.json``; each later pool is
a folder ``pools/<name>/`` of its own — ``pool.json`` (``{"lang", "items"}``: real partner
titles) and ``labels.json`` (``{"own": {own id: [titles]}, "heldout": {...}}``, judged before
the ranker ran on the pool) — so a language is added without rewriting the others' files.
"""

from __future__ import annotations

import json
from pathlib import Path

SET = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "counterparts"


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def pool_folders() -> list[Path]:
    """The later pools, in name order (each a folder with pool.json and labels.json)."""
    return sorted(p.parent for p in (SET / "pools").glob("*/pool.json"))


def load() -> tuple[list[dict], list[dict], dict[str, list[dict]], str]:
    """Own datasets (development), held-out own datasets, pools by name, held-out split.

    The judgements of the later pools are merged into each own item's ``same_subject``
    under the pool's name; an own dataset a label file does not name has no counterpart there.
    """
    own = _read(SET / "own.json")["own"]
    held = _read(SET / "own_heldout.json")
    heldout = held["own"]
    pools: dict[str, list[dict]] = _read(SET / "partners.json")["pools"]
    for folder in pool_folders():
        name = folder.name
        pools[name] = _read(folder / "pool.json")["items"]
        labels = _read(folder / "labels.json")
        for items, key in ((own, "own"), (heldout, "heldout")):
            judged = labels.get(key, {})
            for item in items:
                titles = judged.get(item["id"], [])
                if titles:
                    item["same_subject"][name] = titles
    return own, heldout, pools, held["split"]


def load_heldout_set(pools: dict[str, list[dict]], name: str) -> tuple[str, list[dict]]:
    """A later held-out set (``own_<name>.json``, e.g. ``heldout2``), its judgements per pool
    in ``<name>/<pool>.json`` (``{own id: [titles]}``), judged before any run on it.

    The first held-out set was looked at item by item after its runs, so it counts as
    development data since; the later ones are measurements nobody tuned on."""
    doc = _read(SET / f"own_{name}.json")
    items = doc["own"]
    for pool in pools:
        path = SET / name / f"{pool}.json"
        judged = _read(path) if path.exists() else {}
        for item in items:
            titles = judged.get(item["id"], [])
            if titles:
                item["same_subject"][pool] = titles
    return doc["split"], items


def labelled(name: str) -> list[str]:
    """The pools whose judgements for a later held-out set (``heldout2`` …) exist."""
    return sorted(p.stem for p in (SET / name).glob("*.json"))


#: The later held-out sets, oldest first.
LATER_HELDOUT = ("heldout2", "heldout3", "heldout4")
