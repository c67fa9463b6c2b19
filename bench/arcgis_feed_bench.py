"""Peak memory and time of harvesting one 100 MB ArcGIS Hub feed, against ``json.load``.

An ArcGIS Hub site publishes its whole catalogue as one DCAT document. This bench builds a
feed of 10,000 datasets (about 100 MB) from the records of the real Hub feeds in
tests/fixtures/arcgis_hub/ (Évian's Hub and APUR's ArcGIS Open Data, both DCAT-US 1.1):
each generated record is a real one with a new identifier, title number and landing page,
its description repeated until the record is about ``--mb`` MB / ``--datasets`` long (real
Hub descriptions are HTML of any length). It serves the feed on 127.0.0.1 at the Hub's
DCAT-US path (the DCAT-AP paths answer 404, so the harvester walks the whole fallback chain),
and runs ``ArcgisHubHarvester.pages()`` over it in a fresh subprocess, so generating the file
does not inflate the measured peak RSS. The anchor, in the same run, is plain
``json.load`` of the same file in its own process.

Usage: python bench/arcgis_feed_bench.py [--datasets N] [--mb MB] [--page-size P]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

TARGET_MB = 300
ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "arcgis_hub"
SOURCES = (
    "evian_arcgis-hub_dcat-us-1.1_feed.json",
    "apur-paris_arcgis-opendata_dcat-us-1.1_feed.jsonld",
)
FEED_PATH = "api/feed/dcat-us/1.1.json"


def _templates() -> tuple[dict, list[dict]]:
    """The catalogue head of the first feed and every real record of both."""
    feeds = [json.loads((FIXTURES / name).read_text(encoding="utf-8")) for name in SOURCES]
    head = {k: v for k, v in feeds[0].items() if k != "dataset"}
    return head, [record for feed in feeds for record in feed["dataset"]]


def _record(template: dict, i: int, record_bytes: int) -> str:
    record = dict(template)
    record["identifier"] = f"https://www.arcgis.com/home/item.html?id={i:032x}&sublayer=0"
    record["landingPage"] = f"https://opendata.partnerstadt.example/datasets/{i:032x}_0"
    record["title"] = f"{template.get('title', 'dataset')} {i}"
    text = json.dumps(record, ensure_ascii=False)
    description = template.get("description") or "Description of the dataset."
    repeat = max(1, (record_bytes - len(text)) // max(1, len(description)) + 1)
    record["description"] = " ".join([description] * repeat)
    return json.dumps(record, ensure_ascii=False)


def write_feed(path: Path, datasets: int, megabytes: float) -> int:
    """Write a DCAT-US 1.1 feed of ``datasets`` records; return its size in bytes."""
    head, templates = _templates()
    record_bytes = int(megabytes * 1e6 / max(1, datasets))
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "dataset": [\n')
        for i in range(datasets):
            if i:
                out.write(",\n")
            out.write(_record(templates[i % len(templates)], i, record_bytes))
        out.write("\n]}\n")
    return path.stat().st_size


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def worker_harvest(url: str, page_size: int) -> dict:
    """Runs in a fresh process: only imports and the harvest count towards its peak."""
    from ckanext.partnercity.harvesters.base import PartnerSource
    from ckanext.partnercity.harvesters.http import HttpClient
    from ckanext.partnercity.harvesters.portals.arcgis_hub import ArcgisHubHarvester

    imports_mb = _peak_mb()
    client = HttpClient(allow_private=True, max_bytes=4 * 1024**3, timeout=300)
    source = PartnerSource(portal_url=url, portal_type="arcgis_hub", page_size=page_size)
    started = time.perf_counter()
    datasets = errors = pages = distributions = 0
    for page in ArcgisHubHarvester(source, client).pages():
        pages += 1
        datasets += len(page.records)
        errors += len(page.errors)
        distributions += sum(len(r.distributions) for r in page.records)
    return {
        "datasets": datasets,
        "distributions": distributions,
        "errors": errors,
        "pages": pages,
        "seconds": time.perf_counter() - started,
        "imports_mb": imports_mb,
        "peak_mb": _peak_mb(),
    }


def worker_anchor(path: str) -> dict:
    """Runs in a fresh process: the whole feed as one Python object."""
    imports_mb = _peak_mb()
    started = time.perf_counter()
    with open(path, encoding="utf-8") as feed:
        datasets = len(json.load(feed)["dataset"])
    return {
        "datasets": datasets,
        "seconds": time.perf_counter() - started,
        "imports_mb": imports_mb,
        "peak_mb": _peak_mb(),
    }


def _run_worker(*args: str) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--worker", *args], capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.stderr.write(result.stderr[-4000:])
        raise SystemExit(f"worker {args[0]} failed with exit code {result.returncode}")
    return json.loads(result.stdout.strip().splitlines()[-1])


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--mb", type=float, default=100.0, help="approximate feed size")
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        kind, *rest = args.worker
        out = worker_harvest(rest[0], int(rest[1])) if kind == "harvest" else worker_anchor(rest[0])
        print(json.dumps(out))
        return

    with tempfile.TemporaryDirectory(prefix="arcgis-bench-") as tmp:
        feed = Path(tmp) / FEED_PATH
        feed.parent.mkdir(parents=True)
        started = time.perf_counter()
        size = write_feed(feed, args.datasets, args.mb)
        print(
            f"feed:     {args.datasets:,} DCAT-US 1.1 datasets from {len(SOURCES)} real Hub "
            f"feeds, {size / 1e6:,.1f} MB (generated in {time.perf_counter() - started:.1f} s)"
        )
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=tmp))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            run = _run_worker(
                "harvest", f"http://127.0.0.1:{server.server_port}", str(args.page_size)
            )
        finally:
            server.shutdown()
            server.server_close()
        anchor = _run_worker("anchor", str(feed))

    ok = run["peak_mb"] < TARGET_MB and run["datasets"] == args.datasets and not run["errors"]
    rate = run["datasets"] / run["seconds"] if run["seconds"] else 0.0
    print(
        f"harvest:  ArcgisHubHarvester over HTTP (DCAT-AP 2.1.1, 2.0.1, 3.0.0 answer 404, then "
        f"DCAT-US), {run['pages']:,} pages, {run['datasets']:,} records, "
        f"{run['distributions']:,} distributions, {run['errors']} errors"
    )
    print(f"          {run['seconds']:.1f} s, {rate:,.0f} datasets/s")
    print(
        f"          peak RSS {run['peak_mb']:,.0f} MB (of which imports: "
        f"{run['imports_mb']:,.0f} MB) -- target < {TARGET_MB} MB: {'PASS' if ok else 'FAIL'}"
    )
    print(
        f"anchor:   json.load() of the same feed: {anchor['seconds']:.1f} s, "
        f"peak RSS {anchor['peak_mb']:,.0f} MB "
        f"({anchor['peak_mb'] / run['peak_mb']:,.1f}x the harvester's peak)"
    )
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
