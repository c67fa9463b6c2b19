"""The suggester keeps its measured quality (bench/theme_quality_bench.py, no CKAN)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "theme_quality_bench.py"


def _bench():
    spec = importlib.util.spec_from_file_location("theme_quality_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def test_leave_one_source_out_precision_and_recall_do_not_regress():
    bench = _bench()
    rows = bench.run()
    ours, anchor = bench.pooled(rows, "ours"), bench.pooled(rows, "anchor")
    assert ours["labels"] == anchor["labels"] > 500
    # The precision target holds over all sources together ...
    assert ours["precision"] >= bench.TARGET_PRECISION
    # ... and the smarter matching finds far more than exact prefLabels do.
    assert ours["recall"] >= 0.58
    assert ours["recall"] >= 5 * anchor["recall"]
    for row in rows:
        assert row["ours"]["precision"] >= 0.8, row["source"]
        assert row["ours"]["recall"] > row["anchor"]["recall"], row["source"]
