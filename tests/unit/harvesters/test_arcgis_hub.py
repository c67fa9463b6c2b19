"""The ArcGIS Hub harvester against a real local HTTP server serving real Hub feeds."""

from __future__ import annotations

import contextlib
import datetime
import json
import socket
import threading

import pytest

from ckanext.partnercity.harvesters.base import HarvestError, PartnerSource
from ckanext.partnercity.harvesters.http import HttpClient
from ckanext.partnercity.harvesters.portals import arcgis_hub
from ckanext.partnercity.harvesters.portals.arcgis_hub import FEEDS, ArcgisHubHarvester
from ckanext.partnercity.harvesters.registry import portal_types
from tests.support.arcgis_hub_portal import (
    APUR,
    EVIAN,
    JSON,
    KOOP_DCAT_AP,
    arcgis_hub_portal,
    feed_path,
    load_feed,
)
from tests.support.http_server import serve

EVIAN_FEED = load_feed(EVIAN)
EVIAN_IDS = [d["identifier"] for d in json.loads(EVIAN_FEED)["dataset"]]


def client(**kw) -> HttpClient:
    return HttpClient(allow_private=True, retries=1, backoff=0, sleep=lambda s: None, **kw)


def harvester(url: str, page_size: int = 3, **kw) -> ArcgisHubHarvester:
    return ArcgisHubHarvester(PartnerSource(url, "arcgis_hub", page_size=page_size), client(**kw))


def identifiers(pages) -> list[str]:
    return [r.identifier for p in pages for r in p.records]


def paths(server) -> list[str]:
    return [r.path for r in server.requests]


def test_registered_as_arcgis_hub_portal_type():
    assert portal_types()["arcgis_hub"] is ArcgisHubHarvester


def test_dcat_us_feed_is_found_after_the_dcat_ap_ones_and_paged():
    with serve(arcgis_hub_portal(EVIAN_FEED)) as server:
        pages = list(harvester(server.url + "/", page_size=3).pages())
    assert paths(server) == list(FEEDS)  # DCAT-AP 2.1.1, 2.0.1, 3.0.0, then DCAT-US
    assert [len(p.records) for p in pages] == [3, 3, 2]
    assert identifiers(pages) == EVIAN_IDS
    assert {p.url for p in pages} == {server.url + feed_path("dcat-us")}


def test_dcat_ap_feed_is_preferred_and_the_rest_never_asked():
    with serve(arcgis_hub_portal(load_feed(KOOP_DCAT_AP), kind="2.1.1")) as server:
        pages = list(harvester(server.url).pages())
    assert paths(server) == [feed_path("2.1.1")]
    assert identifiers(pages) == [
        "https://download-test-qa-pre-a-hub.hubqa.arcgis.com/datasets/"
        "f4bcc1035b7d46cba95e977f4affb6be_0"
    ]


def test_a_feed_url_is_read_as_the_only_feed():
    with serve(arcgis_hub_portal(load_feed(APUR), kind="2.0.1")) as server:
        pages = list(harvester(server.url + feed_path("2.0.1"), page_size=50).pages())
    assert paths(server) == [feed_path("2.0.1")]
    assert len(identifiers(pages)) == 71 and len(pages) == 2


def test_html_and_400_answers_move_on_to_the_next_feed():
    good = arcgis_hub_portal(EVIAN_FEED)

    def handler(method, path, query):
        if path == feed_path("2.1.1"):
            return 200, {"Content-Type": "text/html"}, "<!doctype html><html>Hub</html>"
        if path == feed_path("2.0.1"):
            return 400, JSON, {"error": "feed not configured"}
        if path == feed_path("3.0.0"):
            return 200, {"Content-Type": "text/plain"}, "  <html>no type said</html>"
        return good(method, path, query)

    with serve(handler) as server:
        pages = list(harvester(server.url).pages())
    assert identifiers(pages) == EVIAN_IDS


def test_server_error_fails_at_once_without_trying_other_feeds():
    with (
        serve(lambda m, p, q: (500, {}, "boom")) as server,
        pytest.raises(HarvestError, match="HTTP 500") as raised,
    ):
        list(harvester(server.url).pages())
    assert raised.value.url == server.url + feed_path("2.1.1")
    assert set(paths(server)) == {feed_path("2.1.1")}


def test_no_feed_anywhere_is_an_error_naming_every_url():
    with (
        serve(lambda m, p, q: (404, {}, "not found")) as server,
        pytest.raises(HarvestError, match="no ArcGIS Hub DCAT feed found") as raised,
    ):
        list(harvester(server.url).pages())
    for path in FEEDS:
        assert server.url + path in str(raised.value)
    assert raised.value.url == server.url + feed_path("dcat-us")


def test_truncated_feed_is_retried_then_fails_before_yielding_anything():
    cut = EVIAN_FEED[: len(EVIAN_FEED) - 200]  # records parse; the document does not end
    with serve(arcgis_hub_portal(cut)) as server:
        pages = harvester(server.url, page_size=1).pages()
        with pytest.raises(HarvestError, match="truncated or malformed after 3 attempts"):
            next(pages)
    assert paths(server).count(feed_path("dcat-us")) == 3


def test_truncated_connection_is_retried_and_a_later_whole_answer_is_read():
    with _cut_once_server(EVIAN_FEED) as (url, served):
        pages = list(harvester(url).pages())
    assert identifiers(pages) == EVIAN_IDS
    assert (
        served == [feed_path(k) for k in ("2.1.1", "2.0.1", "3.0.0")] + [feed_path("dcat-us")] * 2
    )


@contextlib.contextmanager
def _cut_once_server(body: bytes):
    """Raw sockets: the DCAT-US feed's first answer announces more bytes than it sends and
    closes the connection (a cut transfer); the second is whole. Other paths are 404."""
    listener = socket.create_server(("127.0.0.1", 0))
    served: list[str] = []

    def answer():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                path = conn.recv(65536).split(b" ", 2)[1].decode()
                served.append(path)
                if path != feed_path("dcat-us"):
                    conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                    continue
                cut = served.count(path) == 1
                head = (
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(body) + (10 if cut else 0)}\r\nConnection: close\r\n\r\n"
                )
                conn.sendall(head.encode() + body)

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", served
    finally:
        listener.close()


def test_bad_entries_are_record_errors_and_the_others_are_kept():
    feed = json.loads(EVIAN_FEED)
    feed["dataset"][2:2] = ["not a dataset", {"title": "no identifier"}]
    with serve(arcgis_hub_portal(json.dumps(feed).encode())) as server:
        pages = list(harvester(server.url, page_size=100).pages())
    assert identifiers(pages) == EVIAN_IDS
    assert len(pages[0].errors) == 2


def test_a_catalogue_without_datasets_moves_on_and_json_without_a_list_too():
    def handler(method, path, query):
        if path == feed_path("2.1.1"):
            return 200, JSON, {"@type": "dcat:Catalog", "dcat:dataset": []}
        if path == feed_path("2.0.1"):
            return 200, JSON, {"error": {"code": 400, "message": "Site not found"}}
        if path == feed_path("3.0.0"):
            return 200, JSON, [1, 2]
        return arcgis_hub_portal(EVIAN_FEED)(method, path, query)

    with serve(handler) as server:
        assert identifiers(harvester(server.url).pages()) == EVIAN_IDS


def test_oversize_feed_fails_on_the_client_cap():
    with (
        serve(arcgis_hub_portal(EVIAN_FEED)) as server,
        pytest.raises(HarvestError, match="exceeds the limit"),
    ):
        list(harvester(server.url, max_bytes=4000).pages())


def test_since_keeps_changed_records_and_those_without_a_modified_date():
    feed = json.loads(EVIAN_FEED)
    del feed["dataset"][0]["modified"]
    modified = {d["identifier"]: d.get("modified") for d in feed["dataset"]}
    since = datetime.datetime(2022, 7, 29, 11, 0, tzinfo=datetime.UTC)
    with serve(arcgis_hub_portal(json.dumps(feed).encode())) as server:
        kept = identifiers(harvester(server.url).pages(since=since))
    expected = [i for i, m in modified.items() if m is None or m >= "2022-07-29T11:00"]
    assert kept == expected
    assert 1 < len(kept) < len(modified)


def test_graph_feeds_list_only_dataset_nodes():
    graph = {
        "@graph": [
            {"@type": "dcat:Catalog", "@id": "https://hub.example"},
            {"@type": "dcat:Dataset", "@id": "https://hub.example/datasets/a_0", "dct:title": "A"},
        ]
    }
    with serve(arcgis_hub_portal(json.dumps(graph).encode(), kind="3.0.0")) as server:
        pages = list(harvester(server.url).pages())
    assert identifiers(pages) == ["https://hub.example/datasets/a_0"]
    assert not pages[0].errors


def test_the_feed_is_parsed_entry_by_entry_not_loaded_whole(monkeypatch):
    def refuse(*args, **kw):
        raise AssertionError("the whole feed was loaded as one object")

    monkeypatch.setattr(json, "load", refuse)
    monkeypatch.setattr(json, "loads", refuse)
    monkeypatch.setattr(arcgis_hub.ijson, "items", _counting(arcgis_hub.ijson.items))
    with serve(arcgis_hub_portal(EVIAN_FEED)) as server:
        assert len(identifiers(harvester(server.url).pages())) == len(EVIAN_IDS)
    assert _counting.prefixes == ["dataset.item"]


def _counting(items):
    _counting.prefixes = []

    def wrapped(feed, prefix, **kw):
        _counting.prefixes.append(prefix)
        return items(feed, prefix, **kw)

    return wrapped


@pytest.mark.parametrize("content_type", ["text/plain", "application/octet-stream", ""])
def test_a_json_feed_under_another_content_type_is_still_read(content_type):
    def handler(method, path, query):
        if path == feed_path("dcat-us"):
            return 200, {"Content-Type": content_type}, EVIAN_FEED
        return 404, {}, ""

    with serve(handler) as server:
        assert identifiers(harvester(server.url).pages()) == EVIAN_IDS
