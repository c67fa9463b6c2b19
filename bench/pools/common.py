"""What the pool builders share: where a pool lives and how its JSON is written (UTF-8,
one-space indent, a final newline), so every rebuild is byte-identical."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
POOLS = ROOT / "tests" / "fixtures" / "counterparts" / "pools"


def write_json(path: Path, doc: object) -> None:
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def save_pool(path: Path, pool: dict) -> None:
    """Write a built pool and say where, with its size."""
    write_json(path, pool)
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    print(f"{shown}: {len(pool['items'])} items")
