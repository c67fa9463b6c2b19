"""HVD shapes bench: pySHACL + official shapes vs ``partnercity-hvd check --only-shapes``.

Generates DCAT-AP HVD catalogues (default 1,000 and 5,000 datasets). Every dataset has one
distribution and its own API; a known share (default 20 %) misses exactly one property the
official 3.0.0-hvd shapes check (cycling through the mutations below). Both checkers run in
separate subprocesses on the same Turtle file, alternately (``--repeat N``: N runs each,
medians shown); the script prints wall time including process start, peak RSS and CPU
time (from ``wait4``), the speed ratios (pySHACL is the anchor, measured in the same run) and
whether the sets of violating datasets are identical (to each other and to the generated
ground truth).

pySHACL setup (as SEMIC runs the official shapes): shapes = hvd-SHACL-base.ttl +
hvd-SHACL-usagenotes.ttl, data =
catalogue + HVD category vocabulary (needed for the ``skos:inScheme`` restriction), no
inference. A pySHACL result is attributed to a dataset through its focus node: the dataset,
its distribution (``^dcat:distribution``) or its API (``dcat:servesDataset``).

    .venv/bin/python bench/hvd_shapes_bench.py [--sizes 1000 5000] [--share 0.2] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHAPES = Path(
    os.environ.get("HVD_SHAPES_DIR", "/work/shared/reference/hvd/shacl/dcat-ap-hvd-3.0.0")
)
VOCAB = (
    ROOT / "ckanext" / "partnercity" / "themes" / "vocabularies" / "high-value-dataset-category.rdf"
)
ELI = "http://data.europa.eu/eli/reg_impl/2023/138/oj"
BNA = "http://data.europa.eu/bna/"
LEAVES = ["c_f2b50efd", "c_60182062", "c_63b37dd4", "c_13e3cf16", "c_4b74ea13", "c_56a1bf47"]
CC_BY = "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"

# each mutation removes or breaks exactly one shape-checked property (Violation severity)
MUTATIONS = [
    "dataset_eli",
    "dataset_category",
    "dataset_category_scheme",
    "dataset_distribution",
    "dataset_api",
    "distribution_eli",
    "distribution_access_url",
    "distribution_legal",
    "service_eli",
    "service_category",
    "service_contact",
    "service_page",
    "service_endpoint",
    "service_legal",
]

PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dcatap: <http://data.europa.eu/r5r/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
"""


def generate(n: int, share: float, path: Path) -> set[str]:
    """Write a catalogue of ``n`` datasets; return the URIs of the broken ones."""
    broken_every = max(1, round(1 / share)) if share else 0
    broken: set[str] = set()
    out = [PREFIXES, "<https://city.example/catalog> a dcat:Catalog ;\n  dct:title 'Bench'@en .\n"]
    for i in range(n):
        ds = f"https://city.example/dataset/{i}"
        dist = f"{ds}/distribution/csv"
        api = f"https://city.example/api/{i}"
        cat = BNA + LEAVES[i % len(LEAVES)]
        mutation = None
        if broken_every and i % broken_every == 0:
            mutation = MUTATIONS[(i // broken_every) % len(MUTATIONS)]
            broken.add(ds)
        d = [f"<{ds}> a dcat:Dataset", f"dct:title 'Dataset {i}'@en"]
        if mutation != "dataset_eli":
            d.append(f"dcatap:applicableLegislation <{ELI}>")
        if mutation == "dataset_category_scheme":
            d.append("dcatap:hvdCategory <https://city.example/category/population>")
        elif mutation != "dataset_category":
            d.append(f"dcatap:hvdCategory <{cat}>")
        if mutation != "dataset_distribution":
            d.append(f"dcat:distribution <{dist}>")
        out.append(" ;\n  ".join(d) + " .\n")
        if mutation != "dataset_distribution":
            x = [
                f"<{dist}> a dcat:Distribution",
                "dct:format <http://publications.europa.eu/resource/authority/file-type/CSV>",
            ]
            if mutation != "distribution_eli":
                x.append(f"dcatap:applicableLegislation <{ELI}>")
            if mutation != "distribution_access_url":
                x.append(f"dcat:accessURL <https://city.example/files/{i}.csv>")
            if mutation != "distribution_legal":
                x.append(f"dct:license <{CC_BY}>")
            out.append(" ;\n  ".join(x) + " .\n")
        if mutation != "dataset_api":
            s = [f"<{api}> a dcat:DataService", f"dcat:servesDataset <{ds}>"]
            if mutation != "service_eli":
                s.append(f"dcatap:applicableLegislation <{ELI}>")
            if mutation != "service_category":
                s.append(f"dcatap:hvdCategory <{cat}>")
            if mutation != "service_contact":
                s.append(
                    "dcat:contactPoint [ a vcard:Kind ; "
                    f"vcard:hasEmail <mailto:api{i}@city.example> ]"
                )
            if mutation != "service_page":
                s.append(f"foaf:page <https://city.example/api/{i}/terms>")
            if mutation != "service_endpoint":
                s.append(f"dcat:endpointURL <https://city.example/api/{i}/v1>")
            if mutation != "service_legal":
                s.append(f"dct:license <{CC_BY}>")
            out.append(" ;\n  ".join(s) + " .\n")
    path.write_text("".join(out), encoding="utf-8")
    return broken


# -- workers (run in their own process) ---------------------------------------------


def pyshacl_worker(data_path: str, out_path: str) -> None:
    import pyshacl
    import rdflib
    from rdflib.namespace import DCAT, SH

    data = rdflib.Graph()
    data.parse(data_path, format="turtle")
    data.parse(str(VOCAB), format="xml")
    shapes = rdflib.Graph()
    shapes.parse(str(SHAPES / "hvd-SHACL-base.ttl"), format="turtle")
    shapes.parse(str(SHAPES / "hvd-SHACL-usagenotes.ttl"), format="turtle")
    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True
    )
    datasets = set(data.subjects(rdflib.RDF.type, DCAT.Dataset))
    violating: set[str] = set()
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus = report.value(result, SH.focusNode)
        if focus in datasets:
            violating.add(str(focus))
        violating.update(str(d) for d in data.subjects(DCAT.distribution, focus))
        violating.update(str(d) for d in data.objects(focus, DCAT.servesDataset))
    Path(out_path).write_text(json.dumps(sorted(violating)))


def _run(cmd: list[str]) -> tuple[float, float, int]:
    """Run a command; wall seconds, CPU seconds (user + system) and peak RSS (MiB) of that
    process. CPU time hardly moves when other work shares the machine; wall time does."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def _median(runs: list[tuple[float, float, int]]) -> tuple[float, float, int]:
    """Median wall and CPU seconds, and the largest peak RSS, of some runs."""
    return (
        statistics.median(r[0] for r in runs),
        statistics.median(r[1] for r in runs),
        max(r[2] for r in runs),
    )


def bench(n: int, share: float, workdir: Path, repeat: int = 1) -> dict:
    data = workdir / f"hvd-{n}.ttl"
    truth = generate(n, share, data)
    shacl_out = workdir / f"pyshacl-{n}.json"
    ours_out = workdir / f"ours-{n}.json"
    cli = shutil.which("partnercity-hvd", path=str(Path(sys.executable).parent))
    cmd = [cli] if cli else [sys.executable, "-m", "ckanext.partnercity.hvd.rules.cli"]
    shacl_cmd = [sys.executable, __file__, "--pyshacl-worker", str(data), str(shacl_out)]
    ours_cmd = [*cmd, "check", str(data), "--only-shapes", "-o", str(ours_out)]
    shacl, ours = [], []
    for _ in range(repeat):  # alternate, so both see the same load on a shared machine
        shacl.append(_run(shacl_cmd))
        ours.append(_run(ours_cmd))
    shacl_wall, shacl_cpu, shacl_rss = _median(shacl)
    ours_wall, ours_cpu, ours_rss = _median(ours)
    shacl_set = set(json.loads(shacl_out.read_text()))
    report = json.loads(ours_out.read_text())
    ours_set = {d["uri"] for d in report["datasets"] if d["status"] == "non_compliant"}
    return {
        "datasets": n,
        "broken": len(truth),
        "pyshacl_s": round(shacl_wall, 2),
        "pyshacl_rss_mib": shacl_rss,
        "ours_s": round(ours_wall, 2),
        "ours_rss_mib": ours_rss,
        "ratio": round(shacl_wall / ours_wall, 1),
        "pyshacl_cpu_s": round(shacl_cpu, 2),
        "ours_cpu_s": round(ours_cpu, 2),
        "cpu_ratio": round(shacl_cpu / ours_cpu, 1),
        "runs": repeat,
        "identical": shacl_set == ours_set,
        "pyshacl_matches_truth": shacl_set == truth,
        "ours_matches_truth": ours_set == truth,
        "pyshacl_violating": len(shacl_set),
        "ours_violating": len(ours_set),
    }


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--pyshacl-worker":
        pyshacl_worker(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--share", type=float, default=0.2, help="share of broken datasets")
    parser.add_argument("--keep", type=Path, help="keep generated files in this folder")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per checker and size (medians are shown)"
    )
    args = parser.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="hvd-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    header = (
        f"{'datasets':>8} {'broken':>6} {'pySHACL s':>10} {'RSS MiB':>8} {'ours s':>7} "
        f"{'RSS MiB':>8} {'ratio':>6} {'CPU ratio':>9}  identical  (truth: pySHACL / ours)"
    )
    print(header)
    rows = []
    for n in args.sizes:
        r = bench(n, args.share, workdir, args.repeat)
        rows.append(r)
        print(
            f"{r['datasets']:>8} {r['broken']:>6} {r['pyshacl_s']:>10} {r['pyshacl_rss_mib']:>8} "
            f"{r['ours_s']:>7} {r['ours_rss_mib']:>8} {r['ratio']:>5}x {r['cpu_ratio']:>8}x"
            f"  {str(r['identical']):>9}"
            f"  ({r['pyshacl_matches_truth']} / {r['ours_matches_truth']})",
            flush=True,
        )
    print(json.dumps(rows))
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
