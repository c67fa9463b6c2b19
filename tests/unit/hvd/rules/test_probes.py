"""Opt-in live probes against a real HTTP server on 127.0.0.1: pass and fail per probe rule,
no requests unless asked for, per-URL cache, per-host rate limit, URL policy."""

from __future__ import annotations

import pytest

from ckanext.partnercity.harvesters.http import HttpClient
from ckanext.partnercity.hvd.rules import engine
from ckanext.partnercity.hvd.rules.model import Catalogue
from ckanext.partnercity.hvd.rules.probes import Prober
from tests.support.http_server import serve

from .cases import good_package, record

ROUTES = {
    "/api/v1": (200, {"Content-Type": "application/json"}, {"items": []}),
    "/api/html": (200, {"Content-Type": "text/html"}, "<html>portal</html>"),
    "/files/pop.csv": (200, {"Content-Type": "text/csv"}, "a,b\n1,2\n"),
    "/terms": (200, {"Content-Type": "text/html"}, "<html>terms</html>"),
    "/moved": (302, {"Location": "/files/pop.csv"}, ""),
}


def handler(method, path, query):
    return ROUTES.get(path, (404, {"Content-Type": "text/plain"}, "not found"))


def _package(base, endpoint="/api/v1", download="/files/pop.csv", page="/terms"):
    pkg = good_package()
    pkg["resources"][0]["download_url"] = base + download
    svc = pkg["resources"][1]["access_services"][0]
    svc["endpoint_url"] = [base + endpoint]
    svc["documentation"] = [base + page]
    return pkg


def _outcomes(rec, prober):
    rules = [r for r in engine.select_rules(probes=True) if r.kind == "probe"]
    return {r.id: engine.evaluate_rule(r, rec, prober=prober).outcome for r in rules}


@pytest.fixture()
def server():
    with serve(handler) as srv:
        yield srv


def test_probe_rules_pass(server):
    got = _outcomes(record(_package(server.url)), Prober(allow_private=True, min_interval=0))
    assert got == {
        "hvd.probe.api-answers": "pass",
        "hvd.probe.download-answers": "pass",
        "hvd.probe.documentation-resolves": "pass",
    }


def test_probe_rules_fail(server):
    pkg = _package(server.url, endpoint="/api/html", download="/gone.csv", page="/missing")
    got = _outcomes(record(pkg), Prober(allow_private=True, min_interval=0))
    assert set(got.values()) == {"fail"}


def test_redirects_are_followed(server):
    prober = Prober(allow_private=True, min_interval=0)
    result = prober.probe(server.url + "/moved")
    assert result.ok and result.content_type == "text/csv"


def test_no_request_without_probe(server):
    cat = Catalogue(None, None, [record(_package(server.url))])
    report = engine.check_catalogue(cat)
    assert server.requests == []
    assert not any(r["rule"].startswith("hvd.probe.") for r in report["datasets"][0]["results"])


def _throttled_prober() -> tuple[Prober, list[float]]:
    """A prober 2 s between requests to a host, on a fake clock that its sleeps advance."""
    now = [0.0]
    slept: list[float] = []
    prober = Prober(
        allow_private=True,
        min_interval=2.0,
        clock=lambda: now[0],
        sleep=lambda s: (slept.append(s), now.__setitem__(0, now[0] + s)),
    )
    return prober, slept


def test_cache_and_rate_limit(server):
    prober, slept = _throttled_prober()
    cat = Catalogue(None, None, [record(_package(server.url))] * 2)
    engine.check_catalogue(cat, probes=True, prober=prober)
    assert prober.requests_made == 3  # three distinct URLs, each probed once
    assert len(server.requests) == 3
    assert slept == [2.0, 2.0]  # same host: wait between requests


def test_private_targets_are_refused_by_default(server):
    result = Prober(min_interval=0).probe(server.url + "/api/v1")
    assert not result.ok and result.error.startswith("refused")
    assert server.requests == []


def test_probe_evidence_says_when_the_url_was_checked(server):
    prober = Prober(allow_private=True, min_interval=0)
    result = prober.probe(server.url + "/files/pop.csv")
    assert result.ok and result.checked_at.endswith("+00:00")
    assert f"(checked {result.checked_at})" in result.describe()
    assert prober.probe(server.url + "/files/pop.csv") is result  # cached with its time


def test_redirect_hops_are_throttled_and_counted(server):
    prober, slept = _throttled_prober()
    assert prober.probe(server.url + "/moved").ok
    assert prober.requests_made == 2 and slept == [2.0]
    assert [r.path for r in server.requests] == ["/moved", "/files/pop.csv"]


def test_a_large_body_is_read_only_in_part(server):
    server.handler = lambda m, p, q: (200, {"Content-Type": "text/csv"}, b"a,b\n" * 100_000)
    result = Prober(allow_private=True, min_interval=0, max_bytes=1024).probe(server.url + "/big")
    assert result.ok and result.machine_readable


def test_a_missing_page_is_reported(server):
    result = Prober(allow_private=True, min_interval=0).probe(server.url + "/missing")
    assert (result.ok, result.status, result.error) == (False, 404, "HTTP 404")


def test_probes_follow_the_given_clients_policy(server):
    answers = iter([(503, {}, "busy"), (200, {"Content-Type": "application/json"}, {})])
    server.handler = lambda m, p, q: next(answers)
    client = HttpClient(allow_private=True, retries=1, backoff=0, sleep=lambda s: None)
    prober = Prober(client=client, min_interval=0)
    assert prober.probe(server.url + "/api").machine_readable  # the client retried the 503
    assert prober.requests_made == 1 and len(server.requests) == 2
    refusing = Prober(client=HttpClient(allow_private=False), min_interval=0)
    assert refusing.probe(server.url + "/api").error.startswith("refused")
