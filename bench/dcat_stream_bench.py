"""Peak memory of harvesting one huge DCAT-AP Turtle catalogue, against rdflib's.

A partner with 100,000 datasets publishes one Turtle document of a few hundred
MB. Loading it into rdflib and running ckanext-dcat over the whole graph needs
gigabytes; the DCAT harvester instead streams it (pyoxigraph's parser into an
on-disk SQLite index) and hands ckanext-dcat one small graph per page. This
bench generates such a catalogue, serves it on 127.0.0.1, and runs the real
harvester over it in a fresh subprocess (so generating the file does not
inflate the measured peak RSS). The anchor, measured in the same run,
is plain ``rdflib.Graph().parse()`` of the first 10,000 datasets of the same
file, extrapolated linearly to the whole catalogue.

Usage: python bench/dcat_stream_bench.py [--datasets N] [--page-size P]
"""

from __future__ import annotations

import argparse
import json
import random
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
ANCHOR_DATASETS = 10_000
BASE = "https://daten.partnerstadt.example"
FILES = "https://files.partnerstadt.example"

PREFIXES = """\
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcatap: <http://data.europa.eu/r5r/> .
@prefix theme: <http://publications.europa.eu/resource/authority/data-theme/> .
@prefix ftype: <http://publications.europa.eu/resource/authority/file-type/> .
@prefix lang: <http://publications.europa.eu/resource/authority/language/> .
@prefix freq: <http://publications.europa.eu/resource/authority/frequency/> .

"""
THEMES = ["ENVI", "TRAN", "REGI", "SOCI", "ECON", "GOVE", "EDUC", "HEAL", "ENER", "TECH"]
SUBJECTS = [
    ("Luftqualität", "air quality", ["luft", "umwelt", "messstation", "feinstaub"]),
    ("Verkehrszählung", "traffic counts", ["verkehr", "mobilität", "zählstelle"]),
    ("Haushaltsplan", "budget", ["haushalt", "finanzen", "verwaltung"]),
    ("Bevölkerung nach Stadtteilen", "population", ["bevölkerung", "statistik", "stadtteil"]),
    ("Kindertagesstätten", "day-care centres", ["kita", "bildung", "familie"]),
    ("Ladestationen", "charging stations", ["elektromobilität", "energie", "laden"]),
]
FORMATS = [("CSV", "text/csv"), ("JSON", "application/json"), ("GEOJSON", "application/geo+json")]


def _dataset_ttl(i: int, rng: random.Random) -> str:
    """One dataset with two distributions, as a municipal CKAN+dcat would emit it."""
    title_de, title_en, words = SUBJECTS[i % len(SUBJECTS)]
    ident = f"{i:08d}-7a1c-4e55-9b1e-{rng.getrandbits(48):012x}"
    ds = f"{BASE}/dataset/{ident}"
    org = f"{BASE}/organization/amt-{i % 40:02d}"
    year, month, day = 2015 + i % 10, 1 + i % 12, 1 + i % 28
    themes = ", ".join(f"theme:{t}" for t in rng.sample(THEMES, 2))
    keywords = ", ".join(f'"{w}"@de' for w in words + [f"bezirk {i % 97}"])
    description = (
        f"{title_de} in der Partnerstadt, Stand {year}. Der Datensatz {i} wird vom Amt "
        f"{i % 40} gepflegt und enthält Messwerte, Standorte und Zeitreihen ({title_en}). "
        "Die Daten werden regelmäßig aktualisiert und stehen unter einer offenen Lizenz."
    )
    dists = []
    for n, (label, media) in enumerate(rng.sample(FORMATS, 2), start=1):
        dist = f"{ds}/resource/{n}"
        dists.append(
            f"<{dist}> a dcat:Distribution ;\n"
            f'  dct:title "{title_de} ({label})"@de ;\n'
            f"  dcat:accessURL <{BASE}/dataset/{ident}/resource/{n}/download> ;\n"
            f"  dcat:downloadURL <{FILES}/{ident}/{n}.{label.lower()}> ;\n"
            f"  dct:format ftype:{label} ;\n"
            f"  dcat:mediaType <https://www.iana.org/assignments/media-types/{media}> ;\n"
            f"  dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> ;\n"
            f'  dcat:byteSize "{rng.randint(1000, 9_000_000)}"^^xsd:nonNegativeInteger ;\n'
            f'  dct:modified "{year}-{month:02d}-{day:02d}T08:30:00"^^xsd:dateTime .\n'
        )
    return (
        f"<{BASE}/catalog> dcat:dataset <{ds}> .\n"
        f"<{ds}> a dcat:Dataset ;\n"
        f'  dct:identifier "{ident}" ;\n'
        f'  dct:title "{title_de} {i}"@de ;\n'
        f'  dct:description "{description}"@de ;\n'
        f"  dcat:theme {themes} ;\n"
        f"  dcat:keyword {keywords} ;\n"
        f"  dct:publisher <{org}> ;\n"
        f'  dcat:contactPoint [ a vcard:Organization ; vcard:fn "Amt {i % 40}" ;\n'
        f"      vcard:hasEmail <mailto:amt{i % 40}@partnerstadt.example> ] ;\n"
        f'  dct:issued "{year}-01-15T10:00:00"^^xsd:dateTime ;\n'
        f'  dct:modified "{year}-{month:02d}-{day:02d}T08:30:00"^^xsd:dateTime ;\n'
        f"  dcat:landingPage <{BASE}/dataset/datensatz-{i}> ;\n"
        f"  dct:language lang:DEU ;\n"
        f"  dct:accrualPeriodicity freq:MONTHLY ;\n"
        f"  dcat:distribution <{ds}/resource/1>, <{ds}/resource/2> .\n" + "".join(dists) + "\n"
    )


def write_catalogue(path: str | Path, datasets: int, seed: int = 7) -> int:
    """Write a DCAT-AP Turtle catalogue of ``datasets`` datasets; return its size in bytes."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as out:
        out.write(PREFIXES)
        out.write(f'<{BASE}/catalog> a dcat:Catalog ;\n  dct:title "Partnerstadt Open Data"@de')
        out.write(" ;\n  dct:publisher <" + BASE + "/organization/amt-00> .\n\n")
        for n in range(40):
            out.write(
                f"<{BASE}/organization/amt-{n:02d}> a foaf:Organization ;\n"
                f'  foaf:name "Amt {n} der Partnerstadt"@de .\n'
            )
        for i in range(datasets):
            out.write(_dataset_ttl(i, rng))
    return Path(path).stat().st_size


def write_prefix(source: Path, target: Path, datasets: int) -> int:
    """Copy the head of ``source`` holding its first ``datasets`` datasets; return the size."""
    marker = f"<{BASE}/catalog> dcat:dataset "
    seen = 0
    with open(source, encoding="utf-8") as inp, open(target, "w", encoding="utf-8") as out:
        for line in inp:
            if line.startswith(marker):
                seen += 1
                if seen > datasets:
                    break
            out.write(line)
    return target.stat().st_size


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def worker_harvest(url: str, page_size: int) -> dict:
    """Runs in a fresh process: only imports and the harvest count towards its peak."""
    from ckanext.partnercity.harvesters.base import PartnerSource
    from ckanext.partnercity.harvesters.dcat import DcatHarvester
    from ckanext.partnercity.harvesters.http import HttpClient

    imports_mb = _peak_mb()
    client = HttpClient(allow_private=True, max_bytes=4 * 1024**3, timeout=300)
    source = PartnerSource(portal_url=url, portal_type="dcat", page_size=page_size)
    started = time.perf_counter()
    datasets = errors = pages = 0
    for page in DcatHarvester(source, client).pages():
        pages += 1
        datasets += len(page.records)
        errors += len(page.errors)
    seconds = time.perf_counter() - started
    return {
        "datasets": datasets,
        "errors": errors,
        "pages": pages,
        "seconds": seconds,
        "imports_mb": imports_mb,
        "peak_mb": _peak_mb(),
    }


def worker_anchor(path: str) -> dict:
    """Runs in a fresh process: rdflib's own parse of a whole document into memory."""
    import rdflib

    imports_mb = _peak_mb()
    started = time.perf_counter()
    graph = rdflib.Graph()
    graph.parse(path, format="turtle")
    return {
        "triples": len(graph),
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
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".ttl": "text/turtle"}

    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        kind, *rest = args.worker
        out = worker_harvest(rest[0], int(rest[1])) if kind == "harvest" else worker_anchor(rest[0])
        print(json.dumps(out))
        return

    with tempfile.TemporaryDirectory(prefix="dcat-bench-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        size = write_catalogue(folder / "catalog.ttl", args.datasets)
        generated = time.perf_counter() - started
        anchor_n = min(ANCHOR_DATASETS, args.datasets)
        anchor_size = write_prefix(folder / "catalog.ttl", folder / "anchor.ttl", anchor_n)
        print(
            f"catalogue: {args.datasets:,} DCAT-AP datasets, {size / 1e6:,.1f} MB of Turtle "
            f"(generated in {generated:.1f} s)"
        )

        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=tmp))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}/catalog.ttl"
        try:
            run = _run_worker("harvest", url, str(args.page_size))
        finally:
            server.shutdown()
            server.server_close()
        anchor = _run_worker("anchor", str(folder / "anchor.ttl"))

    rate = run["datasets"] / run["seconds"] if run["seconds"] else 0.0
    verdict = "PASS" if run["peak_mb"] < TARGET_MB else "FAIL"
    per_dataset = (anchor["peak_mb"] - anchor["imports_mb"]) / anchor_n
    extrapolated = anchor["imports_mb"] + per_dataset * args.datasets
    print(
        f"harvest:  DcatHarvester over HTTP, {run['pages']:,} pages, "
        f"{run['datasets']:,} records, {run['errors']} errors"
    )
    print(f"          {run['seconds']:.1f} s, {rate:,.0f} datasets/s")
    print(
        f"          peak RSS {run['peak_mb']:,.0f} MB (of which imports: "
        f"{run['imports_mb']:,.0f} MB) -- target < {TARGET_MB} MB: {verdict}"
    )
    print(
        f"anchor:   rdflib.Graph().parse() of the first {anchor_n:,} datasets "
        f"({anchor_size / 1e6:,.1f} MB, {anchor['triples']:,} triples): "
        f"{anchor['seconds']:.1f} s, peak RSS {anchor['peak_mb']:,.0f} MB"
    )
    print(
        f"          extrapolated to {args.datasets:,} datasets: ~{extrapolated:,.0f} MB "
        f"({per_dataset * 1000:,.0f} MB per 1,000 datasets), "
        f"{extrapolated / run['peak_mb']:,.1f}x the harvester's peak"
    )


if __name__ == "__main__":
    main()
