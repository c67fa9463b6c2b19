"""Quality of the theme suggester on labelled data from published alignments.

Each published alignment of local categories to EU data themes in
``ckanext/partnercity/themes/vocabularies/`` is a set of labelled examples: a local category label
(GovData and Berlin CKAN group names, DCAT-AP CH theme labels in de/fr/it/en,
Wallonia Opendatasoft themes and keywords, Brussels keywords, Italian local
keywords) and the EU theme(s) its publisher chose, or none. For each source the
suggester is built from the EU data-theme vocabulary and every OTHER alignment
(leave-one-source-out), and asked for the label in the source's language
restricted to the EU data-theme scheme. Measured:

- precision: share of confident answers (top-1 confidence >= 0.5) whose concept is
  one the publisher chose; a confident answer for a category the publisher
  mapped to no theme counts as wrong;
- recall: share of the labelled categories (with at least one theme) that get a
  correct confident top-1 answer;
- answered: share of all labels with a confident answer; any: share with any
  suggestion at all.

The anchor, measured in the same run on the same labels, is an exact match of the
normalized label to one EU data-theme prefLabel (any of the 24 languages). The
project's domain lexicon (ckanext/partnercity/themes/vocabularies/partnercity_theme-lexicon.json) is
always an input: it is not one of the evaluated sources and was not built from
them; the pooled figures without it are printed for comparison.

Usage: python bench/theme_quality_bench.py [--misses SOURCE] [--json]
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
from ckanext.partnercity.themes.calibration import fit as fit_calibration  # noqa: E402
from ckanext.partnercity.themes.skos.alignments import (  # noqa: E402
    BUNDLED_ALIGNMENTS,
    bundled_alignments,
)
from ckanext.partnercity.themes.skos.schemes import (  # noqa: E402
    EU_THEME_BASE,
    EU_THEME_SCHEME,
    VOCAB_DIR,
    bundled_concepts,
)
from ckanext.partnercity.themes.suggest.suggester import Suggester  # noqa: E402

CONFIDENT = 0.5
TARGET_PRECISION = 0.9
TARGET_RECALL = 0.8
EU = EU_THEME_SCHEME

#: Evaluated sources: (row name, alignment source id, label language, extra ids left out).
SOURCES = (
    ("GovData OGD groups", "govdata", "de", ()),
    ("Berlin groups", "berlin", "de", ()),
    ("DCAT-AP CH themes", "dcat-ap-ch", None, ()),
    ("Wallonia ODS themes+keywords", "wallonia", "fr", ()),
    ("Brussels keywords", "brussels", None, ()),
    ("Italian keywords", "dcat-ap-it-keywords", "it", ()),
    # The Italian keyword list reuses EuroVoc domain names that AgID's alignment
    # also labels; this row leaves AgID out too.
    ("Italian keywords, no AgID", "dcat-ap-it-keywords", "it", ("agid-eurovoc",)),
)
#: Rows pooled into "overall" (the strict Italian row is a variant, not a source).
POOLED = 6


@dataclass
class Item:
    label: str
    lang: str | None
    truth: frozenset[str]


def _resolve(concept: str) -> str:
    # Wallonia's non-standard …/EDUC#SPORT is a part of EDUC.
    return concept.split("#", 1)[0]


def _json_items(source_id: str, lang: str) -> list[Item]:
    """GovData / Berlin: every group, including those mapped to no theme (null)."""
    item = next(a for a in BUNDLED_ALIGNMENTS if a.source == source_id)
    doc = json.loads((VOCAB_DIR / item.file).read_text(encoding="utf-8"))
    out = []
    for local, value in doc.items():
        codes = [] if value is None else value if isinstance(value, list) else [value]
        out.append(Item(local, lang, frozenset(EU_THEME_BASE + c.upper() for c in codes)))
    return out


def _entry_items(source_id: str, lang: str | None) -> list[Item]:
    """Labels of an alignment's entries; the same label (normalized) merges its themes."""
    truth: dict[tuple, set[str]] = defaultdict(set)
    first: dict[tuple, tuple[str, str | None]] = {}
    for entry in bundled_alignments():
        if entry.source != source_id:
            continue
        for label_lang, labels in entry.local_labels.items():
            for label in labels:
                key = (text.key(label), label_lang or lang)
                if not key[0]:
                    continue
                truth[key].add(_resolve(entry.concept))
                first.setdefault(key, (label, label_lang or lang))
    return [Item(first[k][0], first[k][1], frozenset(v)) for k, v in truth.items()]


def items_for(source_id: str, lang: str | None) -> list[Item]:
    if source_id in ("govdata", "berlin"):
        return _json_items(source_id, lang or "de")
    return _entry_items(source_id, lang)


class Anchor:
    """Exact normalized prefLabel match, nothing else."""

    def __init__(self, concepts):
        self.by_key: dict[tuple, set[str]] = defaultdict(set)
        for concept in concepts:
            for label in concept.pref_labels.values():
                self.by_key[text.key(label)].add(concept.uri)

    def top(self, label: str, lang: str | None):
        hits = self.by_key.get(text.key(label), set())
        return (next(iter(hits)), 1.0) if len(hits) == 1 else (None, 0.0)


def measure(items: list[Item], top) -> dict:
    answered = correct = anything = 0
    positives = sum(1 for i in items if i.truth)
    bins = [[0, 0] for _ in range(10)]  # per top-1 confidence decile: answers, correct
    for item in items:
        concept, confidence = top(item.label, item.lang)
        anything += concept is not None
        if concept is not None:
            decile = bins[min(int(confidence * 10), 9)]
            decile[0] += 1
            decile[1] += concept in item.truth
        if concept is not None and confidence >= CONFIDENT:
            answered += 1
            correct += concept in item.truth
    return {
        "bins": bins,
        "labels": len(items),
        "positives": positives,
        "answered": answered,
        "correct": correct,
        "precision": correct / answered if answered else None,
        "recall": correct / positives if positives else None,
        "answered_share": answered / len(items) if items else None,
        "any_share": anything / len(items) if items else None,
    }


def suggester_top(suggester: Suggester):
    def top(label: str, lang: str | None):
        found = suggester.suggest(label, lang, scheme=EU)
        return (found[0].concept, found[0].confidence) if found else (None, 0.0)

    return top


def _pct(value) -> str:
    return "–" if value is None else f"{value:.2f}"


def run(
    misses: str | None = None, lexicon=None, calibrated: bool = True, official=None
) -> list[dict]:
    """One row per source; ``lexicon`` and ``official`` (the official INSPIRE-theme and
    HVD-category labels; ``()``: without them, the tree before they came): as for
    ``Suggester``;
    ``calibrated``: confidences calibrated on the kept alignments only (nested
    leave-one-source-out, ``calibration.fit``), else the rule-based ones."""
    concepts = bundled_concepts(EU)
    alignments = bundled_alignments()
    anchor = Anchor(concepts)
    rows = []
    for name, source_id, lang, extra in SOURCES:
        left_out = {source_id, *extra}
        kept = [a for a in alignments if a.source not in left_out]
        # The calibration is fitted on the kept alignments only: the evaluated one
        # is neither evidence nor calibration data.
        fitted = (
            fit_calibration(concepts, kept, lexicon, EU, official=official) if calibrated else None
        )
        suggester = Suggester(
            concepts, kept, lexicon=lexicon, calibration=fitted, official=official
        )
        items = items_for(source_id, lang)
        ours = measure(items, suggester_top(suggester))
        base = measure(items, anchor.top)
        rows.append(
            {
                "source": name,
                "id": source_id,
                "ours": ours,
                "anchor": base,
                "ranks": rank_counts(items, suggester),
            }
        )
        if misses and misses in (source_id, name):
            print(f"\n## {name}: wrong or missing confident answers")
            for item in items:
                found = suggester.suggest(item.label, item.lang, scheme=EU)
                top = found[0] if found else None
                ok = top is not None and top.confidence >= CONFIDENT and top.concept in item.truth
                if not ok and (item.truth or (top and top.confidence >= CONFIDENT)):
                    truth = ",".join(sorted(t.rsplit("/", 1)[1] for t in item.truth)) or "none"
                    got = [(s.concept.rsplit("/", 1)[1], s.relation, s.confidence) for s in found]
                    print(f"  {item.label!r} ({item.lang}) truth={truth} got={got}")
    return rows


RANKS = ("first", "second", "third or lower", "wrong only", "none")


def rank_counts(items: list[Item], suggester: Suggester) -> dict[str, int]:
    """Where the publisher's theme is among all suggestions for each themed label: what no
    ranking or calibration of the same evidence could get beyond."""
    counts = dict.fromkeys(RANKS, 0)
    for item in items:
        if not item.truth:
            continue
        found = suggester.suggest(item.label, item.lang, scheme=EU)
        right = [i for i, s in enumerate(found) if s.concept in item.truth]
        if not found:
            counts["none"] += 1
        elif not right:
            counts["wrong only"] += 1
        else:
            counts[RANKS[min(right[0], 2)]] += 1
    return counts


def ceiling(rows: list[dict]) -> str:
    """The rank table: per source and pooled, with the recall perfect ranking would give."""
    lines = [
        "Where the publisher's theme is among the suggestions (themed labels):",
        "",
        "| source | " + " | ".join(RANKS) + " | recall with perfect ranking |",
        "|---|" + "---:|" * (len(RANKS) + 1),
    ]
    total = dict.fromkeys(RANKS, 0)
    for row in rows[:POOLED]:
        for key in RANKS:
            total[key] += row["ranks"][key]
    for name, counts in [*((r["source"], r["ranks"]) for r in rows[:POOLED]), ("overall", total)]:
        themed = sum(counts.values())
        reachable = counts["first"] + counts["second"] + counts["third or lower"]
        cells = " | ".join(str(counts[key]) for key in RANKS)
        lines.append(f"| {name} | {cells} | {reachable / themed:.3f} |")
    return "\n".join(lines)


def pooled(rows: list[dict], key: str) -> dict:
    total = defaultdict(int)
    for row in rows[:POOLED]:
        for field in ("labels", "positives", "answered", "correct"):
            total[field] += row[key][field]
    return {
        **total,
        "precision": total["correct"] / total["answered"] if total["answered"] else None,
        "recall": total["correct"] / total["positives"],
        "answered_share": total["answered"] / total["labels"],
        "any_share": None,
    }


def calibration(rows: list[dict]) -> str:
    """Precision of the top-1 answer per confidence band, all six sources pooled."""
    bins = [[0, 0] for _ in range(10)]
    for row in rows[:POOLED]:
        for band, (n, ok) in zip(bins, row["ours"]["bins"], strict=True):
            band[0] += n
            band[1] += ok
    lines = ["| top-1 confidence | answers | right |", "|---|---:|---:|"]
    for i, (n, ok) in enumerate(bins):
        if n:
            lines.append(f"| {i / 10:.1f}–{(i + 1) / 10:.1f} | {n} | {ok / n:.2f} |")
    return "\n".join(lines)


def calibration_error(rows: list[dict]) -> float:
    """Expected calibration error of the top-1 answers of the six sources: the mean
    gap between a confidence band's middle and its share of right answers, weighted
    by the band's answers."""
    bins = [[0, 0] for _ in range(10)]
    for row in rows[:POOLED]:
        for band, (n, ok) in zip(bins, row["ours"]["bins"], strict=True):
            band[0] += n
            band[1] += ok
    total = sum(n for n, _ in bins)
    return sum(abs(ok / n - (i + 0.5) / 10) * n for i, (n, ok) in enumerate(bins) if n) / total


def operating_points(rows: list[dict]) -> str:
    """Pooled precision and recall if "confident" began at another confidence."""
    positives = sum(row["ours"]["positives"] for row in rows[:POOLED])
    lines = ["| confident from | answers | precision | recall |", "|---|---:|---:|---:|"]
    for start in (3, 4, 5, 6, 7, 8, 9):
        n = sum(row["ours"]["bins"][k][0] for row in rows[:POOLED] for k in range(start, 10))
        ok = sum(row["ours"]["bins"][k][1] for row in rows[:POOLED] for k in range(start, 10))
        lines.append(f"| {start / 10:.1f} | {n} | {ok / n:.3f} | {ok / positives:.3f} |")
    return "\n".join(lines)


def summary(rows: list[dict], without_lexicon: list[dict], rule_based: list[dict]) -> str:
    """Pooled figures to three places: as measured, without the lexicon, and with the
    rule-based (uncalibrated) confidences; and the calibration error of each."""
    out = []
    for name, data in (
        ("with the domain lexicon", rows),
        ("without it", without_lexicon),
        ("with the lexicon, rule-based confidences (not calibrated)", rule_based),
    ):
        o = pooled(data, "ours")
        out.append(
            f"Pooled, {name}: {o['answered']} confident answers, {o['correct']} right: "
            f"precision {o['precision']:.3f}, recall {o['recall']:.3f}; "
            f"calibration error {calibration_error(data):.3f}."
        )
    return "\n".join(out)


def table(rows: list[dict]) -> str:
    lines = [
        "| source (left out of the suggester) | labels | with theme | precision | recall "
        "| answered | any | anchor precision | anchor recall | anchor answered |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    overall = {"source": "**overall (6 sources pooled)**"}
    overall["ours"], overall["anchor"] = pooled(rows, "ours"), pooled(rows, "anchor")
    for row in [*rows, overall]:
        o, a = row["ours"], row["anchor"]
        lines.append(
            f"| {row['source']} | {o['labels']} | {o['positives']} | {_pct(o['precision'])} "
            f"| {_pct(o['recall'])} | {_pct(o['answered_share'])} | {_pct(o['any_share'])} "
            f"| {_pct(a['precision'])} | {_pct(a['recall'])} | {_pct(a['answered_share'])} |"
        )
    ok_p = overall["ours"]["precision"] is not None and (
        overall["ours"]["precision"] >= TARGET_PRECISION
    )
    ok_r = overall["ours"]["recall"] >= TARGET_RECALL
    lines.append("")
    lines.append(
        f"Targets (overall): precision >= {TARGET_PRECISION} "
        f"{'met' if ok_p else 'NOT met'}, recall >= {TARGET_RECALL} "
        f"{'met' if ok_r else 'NOT met'}. Confident = top-1 confidence >= {CONFIDENT}."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", help="print the misses of one source (id or row name)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args(argv)
    rows = run(args.misses)
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        print(table(rows))
        print()
        before = run(official=())
        print("Before (anchor of this run: the same suggester without the official")
        print("INSPIRE-theme labels, official=()):")
        print()
        print(table(before))
        print()
        print(summary(rows, run(lexicon=()), run(calibrated=False)))
        o = pooled(before, "ours")
        print(
            f"Pooled, before the official labels: {o['answered']} confident answers, "
            f"{o['correct']} right: precision {o['precision']:.3f}, recall {o['recall']:.3f}; "
            f"calibration error {calibration_error(before):.3f}."
        )
        print()
        print(calibration(rows))
        print()
        print(operating_points(rows))
        print()
        print(ceiling(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
