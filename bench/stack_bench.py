"""Latency of the extension's actions on the demo portal, against CKAN's own anchor.

Drives the running portal (``make demo``) on loopback with a fixed number of
requests from a few concurrent clients and prints p50/p95 per endpoint. The
anchor is CKAN's ``status_show``, measured in the same run: the extension's
``partnercity_status`` also reads the database migration state, and the ratio
shows what that costs. ``package_search`` shows the Solr round trip.

Usage: python bench/stack_bench.py [--url URL] [--requests N] [--clients C]
"""

from __future__ import annotations

import argparse
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import requests

ANCHOR = "/api/3/action/status_show"
TARGETS = {
    "status_show (anchor)": ANCHOR,
    "partnercity_status": "/api/3/action/partnercity_status",
    "package_search": "/api/3/action/package_search?q=air&rows=10",
    "/partner-cities": "/partner-cities",
}


def _timed_get(session: requests.Session, url: str) -> float:
    started = time.perf_counter()
    response = session.get(url, timeout=30)
    response.raise_for_status()
    return (time.perf_counter() - started) * 1000


def measure(base: str, path: str, total: int, clients: int) -> list[float]:
    sessions = [requests.Session() for _ in range(clients)]
    with ThreadPoolExecutor(max_workers=clients) as pool:
        futures = [
            pool.submit(_timed_get, sessions[i % clients], base + path) for i in range(total)
        ]
        return sorted(f.result() for f in futures)


def percentile(sorted_ms: list[float], q: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, int(q * len(sorted_ms)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5000")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()

    for path in TARGETS.values():  # warm up templates, connections and caches
        measure(args.url, path, 5, 1)
    results = {
        name: measure(args.url, path, args.requests, args.clients) for name, path in TARGETS.items()
    }
    anchor_p50 = statistics.median(results["status_show (anchor)"])
    print(f"{args.requests} requests per endpoint, {args.clients} concurrent clients, {args.url}")
    print(f"{'endpoint':<24}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'p50 / anchor':>14}")
    for name, ms in results.items():
        p50 = statistics.median(ms)
        p95 = percentile(ms, 0.95)
        print(f"{name:<24}{p50:>9.1f}{p95:>9.1f}{ms[-1]:>9.1f}{p50 / anchor_p50:>14.2f}")


if __name__ == "__main__":
    main()
