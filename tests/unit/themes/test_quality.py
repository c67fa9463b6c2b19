"""The suggester keeps its measured quality (bench/theme_quality_bench.py, no CKAN)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench" / "theme_quality_bench.py"


def _bench():
    spec = importlib.util.spec_from_file_location("theme_quality_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def test_leave_one_source_out_precision_and_recall_do_not_regress():
    # Measured when this guard was set (docs/themes-quality.md): pooled precision 0.880,
    # recall 0.764, calibration error 0.024 (rule-based confidences: 0.885, 0.750,
    # 0.084); each guard sits a little below so that a regression fails.
    bench = _bench()
    rows = bench.run()
    ours, anchor = bench.pooled(rows, "ours"), bench.pooled(rows, "anchor")
    assert ours["labels"] == anchor["labels"] > 500
    assert ours["precision"] >= 0.872
    assert ours["recall"] >= 0.757
    assert bench.calibration_error(rows) <= 0.035
    assert ours["recall"] >= 7 * anchor["recall"]
    for row in rows[: bench.POOLED]:
        assert row["ours"]["precision"] >= 0.75, row["source"]
        assert row["ours"]["recall"] >= 0.5, row["source"]
        assert row["ours"]["recall"] > row["anchor"]["recall"], row["source"]


def test_the_rank_table_accounts_for_every_themed_label():
    """The ceiling the docs quote: every themed label is counted once, and a right confident
    top-1 answer is a right first suggestion."""
    bench = _bench()
    rows = bench.run()
    for row in rows:
        ranks, ours = row["ranks"], row["ours"]
        assert sum(ranks.values()) == ours["positives"], row["source"]
        assert ours["correct"] <= ranks["first"], row["source"]
    table = bench.ceiling(rows)
    overall = table.splitlines()[-1].split("|")
    reachable = sum(int(overall[i]) for i in (2, 3, 4))
    assert round(reachable / sum(int(x) for x in overall[2:7]), 3) == float(overall[7])


def _auto_applied(rows: list[dict], pooled: int) -> list[int]:
    """Top-1 answers at 0.9 or more (applied without review), and how many are right."""
    return [sum(row["ours"]["bins"][9][i] for row in rows[:pooled]) for i in (0, 1)]


def test_the_domain_lexicon_adds_recall_but_nothing_applied_without_review():
    bench = _bench()
    # The official INSPIRE-theme labels weigh as the lexicon does (lexicon-kind labels,
    # suggest/index.py), so "without" leaves both out.
    rows, without_rows = bench.run(), bench.run(lexicon=(), official=())
    with_lexicon, without = bench.pooled(rows, "ours"), bench.pooled(without_rows, "ours")
    assert with_lexicon["recall"] >= without["recall"] + 0.1
    # without the lexicon the suggester answers less but more surely
    assert without["precision"] >= 0.9
    # the lexicon's answers stay under the auto-apply level (0.9)
    assert _auto_applied(rows, bench.POOLED) == _auto_applied(without_rows, bench.POOLED)


def test_calibration_is_fitted_without_the_evaluated_alignment(monkeypatch):
    bench = _bench()
    fitted_on = []
    real = bench.fit_calibration

    def spy(concepts, alignments, lexicon, scheme, official=None):
        fitted_on.append({a.source for a in alignments})
        return real(concepts, alignments, lexicon, scheme, official=official)

    monkeypatch.setattr(bench, "fit_calibration", spy)
    rows = bench.run()
    assert len(fitted_on) == len(bench.SOURCES)
    for (_, source, _, extra), sources in zip(bench.SOURCES, fitted_on, strict=True):
        assert source not in sources and not set(extra) & sources
        assert len(sources) >= 5
    # calibrated confidences say how often such answers are right
    assert bench.calibration_error(rows) < bench.calibration_error(bench.run(calibrated=False))
