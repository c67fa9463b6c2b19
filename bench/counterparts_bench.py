"""Counterpart quality: precision among the top 3 per partner language, on a labelled set.

The set (tests/fixtures/counterparts/, provenance and the judgement rule in its README) pairs
own datasets (German/English municipal titles) with nine pools of real partner-portal titles
(French, Dutch ×2, Italian ×2, Czech, English, Spanish, Swedish). For each own dataset and
pool, ``themes.counterparts.rank``
returns at most three counterparts; precision = relevant returned / returned, per language.
Also printed: how many returned lists hold at least one relevant reference where one exists
(hits), the most relevant answers the labels allow in the top 3 (ceiling), and, as the
anchor, the same figures for today's "same theme" list (the first three
references sharing an EU data theme with ours, in pool order). A second table gives the same
figures on the first held-out own datasets (``own_heldout.json``: labelled before any run;
looked at item by item after its runs, so development data since), then one table per later
held-out set (``own_heldout2.json`` … ``own_heldout4.json``, each labelled per pool in
``heldout<n>/`` before any run on it, never listed item by item: the measurements nobody
tuned on; ``bench.counterparts_set.LATER_HELDOUT``).

    PYTHONPATH=$PWD python bench/counterparts_bench.py [--show] [--dev]

``--dev`` leaves out the later held-out tables (while tuning, the measurements stay unseen).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.counterparts_set import LATER_HELDOUT, labelled, load, load_heldout_set  # noqa: E402
from ckanext.partnercity.themes import counterparts  # noqa: E402
from ckanext.partnercity.themes.profile_cache import ProfileCache  # noqa: E402

TOP = 3


def _theme_only(item: dict, pool: list[dict]) -> list[str]:
    mine = counterparts.profile(item).themes
    return [r["id"] for r in pool if mine & counterparts.profile(r).themes][:TOP]


def evaluate(own: list[dict], pools: dict[str, list[dict]], show: bool = False) -> dict:
    """Per language: returned, relevant returned, lists with a hit, lists that could hit,
    for the ranker (``rank``) and the same-theme anchor (``theme``)."""
    out: dict[str, dict] = {}
    for lang, pool in pools.items():
        title = {r["id"]: r["title"] for r in pool}
        row = {
            k: 0
            for k in (
                "returned",
                "relevant",
                "hits",
                "possible",
                "t_returned",
                "t_relevant",
                "t_hits",
                "ceiling",
            )
        }
        for item in own:
            good = set(item["same_subject"].get(lang, []))
            found = [c.id for c in counterparts.rank(item, pool, limit=TOP)]
            anchor = _theme_only(item, pool)
            row["possible"] += bool(good)
            row["ceiling"] += min(TOP, len(good & set(title.values())))
            for key, ids in (("", found), ("t_", anchor)):
                rel = sum(title[i] in good for i in ids)
                row[key + "returned"] += len(ids)
                row[key + "relevant"] += rel
                row[key + "hits"] += bool(rel)
            if show and found:
                marks = [("+" if title[i] in good else "-") + title[i][:50] for i in found]
                print(f"  {lang} {item['title'][:40]:40} {marks}")
        out[lang] = row
    return out


def precision(relevant: int, returned: int) -> float | None:
    return round(relevant / returned, 3) if returned else None


def timing(own: list[dict], pool: list[dict]) -> tuple[float, float, float]:
    """Seconds per page (one ``rank`` over ``pool``) once the vocabularies are loaded:
    uncached (the anchor: every view profiles every reference), with the references'
    profiles kept between views (:class:`ProfileCache`, warm: a second view of any page),
    and profiling the pool alone (what the cache saves)."""
    refs = [{**r, "version": "bench"} for r in pool]
    counterparts.rank(own[0], refs)
    start = time.perf_counter()
    for item in own[:5]:
        counterparts.rank(item, refs)
    uncached = (time.perf_counter() - start) / 5
    cache = ProfileCache()
    counterparts.rank(own[0], refs, cache=cache)
    start = time.perf_counter()
    for item in own[:5]:
        counterparts.rank(item, refs, cache=cache)
    cached = (time.perf_counter() - start) / 5
    start = time.perf_counter()
    for item in pool:
        counterparts.profile(item)
    return uncached, cached, time.perf_counter() - start


def table(result: dict) -> None:
    print(
        f"{'lang':5} {'P@3':>6} {'returned':>8} {'hits':>9} {'ceiling':>7} | "
        "anchor same-theme: P@3 returned hits"
    )
    for lang, r in result.items():
        p = precision(r["relevant"], r["returned"])
        tp = precision(r["t_relevant"], r["t_returned"])
        print(
            f"{lang:5} {p!s:>6} {r['returned']:>8} {r['hits']:>4}/{r['possible']:<4} "
            f"{r['ceiling']:>7} | "
            f"{tp!s:>6} {r['t_returned']:>4} {r['t_hits']:>4}/{r['possible']}"
        )


def main() -> int:
    own, heldout, pools, split = load()
    result = evaluate(own, pools, show="--show" in sys.argv)
    print(
        f"own datasets: {len(own)}; pools: " + ", ".join(f"{k} {len(v)}" for k, v in pools.items())
    )
    table(result)
    print(f"first held-out own datasets ({split}; inspected after its runs): {len(heldout)}")
    table(evaluate(heldout, pools, show="--show" in sys.argv))
    for name in LATER_HELDOUT:
        judged = labelled(name)
        if not judged or "--dev" in sys.argv:  # --dev: tuning, the measurements stay unseen
            continue
        split_n, items = load_heldout_set(pools, name)
        print(f"held-out own datasets ({split_n}, not tuned on): {len(items)}")
        # no --show listing: these answers are not for tuning
        table(evaluate(items, {k: v for k, v in pools.items() if k in judged}))
    print("ceiling: relevant answers a perfect ranker could return in the top 3 (labels allow)")
    uncached, cached, profiles = timing(own, pools["fr"])
    print(
        f"time per page over {len(pools['fr'])} references: {cached * 1000:.1f} ms with the "
        f"references' profiles kept between views; anchor, uncached: {uncached * 1000:.0f} ms "
        f"(profiling the references alone: {profiles * 1000:.0f} ms)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
