"""Harvesting a partner CKAN: our harvester against ckanext-harvest's ``ckan_harvester``.

One run measures, side by side, on the same local fixture CKAN portal with N generated
datasets (varied copies of the Alba Iulia fixture packages: 2-4 resources, tags, groups,
extras each):

  (a) ``ckan partnercity harvest NAME --full`` on a fresh database and index,
  (b) the same command again: a complete listing in which every dataset is unchanged,
  (c) ckanext-harvest 1.6.3's ``ckan_harvester`` over the same portal, run synchronously
      with ``ckan harvester run-test SOURCE`` on a fresh database and index;
  (d) with ``--legs …,workers``: 4 partners queued (``ckan partnercity harvest --all --full``)
      and carried out by 1, then 2, real RQ workers (``ckan jobs worker --burst``) started
      by the bench, each time on a fresh database and index.

Each leg is one ``ckan`` subprocess; its wall time and its own peak RSS (``os.wait4`` on that
child, so one leg's peak cannot mask another's) are recorded, and the datasets that ended up
in CKAN are counted with ``package_search`` on the leg's dataset type.

Everything runs against a separate database ``ckan_bench`` (created if missing), Solr core
``ckan_test`` under ``ckan.site_id = partnercity_bench`` and Redis db 2, never the demo's or
the tests' data. ckanext-harvest is installed into the venv if missing; it is a benchmark
tool only, not a project dependency. The fixture portal is a thread of this script on
127.0.0.1 and stops with it.

Usage: python bench/harvest_bench.py [--sizes 1000,10000] [--legs ours,ckanext-harvest,workers]
                                     [--profile [full,nochange,ckanext-harvest]]
                                     [--nochange-runs K] [--setting 'KEY = VALUE'] [--output FILE]
                                     [--workers-size N] (datasets per partner, workers leg)
"""

from __future__ import annotations

import argparse
import copy
import datetime
import importlib.metadata
import json
import os
import platform
import pstats
import random
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.fake_portals import (  # noqa: E402  (needs ROOT on sys.path)
    CKAN_ROWS_MAX,
    CKAN_SEARCH_PATH,
    PortalQueryError,
    ckan_error,
    ckan_package_search,
    load_datasets,
)
from tests.support.http_server import serve  # noqa: E402

VENV_BIN = ROOT / ".venv" / "bin"
CKAN = VENV_BIN / "ckan"
CKANAPI = VENV_BIN / "ckanapi"
PYTHON = VENV_BIN / "python"
WORK = ROOT / ".local" / "bench"
RESULTS = ROOT / "bench" / "results"

HARVEST_PACKAGE = "ckanext-harvest"
HARVEST_VERSION = "1.6.3"
DATABASE = "ckan_bench"
PG = "postgresql://ckan_default:pass@127.0.0.1:5432"
SOLR = "http://127.0.0.1:8983/solr"
SOLR_CORE = "ckan_test"
SITE_ID = "partnercity_bench"
REDIS = "redis://127.0.0.1:6379/2"
PAGE_SIZE = 100  # ckan_harvester asks for rows=100; ours is configured the same

PARTNER = "bench-city"
HARVEST_ORG = "bench-city-harvest"
HARVEST_SOURCE = "bench-city-source"
OUR_TYPE = "partner_dataset"
THEIR_TYPE = "dataset"
LEGS = ("ours", "ckanext-harvest", "workers")
TARGET_RATIO = 5.0  # issue 13 §4: ckan_harvester s / our full harvest s at 10,000
TARGET_WORKERS = 1.7  # issue 13 §4: 2 RQ workers on 4 partners against 1 worker
WORKER_PARTNERS = 4
TARGET_NOCHANGE_10K_SECONDS = 10.0

# ---------------------------------------------------------------------------------- configs

COMMON_INI = """\
[DEFAULT]
debug = false

[app:main]
use = egg:ckan
SECRET_KEY = partnercity-bench-secret-not-for-production
api_token.jwt.encode.secret = string:%(SECRET_KEY)s
api_token.jwt.decode.secret = string:%(SECRET_KEY)s
WTF_CSRF_SECRET_KEY = string:%(SECRET_KEY)s
sqlalchemy.url = {pg}/{database}
solr_url = {solr}/{core}
ckan.redis.url = {redis}
ckan.site_url = http://bench.ckan.invalid
ckan.site_id = {site_id}
ckan.storage_path = {storage}
ckan.locale_default = en
# No preview plugins are loaded in either leg: do not look for them on every resource.
ckan.views.default_views =
{plugin_settings}

[loggers]
keys = root, ckan, ckanext

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console

[logger_ckan]
qualname = ckan
handlers =
level = WARN

[logger_ckanext]
qualname = ckanext
handlers =
level = WARN

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(asctime)s %(levelname)-5.5s [%(name)s] %(message)s
"""

# Ours: the plugins and schemas of test.ini and the demo.
OURS_SETTINGS = f"""\
config.mode = strict
ckan.plugins = partnercity dcat scheming_datasets scheming_organizations
scheming.dataset_schemas = ckanext.dcat.schemas:dcat_ap_full.yaml \
ckanext.partnercity:schemas/partner_dataset.yaml
scheming.organization_schemas = ckanext.partnercity:schemas/organization.yaml \
ckanext.partnercity:schemas/partner_city.yaml
scheming.presets = ckanext.scheming:presets.json ckanext.dcat.schemas:presets.yaml
ckanext.partnercity.allow_private_urls = true
ckanext.partnercity.http_timeout = 60
ckanext.partnercity.page_size = {PAGE_SIZE}
"""

# ckanext-harvest: only its own two plugins on CKAN's default dataset schema. Its source type
# "harvest" and the harvested "dataset"s must not go through our scheming schemas.
HARVEST_SETTINGS = """\
ckan.plugins = harvest ckan_harvester
ckan.harvest.mq.type = redis
ckan.harvest.mq.hostname = 127.0.0.1
ckan.harvest.mq.port = 6379
ckan.harvest.mq.redis_db = 2
ckanext.partnercity.allow_private_urls = true
"""


def write_config(name: str, plugin_settings: str) -> Path:
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"{name}.ini"
    path.write_text(
        COMMON_INI.format(
            pg=PG,
            database=DATABASE,
            solr=SOLR,
            core=SOLR_CORE,
            redis=REDIS,
            site_id=SITE_ID,
            storage=WORK / "storage",
            plugin_settings=plugin_settings,
        ),
        encoding="utf-8",
    )
    return path


# ------------------------------------------------------------------------- fixture portal

DISTRICTS = (
    "Centru",
    "Cetate",
    "Ampoi",
    "Partoș",
    "Micești",
    "Bărăbanț",
    "Oarda",
    "Pâclișa",
    "Lumea Nouă",
    "Tolstoi",
)
UPDATE_NOTES = (
    "Actualizare lunară.",
    "Actualizare trimestrială.",
    "Date validate de serviciul de specialitate.",
    "Include corecții pentru anii anteriori.",
    "Coordonate în sistemul Stereo 70 (EPSG:3844).",
)
EXTRA_FREQUENCY = ("lunar", "trimestrial", "anual", "zilnic", "la cerere")


def generate_datasets(count: int, seed: int = 20260601) -> list[dict]:
    """``count`` realistic CKAN packages: varied copies of the Alba Iulia fixture packages."""
    templates = load_datasets("ckan/alba-iulia.json")
    rng = random.Random(seed)
    resources = [r for t in templates for r in t.get("resources", [])]
    tags = list({t["name"]: t for p in templates for t in p.get("tags", [])}.values())
    groups = list({g["name"]: g for p in templates for g in p.get("groups", [])}.values())
    organizations = list({p["organization"]["name"]: p["organization"] for p in templates}.values())
    start = datetime.datetime(2019, 3, 1, 8, 0, 0)
    out = []
    for i in range(count):
        template = templates[i % len(templates)]
        package = copy.deepcopy(template)
        package_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        name = f"{template['name']}-{i:05d}"
        district = DISTRICTS[rng.randrange(len(DISTRICTS))]
        created = start + datetime.timedelta(minutes=11 * i, seconds=rng.randrange(60))
        age = datetime.timedelta(days=rng.randrange(400), seconds=rng.randrange(86400))
        modified = created + age
        organization = copy.deepcopy(organizations[i % len(organizations)])
        portal = "https://opendata.alba-iulia.example"
        package.update(
            id=package_id,
            name=name,
            title=f"{template['title']} – {district} ({i + 1})",
            notes=f"{template['notes']}\n\nCartier {district}, setul {i + 1}. "
            f"{rng.choice(UPDATE_NOTES)}",
            metadata_created=created.isoformat(timespec="microseconds"),
            metadata_modified=modified.isoformat(timespec="microseconds"),
            organization=organization,
            owner_org=organization["id"],
            groups=copy.deepcopy(rng.sample(groups, rng.randint(1, 2))),
            tags=copy.deepcopy(rng.sample(tags, rng.randint(2, 5))),
        )
        package["num_tags"] = len(package["tags"])
        extras = [e for e in package.get("extras", []) if e["key"] != "uri"]
        extras.insert(0, {"key": "uri", "value": f"{portal}/id/dataset/{name}"})
        extras.append({"key": "frecventa_actualizare", "value": rng.choice(EXTRA_FREQUENCY)})
        package["extras"] = extras
        package["resources"] = []
        for position in range(rng.randint(2, 4)):
            resource = copy.deepcopy(rng.choice(resources))
            resource_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            extension = (resource.get("format") or "bin").lower()
            stamp = (created + datetime.timedelta(minutes=position + 1)).isoformat()
            resource.update(
                id=resource_id,
                package_id=package_id,
                position=position,
                created=stamp,
                last_modified=stamp,
                metadata_modified=stamp,
                name=f"{resource.get('name') or resource.get('format')} – {district}",
                url=f"{portal}/dataset/{package_id}/resource/{resource_id}/download/"
                f"{name}-{position}.{extension}",
            )
            package["resources"].append(resource)
        package["num_resources"] = len(package["resources"])
        out.append(package)
    return out


def fast_ckan_portal(datasets: list[dict]):
    """``fake_portals.ckan_portal`` semantics, with each (q, fq, sort) ordering computed once.

    The fake portal sorts and filters the whole catalogue on every request; for 10,000
    datasets that is tens of ms per page, which the harvester would wait for and which a
    real CKAN answers from Solr. Here the first request of a query pages through
    ``ckan_package_search`` in windows of 1,000 rows and keeps the ordering; later pages
    are slices of it. Every request is counted.
    """
    orderings: dict[tuple, tuple[list[dict], str]] = {}
    lock = threading.Lock()
    stats = {"requests": 0}

    def ordering(query: dict[str, list[str]]) -> tuple[list[dict], str]:
        key = tuple((query.get(name) or [""])[-1] for name in ("q", "fq", "sort"))
        with lock:
            if key not in orderings:
                params = {k: v for k, v in query.items() if k not in ("start", "rows")}
                params["rows"] = [str(CKAN_ROWS_MAX)]
                results: list[dict] = []
                while True:
                    params["start"] = [str(len(results))]
                    answer = ckan_package_search(datasets, params)["result"]
                    results.extend(answer["results"])
                    if not answer["results"] or len(results) >= answer["count"]:
                        break
                orderings[key] = (results, answer["sort"])
            return orderings[key]

    def handle(method: str, path: str, query: dict[str, list[str]]):
        stats["requests"] += 1
        if path != CKAN_SEARCH_PATH:
            return 404, {}, ckan_error("Not found", "Not Found Error")
        try:
            ckan_package_search([], query)  # validates rows, start, q, fq and sort
            results, sort = ordering(query)
            rows = min(int((query.get("rows") or ["10"])[-1] or 10), CKAN_ROWS_MAX)
            start = int((query.get("start") or ["0"])[-1] or 0)
        except PortalQueryError as exc:
            return exc.status, {}, ckan_error(f"Search Query is invalid: {exc}")
        return (
            200,
            {},
            {
                "help": "/api/3/action/help_show?name=package_search",
                "success": True,
                "result": {
                    "count": len(results),
                    "facets": {},
                    "results": results[start : start + rows],
                    "sort": sort,
                    "search_facets": {},
                },
            },
        )

    handle.warm = ordering  # type: ignore[attr-defined]
    handle.stats = stats  # type: ignore[attr-defined]
    return handle


# ------------------------------------------------------------------------------ processes


@dataclass
class Proc:
    command: list[str]
    returncode: int
    seconds: float
    maxrss_mb: float
    stdout: str
    stderr: str


class BenchError(RuntimeError):
    pass


def child_env() -> dict[str, str]:
    """The venv's tools first, and this checkout's code (a worktree measures its own code,
    not the one the venv's editable install points at)."""
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env.pop("CKAN_INI", None)
    return env


def run_together(commands: list[list], label: str, timeout: float) -> tuple[float, float, float]:
    """Start ``commands`` at once: wall seconds until the last exits, the largest peak RSS,
    and the CPU seconds they used (with the children they waited for: RQ's work horses)."""
    started = time.perf_counter()
    children = []
    for number, command in enumerate(commands, 1):
        out = (WORK / f"{label}-{number}.out").open("wb")
        err = (WORK / f"{label}-{number}.err").open("wb")
        child = subprocess.Popen(
            [str(c) for c in command],
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            cwd=ROOT,
            env=child_env(),
        )
        children.append((child, out, err))
    timers = [threading.Timer(timeout, child.kill) for child, _, _ in children]
    for timer in timers:
        timer.start()
    peak, cpu, failed = 0.0, 0.0, []
    try:
        for child, out, err in children:
            _, status, usage = os.wait4(child.pid, 0)
            out.close()
            err.close()
            peak = max(peak, usage.ru_maxrss / 1024)
            cpu += usage.ru_utime + usage.ru_stime
            if os.waitstatus_to_exitcode(status) != 0:
                failed.append(err.name)
    finally:
        for timer in timers:
            timer.cancel()
    seconds = time.perf_counter() - started
    if failed:
        raise BenchError(f"{label}: a worker failed, see {', '.join(failed)}")
    return seconds, peak, cpu


def run(command: list, label: str, *, check: bool = True, timeout: float = 3600) -> Proc:
    """Run ``command`` as a child, timing it and reading *its own* peak RSS via wait4."""
    command = [str(c) for c in command]
    out_path, err_path = WORK / f"{label}.out", WORK / f"{label}.err"
    env = child_env()
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        child = subprocess.Popen(
            command, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=ROOT, env=env
        )
        timer = threading.Timer(timeout, child.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    proc = Proc(
        command=command,
        returncode=child.returncode,
        seconds=seconds,
        maxrss_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
        stdout=out_path.read_text(encoding="utf-8", errors="replace"),
        stderr=err_path.read_text(encoding="utf-8", errors="replace"),
    )
    if check and proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-25:])
        raise BenchError(f"{' '.join(command)} exited {proc.returncode}:\n{tail}")
    return proc


def ckan(config: Path, *args: str, label: str, **kwargs) -> Proc:
    return run([CKAN, "-c", config, *args], label, **kwargs)


def ckanapi(config: Path, action: str, *params: str, label: str) -> dict | list:
    proc = run([CKANAPI, "action", action, "-c", config, *params], label)
    return json.loads(proc.stdout)


def psql(sql: str, database: str = "postgres") -> str:
    command = ["runuser", "-u", "postgres", "--", "psql", "-p", "5432", "-d", database]
    command += ["-v", "ON_ERROR_STOP=1", "-qtA", "-c", sql]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def last_json_list(text: str) -> list:
    """The JSON list a command printed last (``partnercity harvest --all`` ends with one)."""
    start = text.rfind("\n[")
    start = 0 if start < 0 and text.startswith("[") else start + 1
    return json.loads(text[start:])


def last_json_object(text: str) -> dict:
    """The JSON object a command printed last (``partnercity harvest`` ends with one)."""
    start = text.rfind("\n{")
    start = 0 if start < 0 and text.startswith("{") else start + 1
    return json.loads(text[start:])


# -------------------------------------------------------------------------------- set-up


def url_answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def ensure_services() -> None:
    solr_ok = url_answers(f"{SOLR}/{SOLR_CORE}/select?q=*:*&rows=0")
    pg_ok = subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"]).returncode == 0
    if not (solr_ok and pg_ok):
        print("starting services (scripts/services.sh start)", flush=True)
        subprocess.run(["bash", str(ROOT / "scripts" / "services.sh"), "start"], check=True)


def ensure_database() -> None:
    if psql(f"SELECT 1 FROM pg_database WHERE datname='{DATABASE}'") != "1":
        psql(f"CREATE DATABASE {DATABASE} OWNER ckan_default ENCODING 'utf-8' TEMPLATE template0")
        print(f"created database {DATABASE}", flush=True)


def ensure_ckanext_harvest() -> None:
    """Install ckanext-harvest for this benchmark only (not a project dependency)."""
    try:
        installed = importlib.metadata.version(HARVEST_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        installed = None
    if installed != HARVEST_VERSION:
        print(f"installing {HARVEST_PACKAGE}=={HARVEST_VERSION} into .venv (bench only)")
        subprocess.run(
            [PYTHON, "-m", "pip", "install", "-q", f"{HARVEST_PACKAGE}=={HARVEST_VERSION}"],
            check=True,
        )


def reset(config: Path, plugin: str, tag: str) -> None:
    """Empty database and index: drop every table, re-create CKAN's and ``plugin``'s."""
    ckan(config, "db", "clean", "--yes", label=f"{tag}-db-clean")
    ckan(config, "db", "init", label=f"{tag}-db-init")
    ckan(config, "db", "upgrade", "-p", plugin, label=f"{tag}-db-upgrade")
    ckan(config, "search-index", "clear", label=f"{tag}-index-clear")


def count_in_ckan(config: Path, dataset_type: str, tag: str) -> dict:
    """Datasets of ``dataset_type`` that search finds, and the active rows in the database."""
    # A no-op after CKAN's own per-dataset commits; needed with ckan.search.solr_commit = false.
    url_answers(f"{SOLR}/{SOLR_CORE}/update?commit=true")
    found = ckanapi(
        config,
        "package_search",
        f"fq=dataset_type:{dataset_type}",
        "rows:0",
        "include_private:true",
        label=f"{tag}-count",
    )
    rows = psql(
        f"SELECT count(*) FROM package WHERE type='{dataset_type}' AND state='active'", DATABASE
    )
    return {"search": found["count"], "database": int(rows)}


# ----------------------------------------------------------------------------------- legs


@dataclass
class Leg:
    name: str
    size: int
    seconds: float
    maxrss_mb: float
    found: dict
    in_run_seconds: float | None = None
    counts: dict = field(default_factory=dict)
    notes: str = ""
    problem: bool = False  # the run's own counts or status were not what the leg expects

    @property
    def rate(self) -> float:
        return self.size / self.seconds if self.seconds else 0.0

    @property
    def complete(self) -> bool:
        found = self.found.get("search") == self.size == self.found.get("database")
        return found and not self.problem


PROFILE_LEGS = ("full", "nochange", "ckanext-harvest")


def measured(command: list, label: str, profile: bool, timeout: float) -> Proc:
    """Run one timed leg; with ``profile``, under cProfile with a text summary beside it."""
    if not profile:
        return run(command, label, timeout=timeout)
    out = WORK / f"{label}.prof"
    proc = run([PYTHON, "-m", "cProfile", "-o", out, *command], label, timeout=timeout)
    report = WORK / f"{label}.prof.txt"
    with report.open("w", encoding="utf-8") as stream:
        stats = pstats.Stats(str(out), stream=stream).strip_dirs()
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(40)
    print(f"    profile: {out} (top functions in {report})", flush=True)
    return proc


def leg_ours(
    config: Path, portal_url: str, size: int, profile: set[str], nochange_runs: int = 1
) -> list[Leg]:
    tag = f"ours-{size}"
    reset(config, "partnercity", tag)
    ckan(
        config,
        *("partnercity", "partner", "add", PARTNER, "--title", "Bench City", "--country", "RO"),
        *("--portal-type", "ckan", "--portal-url", portal_url),
        label=f"{tag}-partner-add",
    )
    legs = []
    runs = [("full", "ours: full harvest", "created")]
    runs.append(("nochange", "ours: no-change re-harvest (--full)", "unchanged"))
    for again in range(2, nochange_runs + 1):  # the same, once the database has settled
        runs.append((f"nochange{again}", f"ours: no-change re-harvest #{again}", "unchanged"))
    for label, name, expect in runs:
        print(f"  {name}, {size} datasets ...", flush=True)
        proc = measured(
            [CKAN, "-c", config, "partnercity", "harvest", PARTNER, "--full"],
            f"{tag}-{label}",
            label.rstrip("0123456789") in profile,
            timeout=600 + size * 1.0,
        )
        summary = last_json_object(proc.stdout)
        run_counts = summary.get("counts") or {}
        found = count_in_ckan(config, OUR_TYPE, f"{tag}-{label}")
        leg = Leg(
            name=name,
            size=size,
            seconds=proc.seconds,
            maxrss_mb=proc.maxrss_mb,
            found=found,
            in_run_seconds=summary.get("duration_seconds"),
            counts={k: run_counts.get(k) for k in ("created", "updated", "unchanged", "failed")},
            notes=f"status {summary.get('status')}",
        )
        if summary.get("status") != "succeeded" or run_counts.get(expect) != size:
            leg.notes += f"; expected {expect}={size}, got {leg.counts}"
            leg.problem = True
        print(f"    {describe(leg)}", flush=True)
        legs.append(leg)
    return legs


def leg_ckanext_harvest(config: Path, portal_url: str, size: int, profile: set[str]) -> list[Leg]:
    tag = f"harvest-{size}"
    reset(config, "harvest", tag)
    ckanapi(
        config,
        "organization_create",
        f"name={HARVEST_ORG}",
        "title=Bench City (ckanext-harvest)",
        label=f"{tag}-org",
    )
    # Positional: NAME URL TYPE [TITLE] [ACTIVE] [OWNER_ORG] [FREQUENCY] [CONFIG]
    ckan(
        config,
        *("harvester", "source", "create", HARVEST_SOURCE, portal_url, "ckan"),
        *("Bench City source", "true", HARVEST_ORG, "MANUAL"),
        label=f"{tag}-source",
    )
    name = "ckanext-harvest: ckan_harvester run-test"
    print(f"  {name}, {size} datasets ...", flush=True)
    proc = measured(
        [CKAN, "-c", config, "harvester", "run-test", HARVEST_SOURCE],
        f"{tag}-run",
        "ckanext-harvest" in profile,
        timeout=600 + size * 2.0,
    )
    found = count_in_ckan(config, THEIR_TYPE, f"{tag}-run")
    source = ckanapi(config, "harvest_source_show", f"id={HARVEST_SOURCE}", label=f"{tag}-show")
    jobs = ckanapi(config, "harvest_job_list", f"source_id={source['id']}", label=f"{tag}-jobs")
    stats = (jobs[0].get("stats") if jobs else None) or {}
    leg = Leg(
        name=name,
        size=size,
        seconds=proc.seconds,
        maxrss_mb=proc.maxrss_mb,
        found=found,
        counts={"created": stats.get("added"), "updated": stats.get("updated")}
        | {"unchanged": stats.get("not modified"), "failed": stats.get("errored")},
        notes=f"job {jobs[0].get('status') if jobs else 'missing'}",
    )
    if leg.notes != "job Finished" or leg.counts["created"] != size:
        leg.notes += f"; expected a Finished job with added={size}"
        leg.problem = True
    print(f"    {describe(leg)}", flush=True)
    return [leg]


def leg_workers(config: Path, portal_url: str, per_partner: int, workers: int) -> Leg:
    """4 partners queued at once, carried out by ``workers`` RQ workers started together."""
    tag = f"workers{workers}-{per_partner}"
    reset(config, "partnercity", tag)
    ckan(config, "jobs", "clear", label=f"{tag}-jobs-clear")
    for number in range(WORKER_PARTNERS):
        ckan(
            config,
            *("partnercity", "partner", "add", f"{PARTNER}-{number}", "--title"),
            *(f"Bench City {number}", "--country", "RO", "--portal-type", "ckan"),
            *("--portal-url", portal_url),
            label=f"{tag}-partner-add-{number}",
        )
    queued = last_json_list(
        ckan(config, "partnercity", "harvest", "--all", "--full", label=f"{tag}-queue").stdout
    )
    total = per_partner * WORKER_PARTNERS
    name = f"ours: {WORKER_PARTNERS} partners queued, {workers} RQ worker{'s' * (workers > 1)}"
    print(f"  {name}, {total} datasets ...", flush=True)
    load_before = os.getloadavg()[0]
    seconds, peak, cpu = run_together(
        [[CKAN, "-c", config, "jobs", "worker", "--burst"] for _ in range(workers)],
        tag,
        timeout=600 + total * 1.0,
    )
    load_after = os.getloadavg()[0]
    runs = ckanapi(config, "partnercity_harvest_run_list", "limit=100", label=f"{tag}-runs")
    counts = {key: sum(r["counts"][key] for r in runs) for key in ("created", "failed")}
    statuses = sorted(r["status"] for r in runs)
    leg = Leg(
        name=name,
        size=total,
        seconds=seconds,
        maxrss_mb=peak,
        found=count_in_ckan(config, OUR_TYPE, tag),
        counts=counts,
        notes=f"runs {statuses}; workers' CPU {cpu:.1f} s; "
        f"load average {load_before:.2f} → {load_after:.2f}",
    )
    expected = ["succeeded"] * WORKER_PARTNERS
    if len(queued) != WORKER_PARTNERS or statuses != expected or counts["created"] != total:
        leg.notes += f"; expected {WORKER_PARTNERS} succeeded runs creating {total}"
        leg.problem = True
    print(f"    {describe(leg)}", flush=True)
    return leg


def describe(leg: Leg) -> str:
    return (
        f"{leg.seconds:.1f} s wall, {leg.rate:.1f} datasets/s, peak RSS {leg.maxrss_mb:.0f} MB, "
        f"in CKAN: {leg.found['search']} (search) / {leg.found['database']} (db), "
        f"counts {leg.counts}; {leg.notes}"
    )


# -------------------------------------------------------------------------------- report


def table(legs: list[Leg], startup: dict[str, float]) -> str:
    lines = [
        "| N | leg | wall s | in-run s | datasets/s | peak RSS MB | in CKAN (search / db) "
        "| run counts | all N arrived, run ok |",
        "|---:|---|---:|---:|---:|---:|---|---|---|",
    ]
    for leg in legs:
        counts = ", ".join(f"{k} {v}" for k, v in leg.counts.items() if v)
        in_run = f"{leg.in_run_seconds:.1f}" if leg.in_run_seconds is not None else "–"
        lines.append(
            f"| {leg.size:,} | {leg.name} | {leg.seconds:.1f} | {in_run} | {leg.rate:.1f} "
            f"| {leg.maxrss_mb:.0f} | {leg.found['search']:,} / {leg.found['database']:,} "
            f"| {counts or '–'} | {'yes' if leg.complete else 'NO'} |"
        )
    pairs = [leg for leg in legs if "RQ worker" not in leg.name]
    if pairs:
        lines += [
            "",
            "| N | ckan_harvester s / our full harvest s | target (at 10,000) | our no-change s "
            "| target |",
            "|---:|---:|---|---:|---|",
        ]
    for size in sorted({leg.size for leg in pairs}):
        of_size = [leg for leg in pairs if leg.size == size]
        full = next((g for g in of_size if g.name.startswith("ours: full")), None)
        nochange = next((g for g in of_size if g.name.startswith("ours: no-change")), None)
        theirs = next((g for g in of_size if g.name.startswith("ckanext-harvest")), None)
        ratio = f"{theirs.seconds / full.seconds:.2f}×" if full and theirs else "–"
        ratio_ok = (
            ("met" if theirs.seconds / full.seconds >= TARGET_RATIO else "NOT met")
            if full and theirs
            else "–"
        )
        target = f"≥ {TARGET_RATIO:g}× ({ratio_ok})"
        if nochange:
            nc = f"{nochange.seconds:.1f} (in-run {nochange.in_run_seconds:.1f})"
            nc_target = (
                f"≤ {TARGET_NOCHANGE_10K_SECONDS:g} s at 10k "
                f"({'met' if nochange.seconds <= TARGET_NOCHANGE_10K_SECONDS else 'NOT met'}"
                " wall)"
                if size == 10_000
                else "–"
            )
        else:
            nc, nc_target = "–", "–"
        lines.append(f"| {size:,} | {ratio} | {target} | {nc} | {nc_target} |")
    lines += workers_table(legs)
    if startup:
        lines += ["", "CLI start-up alone (`ckan -c INI <group> --help`, included in wall s): "]
        lines[-1] += ", ".join(f"{k} {v:.1f} s" for k, v in startup.items())
    return "\n".join(lines)


def workers_table(legs: list[Leg]) -> list[str]:
    one = next((g for g in legs if g.name.endswith(" 1 RQ worker")), None)
    two = next((g for g in legs if g.name.endswith(" 2 RQ workers")), None)
    if not (one and two):
        return []
    speedup = one.seconds / two.seconds
    verdict = "met" if speedup >= TARGET_WORKERS else "NOT met"
    if not (one.complete and two.complete):
        verdict = "not comparable: a leg did not harvest everything"
    return [
        "",
        "| partners × datasets | 1 worker s | 2 workers s | speed-up | target |",
        "|---|---:|---:|---:|---|",
        f"| {WORKER_PARTNERS} × {one.size // WORKER_PARTNERS:,} | {one.seconds:.1f} "
        f"| {two.seconds:.1f} | {speedup:.2f}× | ≥ {TARGET_WORKERS:g}× ({verdict}) |",
    ]


def environment() -> str:
    versions = {}
    for package in ("ckan", "ckanext-partnercity", HARVEST_PACKAGE, "ckanext-scheming"):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = "missing"
    git = ["git", "-C", str(ROOT)]
    commit = subprocess.run(
        [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        [*git, "status", "--porcelain", "--", "ckanext"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return (
        f"commit {commit or '?'}"
        f"{' + uncommitted changes in ckanext/' if dirty else ''} · "
        f"{os.cpu_count()} CPUs · Python {platform.python_version()} · "
        + " · ".join(f"{k} {v}" for k, v in versions.items())
    )


# ---------------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated dataset counts")
    parser.add_argument("--legs", default=",".join(LEGS), help="ours,ckanext-harvest")
    parser.add_argument(
        "--profile",
        nargs="?",
        const=",".join(PROFILE_LEGS),
        default="",
        metavar="LEGS",
        help="run legs under cProfile (slower): all, or some of " + ",".join(PROFILE_LEGS),
    )
    parser.add_argument("--output", type=Path, help="markdown file for the table")
    parser.add_argument(
        "--workers-size",
        type=int,
        default=250,
        metavar="N",
        help=f"datasets per partner in the workers leg ({WORKER_PARTNERS} partners)",
    )
    parser.add_argument(
        "--nochange-runs",
        type=int,
        default=1,
        metavar="K",
        help="run our no-change re-harvest K times (the table's target uses the first)",
    )
    parser.add_argument(
        "--setting",
        action="append",
        default=[],
        metavar="'KEY = VALUE'",
        help="extra CKAN setting for both configs (an experiment, e.g. "
        "'ckan.search.solr_commit = false'); repeatable",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    legs_wanted = [s.strip() for s in args.legs.split(",") if s.strip()]
    unknown = set(legs_wanted) - set(LEGS)
    if unknown:
        parser.error(f"unknown legs: {', '.join(sorted(unknown))}")
    profile = {s.strip() for s in args.profile.split(",") if s.strip()}
    if profile - set(PROFILE_LEGS):
        parser.error(f"--profile takes some of {','.join(PROFILE_LEGS)}")

    WORK.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(WORK / "storage", ignore_errors=True)
    ensure_services()
    ensure_database()
    extra = "".join(f"{line.strip()}\n" for line in args.setting)
    configs = {"ours": write_config("ours", OURS_SETTINGS + extra)}
    if "ckanext-harvest" in legs_wanted:
        ensure_ckanext_harvest()
        configs["ckanext-harvest"] = write_config("ckanext-harvest", HARVEST_SETTINGS + extra)

    startup = {}
    for leg_name, group in (("ours", "partnercity"), ("ckanext-harvest", "harvester")):
        if leg_name in legs_wanted:
            proc = ckan(configs[leg_name], group, "--help", label=f"startup-{leg_name}")
            startup[f"`{group}`"] = proc.seconds

    results: list[Leg] = []
    started = time.perf_counter()
    setting = environment()  # before the legs: the code that was measured
    if "workers" in legs_wanted:  # first: minutes, where a 10,000 size takes most of an hour
        print(f"generating {args.workers_size} datasets (workers leg) ...", flush=True)
        handler = fast_ckan_portal(generate_datasets(args.workers_size))
        with serve(handler) as portal:
            for sort in ("metadata_created asc, id asc", "id asc"):  # outside the timings
                handler.warm({"sort": [sort], "rows": ["100"], "start": ["0"]})
            for workers in (1, 2):
                results.append(leg_workers(configs["ours"], portal.url, args.workers_size, workers))
    for size in sizes if {"ours", "ckanext-harvest"} & set(legs_wanted) else []:
        print(f"generating {size} datasets ...", flush=True)
        datasets = generate_datasets(size)
        handler = fast_ckan_portal(datasets)
        with serve(handler) as portal:
            for sort in ("metadata_created asc, id asc", "id asc"):  # outside the timings
                handler.warm({"sort": [sort], "rows": ["100"], "start": ["0"]})
            print(f"fixture portal {portal.url} serving {size} datasets", flush=True)
            if "ours" in legs_wanted:
                results += leg_ours(configs["ours"], portal.url, size, profile, args.nochange_runs)
            if "ckanext-harvest" in legs_wanted:
                results += leg_ckanext_harvest(
                    configs["ckanext-harvest"], portal.url, size, profile
                )
            print(f"  fixture portal answered {handler.stats['requests']} requests", flush=True)

    report = table(results, startup)
    total = time.perf_counter() - started
    today = datetime.date.today().isoformat()
    header = (
        f"# Harvest benchmark, {today}\n\n"
        f"`python bench/harvest_bench.py --sizes {args.sizes} --legs {args.legs}"
        f"{f' --profile {args.profile}' if args.profile else ''}"
        f"{f' --nochange-runs {args.nochange_runs}' if args.nochange_runs != 1 else ''}"
        f"{f' --workers-size {args.workers_size}' if 'workers' in legs_wanted else ''}"
        f"{''.join(f' --setting {chr(39)}{line.strip()}{chr(39)}' for line in args.setting)}`"
        f" ({total / 60:.1f} min in all)\n\n"
        f"{setting}\n\n"
        "wall s: the whole `ckan` process (start-up included); in-run s: the run's own "
        "`duration_seconds`. Peak RSS: that process alone (wait4). in CKAN: `package_search` "
        f"count of type `{OUR_TYPE}` (ours) or `{THEIR_TYPE}` (ckan_harvester), and active rows "
        "in the database.\n\n"
    )
    if args.profile:
        header += "**Profiled run (cProfile): times are inflated, compare only within it.**\n\n"
    if args.setting:
        header += "**Experiment, extra settings in both configs:** " + ", ".join(
            f"`{line.strip()}`" for line in args.setting
        )
        header += "\n\n"
    output = args.output or RESULTS / f"harvest-{today}.md"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(header + report + "\n", encoding="utf-8")
    print()
    print(report)
    print(f"\nwritten to {output}")
    return 0 if all(leg.complete for leg in results) else 1


if __name__ == "__main__":
    sys.exit(main())
