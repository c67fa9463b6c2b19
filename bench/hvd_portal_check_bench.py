"""Cost of checking our datasets on their published description, against reading CKAN dicts.

The portal's HVD check (scope own) serializes every dataset once through ckanext-dcat
(hvd/describe.py) and reads that RDF with the standalone loader, so the check and
/hvd/report.ttl never disagree. This bench measures, in one process and one run, on N own
datasets (default 200, created once in the database of the given ini):

- anchor: the earlier path, ``loaders.record_from_ckan`` on each dataset dict, then the check;
- ours: ``describe`` (serialize once per run) + N-Triples + the RDF loader, then the check;
- export: /hvd/report.ttl as the action builds it.

Dict fetching (package_search) is timed apart and left out of both legs.

    .venv/bin/python bench/hvd_portal_check_bench.py [--ini test.ini] [--datasets 200] [--repeat 3]

It writes into the ini's database: use test.ini (the tests reset it), never a production ini.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AIR = "http://data.europa.eu/bna/c_63b37dd4"
CCBY = "http://creativecommons.org/licenses/by/4.0/"
CONTACT = [{"name": "Open data team", "email": "opendata@example.org"}]


def dataset(org: str, i: int) -> dict:
    """One own HVD dataset with a bulk download and an API (as the integration tests use)."""
    url = f"https://example.org/api/air-{i}"
    service = {
        "title": f"Air quality API {i}",
        "endpoint_url": [url],
        "endpoint_description": f"{url}/openapi.json",
        "documentation": [f"{url}/docs"],
        "license": CCBY,
        "contact": CONTACT,
    }
    return {
        "name": f"bench-air-{i}",
        "title": f"Luftqualität {i}",
        "title_en": f"Air quality {i}",
        "notes": "Stündliche Messwerte",
        "notes_en": "Hourly measurements",
        "owner_org": org,
        "license_id": "cc-by",
        "hvd_category": [AIR] if i % 10 else [],  # every tenth out of scope
        "contact": CONTACT,
        "resources": [
            {"url": f"https://example.org/air-{i}.csv", "format": "CSV", "license": CCBY,
             "download_url": f"https://example.org/air-{i}.csv", "name": "Bulk"},
            {"url": url, "access_url": url, "format": "JSON", "license": CCBY, "name": "API",
             "access_services": [service]},
        ],
    }  # fmt: skip


def seed(n: int) -> None:
    import ckan.plugins.toolkit as tk

    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    ctx = {"ignore_auth": True, "user": site_user}
    try:
        org = tk.get_action("organization_show")(dict(ctx), {"id": "bench-city"})
    except tk.ObjectNotFound:
        org = tk.get_action("organization_create")(dict(ctx), {"name": "bench-city"})
    have = tk.get_action("package_search")(dict(ctx), {"fq": "name:bench-air-*", "rows": 0})
    for i in range(have["count"], n):
        tk.get_action("package_create")(dict(ctx), dataset(org["id"], i))


def timed(fn, repeat: int) -> tuple[float, float, object]:
    """Median wall and CPU seconds of ``repeat`` calls (CPU time hardly moves when other work
    shares the machine), and the last result."""
    walls, cpus, out = [], [], None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), out


def run(n: int, repeat: int) -> None:
    import ckan.plugins.toolkit as tk

    from ckanext.partnercity.hvd import checks, export
    from ckanext.partnercity.hvd.rules import engine, loaders
    from ckanext.partnercity.hvd.rules.model import Catalogue

    seed(n)
    fetch_s, _cpu, packages = timed(lambda: list(checks.iter_datasets("own")), 1)
    site_url = tk.config.get("ckan.site_url", "")

    def anchor():
        records = [loaders.record_from_ckan(p, site_url) for p in packages]
        records = [r for r in records if engine.in_scope(r)]
        return engine.check_catalogue(Catalogue(uri=site_url, title=None, datasets=records))

    def ours():
        catalogue, _by_uri = checks.own_catalogue(packages, named=False)
        return engine.check_catalogue(catalogue)

    anchor_s, anchor_cpu, a = timed(anchor, repeat)
    ours_s, ours_cpu, o = timed(ours, repeat)
    export_s, export_cpu, ttl = timed(lambda: export.in_scope_rdf("turtle"), repeat)
    print(f"{len(packages)} own datasets (package_search: {fetch_s:.2f} s, not in the legs)")
    print(f"{'leg':<46} {'wall s':>7} {'CPU s':>7} {'in scope':>9} {'CPU ratio':>9}")
    for name, secs, cpu, rep in (
        ("anchor: CKAN dicts → model → check", anchor_s, anchor_cpu, a),
        ("ours: ckanext-dcat RDF → loader → check", ours_s, ours_cpu, o),
    ):
        scoped = rep["summary"]["in_scope"]
        print(f"{name:<46} {secs:>7.2f} {cpu:>7.2f} {scoped:>9} {cpu / anchor_cpu:>8.1f}×")
    label = f"export: /hvd/report.ttl ({len(ttl) // 1024} KiB)"
    print(f"{label:<46} {export_s:>7.2f} {export_cpu:>7.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ini", default=str(ROOT / "test.ini"))
    parser.add_argument("--datasets", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.ini))
    with app._wsgi_app.test_request_context():
        run(args.datasets, args.repeat)


if __name__ == "__main__":
    main()
