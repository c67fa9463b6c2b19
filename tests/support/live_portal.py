"""A real CKAN portal in subprocesses, for the browser tests and the page bench.

The portal runs the test configuration (``test.ini``) on a store of its own: the database,
Solr core and Redis db come from ``CKAN_SQLALCHEMY_URL`` / ``CKAN_SOLR_URL`` /
``CKAN_REDIS_URL`` when set (CKAN itself applies those over any ini) and default to the
``ckan_browser`` database and core that ``scripts/services.sh`` creates. Nothing here is
mocked: ``ckan db``, ``ckan partnercity ...``, ``ckan run`` and ``ckan jobs worker`` are the
real command line, as an open-data team would run it.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEST_INI = ROOT / "test.ini"
VENV_BIN = Path(sys.executable).parent
CKAN = VENV_BIN / "ckan"
PYTHON = VENV_BIN / "python"

PG = "postgresql://ckan_default:pass@127.0.0.1:5432"
SOLR = "http://127.0.0.1:8983/solr"
DEFAULT_STORE = "ckan_browser"
DEFAULT_REDIS = "redis://127.0.0.1:6379/4"


class PortalError(RuntimeError):
    pass


@dataclass(frozen=True)
class Store:
    """Where a portal keeps its data: one database, one Solr core, one Redis db."""

    sqlalchemy_url: str
    solr_url: str
    redis_url: str

    @classmethod
    def from_env(cls, default: str = DEFAULT_STORE, redis: str = DEFAULT_REDIS) -> Store:
        env = os.environ
        return cls(
            sqlalchemy_url=env.get("CKAN_SQLALCHEMY_URL") or f"{PG}/{default}",
            solr_url=env.get("CKAN_SOLR_URL") or f"{SOLR}/{default}",
            redis_url=env.get("CKAN_REDIS_URL") or redis,
        )

    @property
    def database(self) -> str:
        return self.sqlalchemy_url.rsplit("/", 1)[-1]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_ini(path: Path, *, port: int, store: Store, site_id: str, settings: dict) -> Path:
    """``test.ini`` with this portal's store, URL and ``settings`` applied to [app:main]."""
    values = {
        "sqlalchemy.url": store.sqlalchemy_url,
        "solr_url": store.solr_url,
        "ckan.redis.url": store.redis_url,
        "ckan.site_url": f"http://127.0.0.1:{port}",
        "ckan.site_id": site_id,
        "ckan.storage_path": str(path.parent / "storage"),
        **settings,
    }
    lines = TEST_INI.read_text(encoding="utf-8").splitlines()
    out, section, pending = [], "", dict(values)
    for line in lines:
        header = re.match(r"\s*\[(.+)\]\s*$", line)
        if header:
            if section == "app:main":
                out[-1:-1] = [f"{k} = {v}" for k, v in pending.items()]
                pending = {}
            section = header.group(1)
        key = re.match(r"\s*([^#;=\s][^=]*?)\s*=", line)
        if section == "app:main" and key and key.group(1) in values:
            name = key.group(1)
            pending.pop(name, None)
            line = f"{name} = {values[name]}"
        out.append(line)
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.parent / "storage").mkdir(exist_ok=True)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def child_env(store: Store) -> dict:
    """The environment of every ckan child: the store's URLs, no stray CKAN_INI."""
    env = dict(os.environ)
    env.pop("CKAN_INI", None)
    env["CKAN_SQLALCHEMY_URL"] = store.sqlalchemy_url
    env["CKAN_SOLR_URL"] = store.solr_url
    env["CKAN_REDIS_URL"] = store.redis_url
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    # One string-hash order in every run, so anything that iterates over a set of strings
    # does it the same way each time (steadier pages for the screenshots).
    env["PYTHONHASHSEED"] = "0"
    return env


@dataclass
class Portal:
    """One configured portal: its ini, store, URL, and the processes started for it."""

    ini: Path
    store: Store
    port: int
    logs: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ckan(self, *args: str, timeout: float = 600, check: bool = True) -> str:
        """Run ``ckan -c INI ARGS`` and return its stdout; fail with the end of its stderr."""
        proc = subprocess.run(
            [str(CKAN), "-c", str(self.ini), *args],
            cwd=ROOT,
            env=child_env(self.store),
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        if check and proc.returncode != 0:
            tail = "\n".join(proc.stderr.strip().splitlines()[-25:])
            raise PortalError(f"ckan {' '.join(args)} exited {proc.returncode}:\n{tail}")
        return proc.stdout

    def reset(self) -> None:
        """Empty store: drop every table, create CKAN's and ours, clear the index and jobs."""
        self.ckan("db", "clean", "--yes")
        self.ckan("db", "init")
        self.ckan("db", "upgrade", "-p", "partnercity")
        self.ckan("search-index", "clear")
        self.ckan("jobs", "clear")

    def add_user(self, name: str, password: str, sysadmin: bool = False) -> None:
        self.ckan("user", "add", name, f"email={name}@partnercity.invalid", f"password={password}")
        if sysadmin:
            self.ckan("sysadmin", "add", name)

    def start(self, name: str, *args: str) -> subprocess.Popen:
        """Start ``ckan -c INI ARGS`` in the background, its output in ``logs/NAME.log``."""
        self.logs.mkdir(parents=True, exist_ok=True)
        log = (self.logs / f"{name}.log").open("wb")
        return subprocess.Popen(
            [str(CKAN), "-c", str(self.ini), *args],
            cwd=ROOT,
            env=child_env(self.store),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    def use_port(self, port: int) -> None:
        """Serve on ``port`` from now on; the ini's ``ckan.site_url`` follows."""
        text = self.ini.read_text(encoding="utf-8")
        site_url = f"ckan.site_url = http://127.0.0.1:{port}"
        self.ini.write_text(re.sub(r"(?m)^ckan\.site_url = .*$", site_url, text), "utf-8")
        self.port = port

    def start_server(self, attempts: int = 3) -> subprocess.Popen:
        """``ckan run`` (threaded) on a port picked just now. A port picked earlier may have
        been taken since by any outgoing connection: then it tries another one."""
        for attempt in range(1, attempts + 1):
            self.use_port(free_port())
            proc = self.start(
                "portal", "run", "--host", "127.0.0.1", "--port", str(self.port), "-r", "-t"
            )
            try:
                self.wait_ready(proc, "portal")
                return proc
            except PortalError:
                stop(proc)
                taken = "Address already in use" in self.log_tail("portal")
                if attempt == attempts or not taken:
                    raise
        raise PortalError("unreachable")

    def start_worker(self) -> subprocess.Popen:
        return self.start("worker", "jobs", "worker")

    def wait_ready(self, proc: subprocess.Popen, name: str, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise PortalError(f"{name} exited {proc.returncode}:\n{self.log_tail(name)}")
            try:
                url = f"{self.url}/api/3/action/status_show"
                with urllib.request.urlopen(url, timeout=5) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        raise PortalError(f"{name} did not answer within {seconds:.0f}s:\n{self.log_tail(name)}")

    def log_tail(self, name: str, lines: int = 40) -> str:
        path = self.logs / f"{name}.log"
        if not path.exists():
            return "(no log)"
        text = path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def stop(proc: subprocess.Popen | None, seconds: float = 15) -> None:
    """Stop a child started by ``Portal.start`` (and its own children), then reap it."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=seconds)


def start_fixture_portals(logs: Path) -> tuple[subprocess.Popen, str]:
    """The demo's partner portals (scripts/fixture_portals.py) on a free loopback port."""
    port = free_port()
    logs.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [str(PYTHON), str(ROOT / "scripts" / "fixture_portals.py"), "--port", str(port)],
        cwd=ROOT,
        stdout=(logs / "fixture-portals.log").open("wb"),
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise PortalError("fixture partner portals exited during start-up")
        try:
            with urllib.request.urlopen(url + "/", timeout=2):
                return proc, url
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    stop(proc)
    raise PortalError("fixture partner portals did not answer within 30s")
