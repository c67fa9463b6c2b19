"""Quality of the theme suggester per language, on real category names of real portals.

The labelled set is ``tests/fixtures/themes/eu_languages/category_names.json`` (Spanish,
Portuguese, Finnish, Czech, Swedish, Danish, Polish, Slovak; sources and the labelling rule
in its README, written before the first run). None of its names is an input of the
suggester. For each language, measured on the EU data-theme scheme, with the bundled
vocabulary, every bundled alignment and the lexicon, calibrated as in production:

- coverage: share of the names with any suggestion at all;
- top precision: share of the names with a suggestion whose first suggestion is right
  (a suggestion for a name labelled with no theme is wrong);
- confident: share of the names with a first suggestion >= 0.5 (what the review screen
  pre-selects), and the precision of those.

Printed for three suggesters in the same run: "before" (the tree without the official
INSPIRE-theme labels, ``official=()``: the anchor), "after" (the default: with them) and
"+HVD" (also the HVD-category labels through the project's HVD alignment, not used by
default), plus the spatial-planning names of all languages as their own row, and the
exact-prefLabel anchor of bench/theme_quality_bench.py.

Usage: python bench/theme_languages_bench.py [--misses LANG] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # not needed with the editable install; harmless

from ckanext.partnercity.themes import text  # noqa: E402
from ckanext.partnercity.themes.calibration import fit  # noqa: E402
from ckanext.partnercity.themes.skos.alignments import bundled_alignments  # noqa: E402
from ckanext.partnercity.themes.skos.official_labels import (  # noqa: E402
    bundled_hvd_entries,
    bundled_official_entries,
)
from ckanext.partnercity.themes.skos.schemes import (  # noqa: E402
    EU_THEME_BASE,
    EU_THEME_SCHEME,
    bundled_concepts,
)
from ckanext.partnercity.themes.suggest.suggester import Suggester  # noqa: E402

SET_FILE = ROOT / "tests" / "fixtures" / "themes" / "eu_languages" / "category_names.json"
CONFIDENT = 0.5
EU = EU_THEME_SCHEME


@dataclass(frozen=True)
class Item:
    label: str
    lang: str
    truth: frozenset[str]
    source: str
    spatial: bool


def load_items(path: Path = SET_FILE) -> list[Item]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return [
        Item(
            i["label"],
            i["lang"],
            frozenset(EU_THEME_BASE + code for code in i["truth"]),
            i["source"],
            bool(i.get("spatial")),
        )
        for i in doc["items"]
    ]


def suggester(official) -> Suggester:
    """The production suggester (all bundled alignments, lexicon, calibration fitted
    on them) with ``official`` labels (``None``: the bundled ones)."""
    concepts, alignments = bundled_concepts(EU), list(bundled_alignments())
    calibration = fit(concepts, alignments, None, EU, official=official)
    return Suggester(concepts, alignments, calibration=calibration, official=official)


def anchor_top(concepts):
    """Exact normalized prefLabel match (any language), as in the theme quality bench."""
    by_key: dict[tuple, set[str]] = defaultdict(set)
    for concept in concepts:
        for label in concept.pref_labels.values():
            by_key[text.key(label)].add(concept.uri)

    def top(label: str, lang: str):
        hits = by_key.get(text.key(label), set())
        return [(next(iter(hits)), 1.0)] if len(hits) == 1 else []

    return top


def measure(items: list[Item], answers) -> dict:
    """``answers(item)`` -> [(concept, confidence)] best first."""
    n = len(items)
    any_, top_right, confident, confident_right = 0, 0, 0, 0
    for item in items:
        found = answers(item)
        if not found:
            continue
        any_ += 1
        right = found[0][0] in item.truth
        top_right += right
        if found[0][1] >= CONFIDENT:
            confident += 1
            confident_right += right
    return {
        "names": n,
        "coverage": any_ / n if n else None,
        "top_precision": top_right / any_ if any_ else None,
        "confident": confident / n if n else None,
        "confident_precision": confident_right / confident if confident else None,
        "right_top": top_right,
    }


def run(misses: str | None = None) -> dict:
    items = load_items()
    official = list(bundled_official_entries())
    variants = {
        "before": suggester(()),
        "after": suggester(None),
        "+HVD": suggester(official + list(bundled_hvd_entries())),
    }
    top = anchor_top(bundled_concepts(EU))
    groups: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        groups[item.lang].append(item)
        if item.spatial:
            groups["spatial planning"].append(item)
    groups["all"] = items
    out: dict[str, dict] = {}
    for name, group in groups.items():
        row = {"anchor": measure(group, lambda i: top(i.label, i.lang))}
        for variant, sugg in variants.items():
            row[variant] = measure(group, _answers(sugg))
        out[name] = row
    if misses:
        sugg = variants["after"]
        for item in groups.get(misses, []):
            found = _answers(sugg)(item)
            if not found or found[0][0] not in item.truth:
                truth = ",".join(sorted(t.rsplit("/", 1)[1] for t in item.truth)) or "none"
                got = [(c.rsplit("/", 1)[1], round(v, 2)) for c, v in found[:3]]
                print(f"  {item.label!r} ({item.lang}) truth={truth} got={got}")
    return out


def _answers(sugg: Suggester):
    def answers(item: Item) -> list[tuple[str, float]]:
        return [(s.concept, s.confidence) for s in sugg.suggest(item.label, item.lang, scheme=EU)]

    return answers


def _pct(value) -> str:
    return "–" if value is None else f"{value:.2f}"


def table(rows: dict) -> str:
    lines = [
        "| language | names | coverage before → after (+HVD) | top precision before → after "
        "(+HVD) | confident before → after | confident precision before → after | anchor "
        "coverage |",
        "|---|---:|---|---|---|---|---:|",
    ]
    order = sorted(k for k in rows if k not in ("all", "spatial planning"))
    for name in [*order, "spatial planning", "all"]:
        r = rows[name]
        b, a, h = r["before"], r["after"], r["+HVD"]
        lines.append(
            f"| {name} | {a['names']} | {_pct(b['coverage'])} → {_pct(a['coverage'])} "
            f"({_pct(h['coverage'])}) | {_pct(b['top_precision'])} → {_pct(a['top_precision'])} "
            f"({_pct(h['top_precision'])}) | {_pct(b['confident'])} → {_pct(a['confident'])} "
            f"| {_pct(b['confident_precision'])} → {_pct(a['confident_precision'])} "
            f"| {_pct(r['anchor']['coverage'])} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", help="print the wrong or missing answers of one language")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args(argv)
    rows = run(args.misses)
    print(json.dumps(rows, indent=2) if args.json else table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
