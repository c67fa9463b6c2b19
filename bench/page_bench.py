"""Page latency of the citizen pages with 10,000 partner references, 20 clients at once.

One run:

1. empties its store (by default the browser tests' ``ckan_browser`` database and Solr core,
   Redis db 4; ``CKAN_SQLALCHEMY_URL`` / ``CKAN_SOLR_URL`` / ``CKAN_REDIS_URL`` override),
   loads the bundled vocabularies and registers the partner ``bench-city``;
2. serves N generated CKAN packages (``harvest_bench.generate_datasets``: varied copies of the
   Alba Iulia fixtures, with groups and tags) from a fixture CKAN portal thread on 127.0.0.1
   and harvests them with ``ckan partnercity harvest bench-city --full`` (which maps the
   partner's categories onto the shared themes): N real references, indexed in Solr with
   their shared themes. ``--reuse`` skips this when the store already
   holds N references of ``bench-city`` (a rerun in seconds instead of ~10 minutes);
3. serves the portal with gunicorn (``--workers`` processes, ``bench/wsgi_app.py``) on a free
   loopback port, with ``debug = false``;
4. for each page: a warm-up, then ``--requests`` GETs from ``--clients`` threads, each with its
   own connection (``--driver wrk``, the default: ``bench/wrk_load.py``; or ``--driver
   python``, threads with a keep-alive ``requests.Session`` each), spread over many distinct
   URLs of the page (English
   and German, result pages and sort orders, facet filters, every theme key), so that the
   page cache cannot answer everything from one entry; every answer must be 200 and carry
   the page's marker; the ``X-Partnercity-Cache`` header (hit / miss) is counted;
5. then ``--serial`` GETs of the same URLs from one client: the service time without queueing;
6. steps 3-5 once per value of ``--cache-seconds`` (default ``300,0``: with the shared page
   cache, then without it, ``ckanext.partnercity.page_cache_seconds = 0``), each starting
   with a cold cache;
7. prints p50/p95/p99 and the cache hit ratio per page and run, and writes
   ``bench/results/page-bench-<date>.md``.

Pages: ``/partner-cities``, ``/partner-cities/bench-city`` (profile, search and facets over
the N references), ``/themes``, ``/themes/<key>`` (the theme with most references), and as
anchors CKAN's own search pages of the same run: ``/dataset`` (our own datasets: none here)
and ``/partner_dataset`` (CKAN's dataset search view over the same N references).

The load generator runs on the same machine as the portal, PostgreSQL and Solr.

Usage: python bench/page_bench.py [--size 10000] [--clients 20] [--requests 400]
                                  [--serial 50] [--workers 4] [--reuse]
                                  [--cache-seconds 300,0] [--partner-pages 25]
                                  [--driver wrk|python] [--output FILE]
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import random
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import wrk_load  # noqa: E402
from harvest_bench import fast_ckan_portal, generate_datasets  # noqa: E402

from tests.support.http_server import serve  # noqa: E402
from tests.support.live_portal import (  # noqa: E402
    VENV_BIN,
    Portal,
    Store,
    child_env,
    free_port,
    stop,
    write_ini,
)

WORK = ROOT / ".local" / "page-bench"
RESULTS = ROOT / "bench" / "results"
PARTNER = "bench-city"
TARGET_P95_MS = 300.0
DRIVERS = {
    "wrk": f"wrk {wrk_load.version()}: one thread and one connection per client, each "
    "request timed in wrk's LuaJIT",
    "python": "Python threads, each with a keep-alive requests.Session",
}
SETTINGS = {
    "ckanext.partnercity.page_size": "1000",
    "ckanext.partnercity.http_timeout": "120",
    "ckan.gravatar_default": "disabled",
    # No preview plugins are loaded: do not look for them on every resource.
    "ckan.views.default_views": "",
}


@dataclass
class PageResult:
    name: str
    path: str  # the page's base path (what the tables show)
    marker: str
    variants: list[str] = field(default_factory=list)  # the URLs the timed requests spread over
    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cache: Counter = field(default_factory=Counter)  # X-Partnercity-Cache: hit / miss / none
    states: list[str] = field(default_factory=list)  # the cache state of each timed answer
    wall: float = 0.0
    client_cpu: float = 0.0  # CPU seconds the load generator itself used
    serial: PageResult | None = None  # the same page from one client: service time

    def urls(self) -> list[str]:
        return self.variants or [self.path]

    @property
    def hit_ratio(self) -> float | None:
        """Share of the timed answers served from the page cache (None: no cache header)."""
        cached = self.cache["hit"] + self.cache["miss"]
        return self.cache["hit"] / cached if cached else None

    def percentile(self, q: float, state: str | None = None) -> float:
        """The q-th percentile in ms, of all answers or of those with one cache state."""
        seconds = self.seconds
        if state is not None:
            seconds = [s for s, st in zip(self.seconds, self.states, strict=True) if st == state]
        ordered = sorted(seconds)
        if not ordered:
            return float("nan")
        rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
        return ordered[rank] * 1000

    @property
    def throughput(self) -> float:
        return len(self.seconds) / self.wall if self.wall else 0.0


# ------------------------------------------------------------------------------ the store


def references_of_partner(portal: Portal) -> int:
    try:
        answer = json.loads(
            portal.ckan(
                *("partnercity", "partner", "list", "--json"),
                timeout=120,
            )
        )
    except Exception:  # noqa: BLE001  (no tables yet, or no partner: nothing to reuse)
        return 0
    for partner in answer:
        if partner.get("name") == PARTNER:
            return int(partner.get("references_active") or 0)
    return 0


def build_store(portal: Portal, size: int) -> dict:
    """Empty store, then N real references harvested from a fixture CKAN portal."""
    print("emptying the store and migrating ...", flush=True)
    portal.reset()
    portal.ckan("partnercity", "themes", "load", "--bundled")
    print(f"generating {size} datasets ...", flush=True)
    handler = fast_ckan_portal(generate_datasets(size))
    with serve(handler) as partner_portal:
        for sort in ("metadata_created asc, id asc", "id asc"):
            handler.warm({"sort": [sort], "rows": ["1000"], "start": ["0"]})
        portal.ckan(
            *("partnercity", "partner", "add", PARTNER, "--title", "Bench City"),
            *("--country", "RO", "--language", "ro", "--portal-type", "ckan"),
            *("--portal-url", partner_portal.url),
        )
        print(f"harvesting {size} references (about 1 min per 1,000) ...", flush=True)
        started = time.perf_counter()
        out = portal.ckan("partnercity", "harvest", PARTNER, "--full", timeout=600 + size)
        harvest_seconds = time.perf_counter() - started
    start = out.rfind("\n{")
    summary = json.loads(out[start + 1 if start >= 0 else 0 :])
    if summary.get("status") != "succeeded" or summary["counts"].get("created") != size:
        raise SystemExit(f"harvest did not create {size} references: {summary}")
    # The harvest itself maps the partner's categories onto the shared themes and indexes
    # them (a separate `themes refresh` would only re-index all N references again).
    print(f"  harvested in {harvest_seconds:.0f} s", flush=True)
    return {"harvest_seconds": harvest_seconds}


def busiest_theme(portal: Portal) -> tuple[str, int]:
    """The shared theme with most references, as (page key, count)."""
    facets = portal_api(
        portal,
        "package_search",
        {"fq": "dataset_type:partner_dataset", "rows": 0, "facet.field": '["partnercity_theme"]'},
    )["search_facets"]["partnercity_theme"]["items"]
    if not facets:
        raise SystemExit("no reference carries a shared theme: nothing for /themes/<key>")
    top = max(facets, key=lambda item: item["count"])
    return top["name"].rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1], top["count"]


def portal_api(portal: Portal, action: str, params: dict) -> dict:
    query = urllib.parse.urlencode(params)
    url = f"{portal.url}/api/3/action/{action}?{query}"
    with urllib.request.urlopen(url, timeout=60) as answer:
        return json.load(answer)["result"]


# ------------------------------------------------------------------------------- serving


def start_gunicorn(portal: Portal, workers: int) -> subprocess.Popen:
    portal.logs.mkdir(parents=True, exist_ok=True)
    env = child_env(portal.store)
    env["CKAN_INI"] = str(portal.ini)
    env["PYTHONPATH"] = str(ROOT / "bench")
    proc = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            *("--workers", str(workers), "--bind", f"127.0.0.1:{portal.port}"),
            *("--timeout", "120", "--graceful-timeout", "10", "--log-level", "warning"),
            "wsgi_app:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=(portal.logs / "gunicorn.log").open("wb"),
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    portal.wait_ready(proc, "gunicorn", seconds=120)
    return proc


# ---------------------------------------------------------------------------------- load


def drive(
    base: str, page: PageResult, clients: int, total: int, warmup: int, driver: str = "wrk"
) -> None:
    """``total`` GETs of one page from ``clients`` clients, spread over the page's URL
    variants in a shuffled round robin; latencies, errors and cache answers recorded.
    ``driver``: ``wrk`` (C, one connection per client) or ``python`` (threads + requests)."""
    urls = page.urls()
    sessions = [requests.Session() for _ in range(clients)]

    def get(session: requests.Session, url: str) -> tuple[float, str | None, str]:
        started = time.perf_counter()
        try:
            answer = session.get(base + url, timeout=60)
            body = answer.text
        except requests.RequestException as exc:
            return time.perf_counter() - started, f"{type(exc).__name__}: {exc}", "none"
        seconds = time.perf_counter() - started
        state = answer.headers.get("X-Partnercity-Cache", "none")
        if answer.status_code != 200:
            return seconds, f"HTTP {answer.status_code} {url}", state
        if page.marker not in body:
            return seconds, f"marker {page.marker!r} missing on {url}", state
        return seconds, None, state

    # Every worker process renders the page once before timing: the first variant only,
    # so the timed part does not start from a cache filled with every variant.
    for i in range(warmup):
        _, error, _ = get(sessions[i % clients], urls[0])
        if error:
            raise SystemExit(f"{page.path}: {error} during warm-up")

    order = list(urls)
    random.Random(f"{page.path}:{clients}").shuffle(order)
    if driver == "wrk":
        for session in sessions:
            session.close()
        wrk_load.drive(base, page, order, clients, total, page.marker)
        return
    counter = iter(order[i % len(order)] for i in range(total))
    lock = threading.Lock()

    def client(session: requests.Session) -> None:
        while True:
            with lock:
                url = next(counter, None)
            if url is None:
                return
            seconds, error, state = get(session, url)
            with lock:
                page.seconds.append(seconds)
                page.states.append(state)
                page.cache[state] += 1
                if error:
                    page.errors.append(error)

    threads = [threading.Thread(target=client, args=(s,)) for s in sessions]
    started, cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    page.wall = time.perf_counter() - started
    page.client_cpu = time.process_time() - cpu
    for session in sessions:
        session.close()


# -------------------------------------------------------------------------------- report


def environment(workers: int) -> str:
    versions = []
    for package in ("ckan", "ckanext-partnercity", "gunicorn", "requests"):
        try:
            versions.append(f"{package} {importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{package} missing")
    git = ["git", "-C", str(ROOT)]
    commit = subprocess.run(
        [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        [*git, "status", "--porcelain", "--", "ckanext"], capture_output=True, text=True
    ).stdout.strip()
    return (
        f"commit {commit}{' + uncommitted changes in ckanext/' if dirty else ''} · "
        f"{os.cpu_count()} CPUs · Python {platform.python_version()} · "
        + " · ".join(versions)
        + f" · gunicorn {workers} sync workers"
    )


def _hits(page: PageResult) -> str:
    ratio = page.hit_ratio
    return "–" if ratio is None else f"{ratio:.0%} ({page.cache['hit']}/{len(page.seconds)})"


def _by_state(page: PageResult) -> str:
    """p95 of the cache hits / of the misses, in ms."""
    if page.hit_ratio is None:
        return "–"
    hit, miss = page.percentile(95, "hit"), page.percentile(95, "miss")
    return " / ".join("–" if x != x else f"{x:.0f}" for x in (hit, miss))


def table(pages: list[PageResult]) -> str:
    lines = [
        "| page | path | URLs | requests | errors | cache hits | p50 ms | p95 ms | p99 ms "
        "| p95 ms of hits / misses "
        f"| max ms | req/s | load generator CPU | p95 < {TARGET_P95_MS:g} ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for page in pages:
        anchor = page.name.startswith("anchor")
        verdict = "–" if anchor else ("met" if page.percentile(95) < TARGET_P95_MS else "NOT met")
        lines.append(
            f"| {page.name} | `{page.path}` | {len(page.urls())} | {len(page.seconds)} "
            f"| {len(page.errors)} | {_hits(page)} "
            f"| {page.percentile(50):.0f} | {page.percentile(95):.0f} "
            f"| {page.percentile(99):.0f} | {_by_state(page)} | {max(page.seconds) * 1000:.0f} "
            f"| {page.throughput:.1f} | {page.client_cpu / page.wall:.0%} of a core | {verdict} |"
        )
    serial = [page.serial for page in pages if page.serial]
    if serial:
        lines += [
            "",
            "The same pages from one client at a time (service time without queueing):",
            "",
            "| page | requests | errors | cache hits | p50 ms | p95 ms | p99 ms | req/s "
            f"| p95 < {TARGET_P95_MS:g} ms |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for page in serial:
            anchor = page.name.startswith("anchor")
            met = page.percentile(95) < TARGET_P95_MS
            lines.append(
                f"| {page.name} | {len(page.seconds)} | {len(page.errors)} | {_hits(page)} "
                f"| {page.percentile(50):.0f} | {page.percentile(95):.0f} "
                f"| {page.percentile(99):.0f} | {page.throughput:.1f} "
                f"| {'–' if anchor else ('met' if met else 'NOT met')} |"
            )
    return "\n".join(lines)


def summary(runs: list[tuple[str, int, list[PageResult]]]) -> str:
    """p95 per page side by side: one column (and hit ratio) per run."""
    head = "| page | " + " | ".join(
        f"p95 ms, {label} | hits, {label} | p95 ms of hits / misses, {label}"
        for label, _, _ in runs
    )
    lines = [head + " |", "|---|" + "---:|---:|---:|" * len(runs)]
    for i, page in enumerate(runs[0][2]):
        cells = []
        for _, _, pages in runs:
            cells += [f"{pages[i].percentile(95):.0f}", _hits(pages[i]), _by_state(pages[i])]
        lines.append(f"| {page.name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------- main


def variants(portal: Portal, key: str, pages_of_partner: int) -> dict[str, list[str]]:
    """The URLs each page's timed requests spread over: UI languages, paging, sort orders,
    facet filters and every theme key, so that a page cache cannot answer everything from
    one entry."""
    langs = ("", "/de")
    search = portal_api(
        portal,
        "package_search",
        {
            "fq": "dataset_type:partner_dataset",
            "rows": 0,
            "facet.field": '["partnercity_theme", "res_format", "license_id"]',
            "facet.limit": 5,
        },
    )["search_facets"]
    filters = [
        (field, item["name"])
        for field in ("partnercity_theme", "res_format", "license_id")
        for item in search.get(field, {}).get("items", [])
    ]
    profile = f"/partner-cities/{PARTNER}"
    partner_urls = [
        f"{lang}{profile}?" + urllib.parse.urlencode({"page": n, "sort": sort})
        for lang in langs
        for n in range(1, pages_of_partner + 1)
        for sort in ("title_string asc", "metadata_modified desc")
    ]
    partner_urls += [
        f"{lang}{profile}?" + urllib.parse.urlencode({field: value})
        for lang in langs
        for field, value in filters
    ]
    theme_keys = sorted(
        {
            concept["key"]
            for concept in portal_api(portal, "partnercity_concept_list", {})
            if concept.get("key")
        }
    )
    catalogue = [
        f"{lang}{{path}}?" + urllib.parse.urlencode({"page": n})
        for lang in langs
        for n in range(1, pages_of_partner + 1)
    ]
    return {
        "/partner-cities": [f"{lang}/partner-cities" for lang in langs],
        profile: partner_urls,
        "/themes": [f"{lang}/themes" for lang in langs],
        f"/themes/{key}": [f"{lang}/themes/{k}" for lang in langs for k in theme_keys],
        "/dataset": [url.format(path="/dataset") for url in catalogue],
        "/partner_dataset": [url.format(path="/partner_dataset") for url in catalogue],
    }


def new_cache_generation(store: Store, site_id: str) -> None:
    """Start the cached run cold: what an earlier run cached is out of use."""
    import redis

    redis.Redis.from_url(store.redis_url).incr(f"{site_id}:partnercity:pages:generation")


def warm_backends(portal: Portal, urls: dict[str, list[str]], clients: int = 4) -> None:
    """Every URL once, untimed: Solr's and PostgreSQL's caches and every worker's templates
    warm for both runs alike (otherwise the first run pays for them). The page cache is
    emptied afterwards by a new generation."""
    todo = iter([url for group in urls.values() for url in group])
    lock = threading.Lock()

    def client() -> None:
        with requests.Session() as session:
            while True:
                with lock:
                    url = next(todo, None)
                if url is None:
                    return
                session.get(portal.url + url, timeout=120)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def run_pages(portal: Portal, args, key: str, in_theme: int, urls: dict) -> list[PageResult]:
    pages = [
        PageResult("partner cities", "/partner-cities", 'data-partnercity="partner-card"'),
        PageResult(
            "partner profile + references",
            f"/partner-cities/{PARTNER}",
            'data-partnercity="partner-results"',
        ),
        PageResult("themes", "/themes", "/themes/"),
        PageResult(
            f"theme ({in_theme:,} references in /themes/{key})",
            f"/themes/{key}",
            'data-partnercity="theme-city-group"',
        ),
        PageResult("anchor: CKAN /dataset (0 own datasets)", "/dataset", "dataset"),
        PageResult(
            "anchor: CKAN search of the references",
            "/partner_dataset",
            "dataset-item",
        ),
    ]
    for page in pages:
        page.variants = urls[page.path]
        print(
            f"{page.path} ({len(page.variants)} URLs): {args.requests} requests from "
            f"{args.clients} clients ...",
            flush=True,
        )
        drive(portal.url, page, args.clients, args.requests, args.workers * 2, args.driver)
        if args.serial:
            page.serial = PageResult(page.name, page.path, page.marker, page.variants)
            drive(portal.url, page.serial, 1, args.serial, 0, args.driver)
        hits = f" · cache hits {_hits(page)}" if page.hit_ratio is not None else ""
        print(
            f"  p50 {page.percentile(50):.0f} ms · p95 {page.percentile(95):.0f} ms · "
            f"p99 {page.percentile(99):.0f} ms · {page.throughput:.1f} req/s · "
            f"{len(page.errors)} errors{hits}"
            + (
                f"; one client: p50 {page.serial.percentile(50):.0f} ms, "
                f"p95 {page.serial.percentile(95):.0f} ms"
                if page.serial
                else ""
            ),
            flush=True,
        )
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="references to harvest")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument("--requests", type=int, default=400, help="timed requests per page")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument(
        "--serial", type=int, default=50, help="requests per page from one client (0: none)"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep the store if it holds SIZE references"
    )
    parser.add_argument(
        "--cache-seconds",
        default="300,0",
        help="ckanext.partnercity.page_cache_seconds of each run, comma-separated "
        "(default 300,0: with the page cache, then without it)",
    )
    parser.add_argument(
        "--partner-pages", type=int, default=25, help="result pages of the partner's URLs"
    )
    parser.add_argument(
        "--driver",
        choices=("wrk", "python"),
        default="wrk",
        help="load generator: wrk (C, Debian's package; default) or python (threads + "
        "requests, which share the CPUs and a GIL with the measurement)",
    )
    parser.add_argument("--output", type=Path, help="markdown file for the results")
    args = parser.parse_args()
    cache_runs = [int(x) for x in args.cache_seconds.split(",") if x.strip()]

    store = Store.from_env()
    port = free_port()
    site_id = "partnercity_page_bench"

    def portal_with(cache_seconds: int) -> Portal:
        ini = write_ini(
            WORK / f"page-bench-cache-{cache_seconds}.ini",
            port=port,
            store=store,
            site_id=site_id,
            settings={**SETTINGS, "ckanext.partnercity.page_cache_seconds": str(cache_seconds)},
        )
        return Portal(ini=ini, store=store, port=port, logs=WORK / "logs")

    portal = portal_with(cache_runs[0])
    subprocess.run(["bash", str(ROOT / "scripts" / "services.sh"), "start"], check=True)
    print(f"store: {store.sqlalchemy_url} · {store.solr_url} · {store.redis_url}", flush=True)

    setting = environment(args.workers)
    built: dict = {}
    if args.reuse and references_of_partner(portal) == args.size:
        print(f"reusing the store: {args.size} references of {PARTNER}", flush=True)
    else:
        built = build_store(portal, args.size)

    runs: list[tuple[str, int, list[PageResult]]] = []
    loads: dict[str, tuple[float, float, float]] = {}
    load_before = os.getloadavg()
    for cache_seconds in cache_runs:
        portal = portal_with(cache_seconds)
        label = f"cache {cache_seconds} s" if cache_seconds > 0 else "no cache"
        print(f"== {label} (page_cache_seconds = {cache_seconds})", flush=True)
        new_cache_generation(store, site_id)
        server = start_gunicorn(portal, args.workers)
        try:
            key, in_theme = busiest_theme(portal)
            count = portal_api(
                portal, "package_search", {"fq": "dataset_type:partner_dataset", "rows": 0}
            )["count"]
            if count != args.size:
                raise SystemExit(f"search finds {count} references, not {args.size}")
            urls = variants(portal, key, args.partner_pages)
            print(
                f"warming Solr, PostgreSQL and the workers: {sum(map(len, urls.values()))} URLs",
                flush=True,
            )
            warm_backends(portal, urls, clients=args.workers)
            new_cache_generation(store, site_id)
            loads[label] = os.getloadavg()
            runs.append((label, cache_seconds, run_pages(portal, args, key, in_theme, urls)))
        finally:
            stop(server)

    today = datetime.date.today().isoformat()
    harvest = (
        f" The {args.size:,} references were harvested in {built['harvest_seconds']:.0f} s."
        if built
        else " The store was reused from an earlier run."
    )
    header = (
        f"# Page latency, {today}\n\n"
        f"`python bench/page_bench.py --size {args.size} --clients {args.clients} "
        f"--requests {args.requests} --serial {args.serial} --workers {args.workers} "
        f"--cache-seconds {args.cache_seconds} --partner-pages {args.partner_pages} "
        f"--driver {args.driver}"
        f"{' --reuse' if args.reuse else ''}`"
        f"\n\n{setting}\n\n"
        f"{args.size:,} references of one partner (harvested by our CKAN harvester from a "
        f"fixture CKAN portal on 127.0.0.1), {args.clients} concurrent clients "
        f"({DRIVERS[args.driver]}) on the same machine as gunicorn, PostgreSQL, Redis and "
        f"Solr; {args.requests} timed requests per page after a warm-up (one URL per worker); "
        "every answer 200 with the page's marker, or counted as an error.\n\n"
        "The timed requests of a page spread over many distinct URLs in a shuffled round "
        "robin: English and German (`/de/...`); the partner profile with result pages "
        f"1–{args.partner_pages} in two sort orders and the top facet filters; every theme "
        "key; CKAN's search pages with result pages "
        f"1–{args.partner_pages}. Before each run every one of these URLs is requested once, "
        "untimed (Solr, PostgreSQL and the workers' templates warm for both runs alike), then "
        "the page cache is emptied (a new generation): the timed part starts with a cold page "
        "cache; "
        "*cache hits* counts the answers whose `X-Partnercity-Cache` header says `hit` "
        "(CKAN's own pages are not cached by the extension: –). The single-client requests "
        "come after the concurrent ones and mostly find their URLs cached."
        f"{harvest} Load average before the timed part (other work on the machine): "
        f"{' / '.join(f'{x:.1f}' for x in load_before)}.\n\n"
    )
    body = "## p95 per page\n\n" + summary(runs) + "\n"
    for label, cache_seconds, pages in runs:
        body += (
            f"\n## {label} (`ckanext.partnercity.page_cache_seconds = {cache_seconds}`)\n\n"
            "Load average when the timed part started: "
            + " / ".join(f"{x:.1f}" for x in loads[label])
            + ".\n\n"
            + table(pages)
            + "\n"
        )
    output = args.output or RESULTS / f"page-bench-{today}.md"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(header + body, encoding="utf-8")
    print()
    print(body)
    print(f"\nwritten to {output}")
    failed = any(
        page.errors or (page.serial and page.serial.errors)
        for _, _, pages in runs
        for page in pages
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
