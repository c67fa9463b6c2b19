"""A total deadline per request and per run, against a real server dripping one byte at a time.

Each byte arrives well within the socket timeout, so before the deadline these requests never
ended. Every test here must finish in a few seconds.
"""

from __future__ import annotations

import time

import pytest

from ckanext.partnercity.harvesters import images
from ckanext.partnercity.harvesters.base import HarvestError
from ckanext.partnercity.harvesters.deadline import Deadline
from ckanext.partnercity.harvesters.http import HttpClient
from tests.support.drip_server import drip
from tests.support.http_server import serve


def client(**overrides) -> HttpClient:
    return HttpClient(**{"allow_private": True, "retries": 0, **overrides})


def timed(call) -> tuple[HarvestError, float]:
    started = time.monotonic()
    with pytest.raises(HarvestError) as raised:
        call()
    return raised.value, time.monotonic() - started


@pytest.mark.parametrize("headers_too", [False, True], ids=["body", "headers"])
def test_a_dripping_server_is_cut_off_at_timeout_times_the_factor(headers_too):
    with drip(0.1, headers_too=headers_too) as server:
        error, took = timed(lambda: client(timeout=0.4).get(server.url))
    assert error.message == "no complete answer within 0.8s"
    assert error.url == server.url
    assert 0.7 < took < 2


@pytest.mark.parametrize("method", ["get_json", "download_to", "peek"])
def test_every_way_of_reading_keeps_the_clients_own_deadline(method, tmp_path):
    http = client(timeout=5, deadline=0.5)
    with drip(0.05) as server:
        args = (server.url, tmp_path / "body") if method == "download_to" else (server.url,)
        error, took = timed(lambda: getattr(http, method)(*args))
    assert "no complete answer within 0.5s" in error.message
    assert took < 2


def test_a_partner_image_fetch_ends_at_the_image_limit(monkeypatch):
    monkeypatch.setattr(images, "IMAGE_TIMEOUT", 0.5)
    with drip(0.1) as server:
        error, took = timed(lambda: images.fetch_image(client(timeout=30), server.url))
    assert "no complete answer within 0.5s" in error.message
    assert took < 2


def test_the_run_deadline_cuts_a_request_and_then_sends_no_more():
    http = client(timeout=5, run_deadline=Deadline.after(0.5, "the run ran out of time"))
    with drip(0.1) as server:
        error, took = timed(lambda: http.get(server.url))
        assert error.message == "the run ran out of time"
        assert took < 2
        error, _ = timed(lambda: http.get(server.url + "/next"))
        assert error.message == "the run ran out of time"
        assert server.connections == 1


def test_a_retry_wait_past_the_deadline_gives_up_at_once():
    waits: list[float] = []
    with serve(lambda m, p, q: (503, {"Retry-After": "30"}, "busy")) as server:
        http = client(retries=3, deadline=2, sleep=waits.append)
        error, took = timed(lambda: http.get(server.url))
        assert len(server.requests) == 1
    assert error.message == "no complete answer within 2s"
    assert error.url == server.url
    assert waits == []
    assert took < 1


def test_answers_within_the_deadline_are_untouched_and_connections_reused():
    with serve(lambda m, p, q: (200, {}, {"path": p})) as server:
        http = client(timeout=0.5)
        for number in range(5):
            assert http.get_json(f"{server.url}/{number}") == {"path": f"/{number}"}
            time.sleep(0.25)  # past the deadline of the first request: its watch is gone
        assert http.get(server.url + "/last").status == 200


def test_a_probe_timeout_shortens_the_deadline_too():
    assert client(timeout=30).request_seconds() == 60
    assert client(timeout=30).request_seconds(timeout=10) == 20
    assert client(timeout=30, deadline=15).request_seconds(timeout=10) == 15
    assert client(timeout=30, deadline=300).request_seconds() == 300
