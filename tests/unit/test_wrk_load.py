"""The page bench's wrk driver measures what the portal does (real wrk, a fixture server)."""

from __future__ import annotations

import importlib.util
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from tests.support.http_server import serve

DRIVER = Path(__file__).resolve().parents[2] / "bench" / "wrk_load.py"


def _driver():
    spec = importlib.util.spec_from_file_location("wrk_load", DRIVER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


wrk_load = _driver()


@dataclass
class Page:
    seconds: list[float] = field(default_factory=list)
    states: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cache: Counter = field(default_factory=Counter)
    wall: float = 0.0
    client_cpu: float = 0.0


def test_clients_take_the_round_robin_in_turn():
    plan = wrk_load.plan(["/a", "/b", "/c"], clients=2, total=5, marker='x="y"')
    assert 'marker = "x=\\"y\\""' in plan
    assert '{ "/a", "/c", "/b" }' in plan  # requests 1, 3, 5 of a, b, c, a, b
    assert '{ "/b", "/a" }' in plan
    with pytest.raises(ValueError):
        wrk_load.plan(["/a"], clients=3, total=2, marker="m")
    with pytest.raises(ValueError):
        wrk_load.plan(["/ä"], clients=1, total=1, marker="m")


def test_wrk_records_every_answer_with_its_latency_and_cache_state():
    """A server that takes 30 ms for /slow and answers /bad without the marker: every
    request is recorded once, slow ones as slow, wrong ones as errors, with their URL."""
    seen: Counter = Counter()

    def handler(method, path, query):
        seen[path] += 1
        if path == "/slow":
            time.sleep(0.03)
        state = "hit" if seen[path] > 1 else "miss"
        body = "no marker here" if path == "/bad" else "<p data-page>ok</p>"
        return 200, {"Content-Type": "text/html", "X-Partnercity-Cache": state}, body

    page = Page()
    order = ["/fast", "/slow", "/bad", "/fast2"]
    with serve(handler) as server:
        wrk_load.drive(server.url, page, order, clients=4, total=40, marker="data-page")
    assert len(page.seconds) == 40
    assert page.cache["miss"] >= 4 and page.cache["miss"] + page.cache["hit"] == 40
    assert sorted(page.errors) == ["no-marker /bad"] * 10
    ordered = sorted(page.seconds)
    assert ordered[-10] >= 0.03 > ordered[0]  # the ten /slow answers are the slowest
    assert 0.3 <= page.wall < 5
    assert page.client_cpu > 0


class OneAtATime(BaseHTTPRequestHandler):
    """Like a gunicorn sync worker: one connection at a time, closed after each answer."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args) -> None:  # noqa: A002
        pass


def test_a_client_that_is_done_leaves_no_idle_connection_behind(monkeypatch):
    """Were a finished client's thread stopped, wrk would leave a fresh connection in the
    server's accept queue that never sends a request, and a one-at-a-time server would
    wait on it while the other clients starve: every client must finish."""
    monkeypatch.setattr(wrk_load, "CAP_SECONDS", 10)
    httpd = HTTPServer(("127.0.0.1", 0), OneAtATime)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    page = Page()
    try:
        base = f"http://127.0.0.1:{httpd.server_address[1]}"
        wrk_load.drive(base, page, ["/x", "/y"], clients=12, total=36, marker="ok")
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
    assert page.errors == [] and len(page.seconds) == 36
