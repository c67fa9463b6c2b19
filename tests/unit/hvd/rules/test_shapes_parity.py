"""``--only-shapes`` finds the same violating datasets as pySHACL with the official shapes.

Uses the benchmark's generator (bench/hvd_shapes_bench.py): 28 datasets, every second one
broken in one of the 14 shape-checked ways, so each mutation occurs exactly once. pySHACL
runs in-process here on hvd-SHACL-base.ttl + hvd-SHACL-usagenotes.ttl with the HVD category
vocabulary merged into the data graph.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from ckanext.partnercity.hvd.rules import engine, loaders

BENCH = Path(__file__).resolve().parents[4] / "bench" / "hvd_shapes_bench.py"
SHAPES = Path(__file__).resolve().parents[3] / "fixtures" / "hvd" / "shacl-3.0.0"


def _bench_module():
    spec = importlib.util.spec_from_file_location("hvd_shapes_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_only_shapes_matches_pyshacl_and_the_ground_truth(tmp_path):
    bench = _bench_module()
    bench.SHAPES = SHAPES  # the official files, copied into the fixtures
    data = tmp_path / "cat.ttl"
    truth = bench.generate(2 * len(bench.MUTATIONS), 0.5, data)
    assert len(truth) == len(bench.MUTATIONS)

    out = tmp_path / "pyshacl.json"
    bench.pyshacl_worker(str(data), str(out))
    shacl = set(json.loads(out.read_text()))

    report = engine.check_catalogue(loaders.load(data.read_bytes(), "cat.ttl"), only_shapes=True)
    ours = {d["uri"] for d in report["datasets"] if d["status"] == "non_compliant"}
    assert ours == shacl == truth
