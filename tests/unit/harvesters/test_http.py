"""The partner HTTP client against a real local server: policy, redirects, caps, retries."""

from __future__ import annotations

import time

import pytest
import responses

from ckanext.partnercity.harvesters.base import HarvestError
from ckanext.partnercity.harvesters.http import HttpClient, UrlRefused
from tests.support.http_server import serve


def client(**overrides) -> HttpClient:
    waits: list[float] = []
    options = {"allow_private": True, "retries": 2, "backoff": 0.01, "sleep": waits.append}
    made = HttpClient(**{**options, **overrides})
    made.waits = waits  # type: ignore[attr-defined]
    return made


def test_json_round_trip_with_params():
    def handler(method, path, query):
        return 200, {}, {"ok": True, "q": query.get("q", [""])[-1]}

    with serve(handler) as server:
        http = client()
        assert http.get_json(server.url + "/x?a=1", params={"q": "aer"}) == {"ok": True, "q": "aer"}
        assert server.requests[-1].path == "/x"
        assert server.requests[-1].param("a") == "1"


def test_retry_after_is_honoured_then_gives_up():
    with serve(lambda m, p, q: (429, {"Retry-After": "7"}, "slow down")) as server:
        http = client()
        with pytest.raises(HarvestError, match="HTTP 429 after 3 attempts") as raised:
            http.get(server.url + "/busy")
        assert len(server.requests) == 3
    assert http.waits == [7.0, 7.0]
    assert raised.value.url.endswith("/busy")


def test_backoff_grows_without_retry_after():
    with serve(lambda m, p, q: (502, {}, "bad gateway")) as server:
        http = client(backoff=1.0)
        with pytest.raises(HarvestError):
            http.get(server.url)
    assert http.waits == [1.0, 2.0]


def test_retry_after_is_capped():
    with serve(lambda m, p, q: (503, {"Retry-After": "86400"}, "")) as server:
        http = client(max_retry_after=5)
        with pytest.raises(HarvestError):
            http.get(server.url)
    assert http.waits == [5, 5]


def test_redirects_are_followed_and_loops_stopped():
    def handler(method, path, query):
        if path == "/old":
            return 301, {"Location": "/new"}, ""
        if path == "/loop":
            return 302, {"Location": "/loop2"}, ""
        if path == "/loop2":
            return 302, {"Location": "/loop"}, ""
        return 200, {}, {"here": path}

    with serve(handler) as server:
        http = client()
        response = http.get(server.url + "/old")
        assert response.url == server.url + "/new"
        with pytest.raises(HarvestError, match="redirect loop"):
            http.get(server.url + "/loop")


def test_size_cap_by_header_and_by_stream():
    big = serve(lambda m, p, q: (200, {}, b"x" * 5000))
    with big as server, pytest.raises(HarvestError, match="exceeds the limit of 1000"):
        client(max_bytes=1000).get(server.url)


def test_truncated_body_is_an_error():
    def handler(method, path, query):
        return 200, {"X-Test-Content-Length": "5000"}, b"short"

    with serve(handler) as server, pytest.raises(HarvestError, match="truncated|connection"):
        client(timeout=2).get(server.url)


def test_timeout_is_an_error():
    def slow(method, path, query):
        time.sleep(1.5)
        return 200, {}, "late"

    with serve(slow) as server, pytest.raises(HarvestError, match="timeout"):
        client(timeout=0.5, retries=0).get(server.url)


def test_html_instead_of_json():
    page = "<!doctype html><html><body>Please log in</body></html>"
    html = serve(lambda m, p, q: (200, {"Content-Type": "text/html"}, page))
    with html as server, pytest.raises(HarvestError, match="HTML"):
        client().get_json(server.url)


def test_malformed_json():
    broken = serve(lambda m, p, q: (200, {"Content-Type": "application/json"}, '{"a": '))
    with broken as server, pytest.raises(HarvestError, match="malformed JSON"):
        client().get_json(server.url)


def test_loopback_refused_unless_allowed():
    with serve(lambda m, p, q: (200, {}, "secret")) as server:
        with pytest.raises(HarvestError, match="internal address"):
            client(allow_private=False).get(server.url)
        assert server.requests == []


@pytest.mark.parametrize("method", ["get", "peek"])
@responses.activate
def test_redirect_to_a_private_address_is_refused(method):
    """A public partner URL that redirects inside our network must not be followed, by a
    harvest or by a probe."""
    responses.add(
        responses.GET,
        "https://93.184.215.14/catalog.ttl",
        status=302,
        headers={"Location": "http://169.254.169.254/latest/meta-data/"},
    )
    with pytest.raises(UrlRefused, match="internal address 169.254.169.254"):
        getattr(client(allow_private=False), method)("https://93.184.215.14/catalog.ttl")
    assert len(responses.calls) == 1


@pytest.mark.parametrize(
    ("retry_after", "waits"),
    [("0", [0, 0]), ("Wed, 21 Oct 2015 07:28:00 GMT", [0, 0]), ("soon", [0.01, 0.02])],
)
def test_retry_after_as_seconds_past_date_or_unreadable(retry_after, waits):
    with serve(lambda m, p, q: (503, {"Retry-After": retry_after}, "")) as server:
        http = client()
        with pytest.raises(HarvestError, match="HTTP 503 after 3 attempts"):
            http.get(server.url)
    assert http.waits == waits


def test_a_retried_request_returns_the_answer_that_finally_came():
    answers = iter([(503, {}, "busy"), (429, {"Retry-After": "2"}, ""), (200, {}, "ok")])
    with serve(lambda m, p, q: next(answers)) as server:
        http = client()
        assert http.get(server.url + "/later").text == "ok"
        assert len(server.requests) == 3
    assert http.waits == [0.01, 2.0]


def test_other_client_errors_are_not_retried():
    with serve(lambda m, p, q: (404, {}, "gone")) as server:
        http = client()
        with pytest.raises(HarvestError, match="HTTP 404"):
            http.get(server.url)
        assert len(server.requests) == 1
    assert http.waits == []


# peek: what a probe needs -- status, type and the first bytes, through the same policy.


def test_peek_reports_a_404_instead_of_raising():
    with serve(lambda m, p, q: (404, {"Content-Type": "text/plain"}, "gone")) as server:
        http = client()
        answer = http.peek(server.url + "/missing")
        assert (answer.status, answer.content_type, answer.text) == (404, "text/plain", "gone")
        assert len(server.requests) == 1
    assert http.waits == []


def test_peek_reports_a_server_error_once_the_retries_ran_out():
    with serve(lambda m, p, q: (503, {}, "busy")) as server:
        http = client()
        assert http.peek(server.url).status == 503
        assert len(server.requests) == 3
    assert http.waits == [0.01, 0.02]


def test_peek_reads_only_the_first_bytes_within_the_cap():
    with serve(lambda m, p, q: (200, {"Content-Type": "text/csv"}, b"x" * 5000)) as server:
        assert client().peek(server.url, limit=100).content == b"x" * 100
        assert client(max_bytes=50).peek(server.url, limit=100).content == b"x" * 50
        assert client(max_bytes=1000).peek(server.url).content == b"x" * 1000  # no size error


def test_peek_follows_redirects_and_announces_every_hop():
    def handler(method, path, query):
        if path == "/moved":
            return 302, {"Location": "/here"}, ""
        return 200, {"Content-Type": "application/json"}, {"ok": True}

    hops: list[str] = []
    with serve(handler) as server:
        response = client().peek(server.url + "/moved", before_hop=hops.append)
        assert hops == [server.url + "/moved", server.url + "/here"]
    assert (response.url, response.status) == (server.url + "/here", 200)


def test_peek_timeout_only_shortens_the_clients():
    def slow(method, path, query):
        time.sleep(1.0)
        return 200, {}, "late"

    with serve(slow) as server, pytest.raises(HarvestError, match="within 0.3s"):
        client(timeout=5, retries=0).peek(server.url, timeout=0.3)


NESTED = b"[" * 100_000 + b"]" * 100_000


def test_json_nested_deeper_than_python_follows_is_malformed_json_not_a_crash():
    answer = (200, {"Content-Type": "application/json"}, NESTED)
    with serve(lambda m, p, q: answer) as server, pytest.raises(HarvestError, match="too deep"):
        client().get_json(server.url + "/deep")


def test_a_dns_answer_that_changes_after_the_check_is_caught_at_the_connection(monkeypatch):
    """DNS rebinding: the policy's look-up gives a public address, the connection's own
    look-up the loopback one. The peer the socket reached decides."""
    from ckanext.partnercity.harvesters import urls

    public = urls.ipaddress.ip_address("93.184.215.14")
    monkeypatch.setattr(urls, "_addresses", lambda host: [public])
    with serve(lambda m, p, q: (200, {}, {"ok": True})) as server:
        port = server.url.rsplit(":", 1)[1]
        with pytest.raises(HarvestError, match="internal address 127.0.0.1"):
            HttpClient(retries=0).get_json(f"http://localhost:{port}/x")
