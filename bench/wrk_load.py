"""Drive one page with wrk: C load generation, so the clients do not share the server's CPUs
with 20 Python threads and their GIL.

Each client is one wrk thread with one connection, so the thread's Lua state sees its
requests strictly one after another: ``request()`` notes the start (CLOCK_MONOTONIC through
LuaJIT's FFI), ``response()`` the end, the status, the page's marker and the
``X-Partnercity-Cache`` answer. A client prints its records once it has its share of the
requests, and goes on (unrecorded) until every client has: the portal sees the same
concurrency to the end. Then the run is ended with SIGINT (wrk otherwise sleeps out its
``-d``). URLs are dealt to the clients from the page's shuffled round robin
(client k takes the URLs at k, k + clients, ...), as the Python driver's shared iterator
does in the same order.

wrk is Debian's package ``wrk`` (4.1, built with LuaJIT); ``scripts/install.sh`` installs it.
"""

from __future__ import annotations

import resource
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Protocol

CAP_SECONDS = 600  # wrk's -d: only reached if the portal stops answering

LUA = r"""
local ffi = require("ffi")
ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } pc_timespec;
           int clock_gettime(int clock, pc_timespec *ts); ]]
local ts = ffi.new("pc_timespec")
local function now_us()
  ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000000 + tonumber(ts.tv_nsec) / 1000
end

local plan = dofile(PLAN_FILE)
local count = 0
function setup(thread)
  count = count + 1
  thread:set("client", count)
end

local mine, n, started, current, records, reported = nil, 0, 0, nil, {}, false
function init(args)
  mine = plan.clients[client]
end

function request()
  n = n + 1
  current = mine[(n - 1) % #mine + 1]
  started = now_us()
  return wrk.format("GET", current)
end

local function cache_state(headers)
  for name, value in pairs(headers) do
    if string.lower(name) == "x-partnercity-cache" then return value end
  end
  return "none"
end

-- A client that has its share keeps its connection busy (unrecorded) until every client has
-- theirs: stopping its thread would leave a fresh idle connection in the portal's accept
-- queue (wrk reconnects after each "Connection: close"), and a gunicorn sync worker that
-- accepts it waits for a request that never comes.
function response(status, headers, body)
  if reported then return end
  local elapsed = now_us() - started
  local verdict = "ok"
  if status ~= 200 then
    verdict = "http-" .. status
  elseif not string.find(body, plan.marker, 1, true) then
    verdict = "no-marker"
  end
  records[#records + 1] = string.format(
    "rec %.0f %.0f %s %s %s", started, elapsed, cache_state(headers), verdict, current)
  if #records == #mine then
    io.write(table.concat(records, "\n") .. "\nclient-done\n")
    io.flush()
    reported = true
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("socket-errors %d %d %d %d\n", e.connect, e.read, e.write, e.timeout))
end
"""


class Page(Protocol):
    seconds: list[float]
    states: list[str]
    errors: list[str]
    cache: object  # a Counter
    wall: float
    client_cpu: float


def _lua_string(text: str) -> str:
    if not text.isascii():
        raise ValueError(f"wrk plan strings must be ASCII: {text!r}")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def plan(order: list[str], clients: int, total: int, marker: str) -> str:
    """The Lua table of each client's URLs (k, k + clients, ... of the round robin)."""
    sequence = [order[i % len(order)] for i in range(total)]
    shares = [sequence[k::clients] for k in range(clients)]
    if any(not share for share in shares):
        raise ValueError(f"{total} requests do not give each of {clients} clients one")
    lines = [f"return {{ marker = {_lua_string(marker)}, clients = {{"]
    for share in shares:
        lines.append("  { " + ", ".join(_lua_string(url) for url in share) + " },")
    lines.append("} }")
    return "\n".join(lines) + "\n"


def version() -> str:
    """wrk's version line, or "missing"."""
    found = shutil.which("wrk")
    if not found:
        return "missing"
    out = subprocess.run([found, "--version"], capture_output=True, text=True).stdout
    return out.split()[1] if out.startswith("wrk ") else "unknown"


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is not installed: run scripts/install.sh (Debian's wrk)")
    return found


def drive(base: str, page: Page, order: list[str], clients: int, total: int, marker: str) -> None:
    """``total`` GETs of ``order`` (the shuffled round robin) from ``clients`` wrk clients."""
    with tempfile.TemporaryDirectory(prefix="partnercity-wrk-") as tmp:
        plan_file = Path(tmp) / "plan.lua"
        plan_file.write_text(plan(order, clients, total, marker), encoding="ascii")
        script = Path(tmp) / "drive.lua"
        script.write_text(f"PLAN_FILE = {_lua_string(str(plan_file))}\n" + LUA, encoding="ascii")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc = subprocess.Popen(
            [
                wrk_binary(),
                *(f"-t{clients}", f"-c{clients}", f"-d{CAP_SECONDS}s", "--timeout", "60s"),
                *("-s", str(script), base),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        records, finished, tail = _read(proc, clients)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if finished < clients:
        page.errors.append(f"only {finished} of {clients} wrk clients finished: {tail[-500:]}")
    socket_errors = [line for line in tail.splitlines() if line.startswith("socket-errors")]
    if socket_errors and socket_errors[-1].split()[1:] != ["0", "0", "0", "0"]:
        page.errors.append(f"wrk {socket_errors[-1]} (connect read write timeout)")
    starts, ends = [], []
    for start_us, elapsed_us, state, verdict, url in records:
        page.seconds.append(elapsed_us / 1e6)
        page.states.append(state)
        page.cache[state] += 1
        if verdict != "ok":
            page.errors.append(f"{verdict} {url}")
        starts.append(start_us)
        ends.append(start_us + elapsed_us)
    page.wall = (max(ends) - min(starts)) / 1e6 if records else 0.0
    page.client_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def _read(proc: subprocess.Popen, clients: int) -> tuple[list[tuple], int, str]:
    """The clients' records; SIGINT once all of them are done (then wrk prints its summary)."""
    records: list[tuple] = []
    finished = 0
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("rec "):
            _, start, elapsed, state, verdict, url = line.split()
            records.append((float(start), float(elapsed), state, verdict, url))
        elif line.startswith("client-done"):
            finished += 1
            if finished == clients:
                proc.send_signal(signal.SIGINT)
                break
    tail = proc.stdout.read()
    proc.wait(timeout=60)
    return records, finished, tail
