"""Detection ("paste a URL") against real local HTTP servers answering like each software."""

from __future__ import annotations

import json

import pytest

from ckanext.partnercity.harvesters.detect.model import (
    MAX_PUBLISHERS,
    MAX_REQUESTS,
    DetectionError,
)
from ckanext.partnercity.harvesters.detect.orchestrator import detect, normalise
from ckanext.partnercity.harvesters.detect.page import base_url
from ckanext.partnercity.harvesters.http import HttpClient
from tests.support import detect_portals as portals
from tests.support.http_server import serve


def client(**kw) -> HttpClient:
    return HttpClient(allow_private=True, retries=2, backoff=0, sleep=lambda s: None, **kw)


def run(table, path="/", **kw):
    with serve(portals.routes(table)) as server:
        found = detect(server.url + path, client(**kw))
        return server, found


def test_ckan_from_its_home_page_with_title_and_organizations():
    server, found = run(portals.CKAN)
    assert found.portal_type == "ckan"
    assert found.portal_url == server.url
    assert found.title == "Offene Daten Partnerstadt"
    assert "page generator: ckan 2.10.4" in found.evidence
    assert any("CKAN 2.10.4" in e for e in found.evidence)
    assert [(p.id, p.name, p.datasets) for p in found.publishers] == [
        ("stadt-partnerstadt", "Stadt Partnerstadt", 42),
        ("stadtwerke", "Stadtwerke Partnerstadt", 7),
    ]
    # the home page, status_show (the hinted software first), organization_list
    assert [r.path for r in server.requests] == [
        "/",
        "/api/3/action/status_show",
        "/api/3/action/organization_list",
    ]
    listing = server.requests[-1]
    assert listing.param("all_fields") == "true"
    assert listing.param("limit") == str(MAX_PUBLISHERS)


@pytest.mark.parametrize(
    "path",
    ["/dataset/luftqualitaet", "/api/3/action/status_show", "/dataset/luftqualitaet?x=1"],
)
def test_ckan_dataset_page_or_api_url_is_normalised_to_the_base(path):
    server, found = run(portals.CKAN, path)
    assert (found.portal_type, found.portal_url) == ("ckan", server.url)


def test_ckan_under_a_sub_path_keeps_it():
    table = {f"/daten{path}": route for path, route in portals.CKAN.items()}
    server, found = run(table, "/daten/dataset/luftqualitaet")
    assert found.portal_url == f"{server.url}/daten"
    assert len(found.publishers) == 2


def test_dkan_is_harvested_as_ckan_and_the_evidence_says_dkan():
    server, found = run(portals.DKAN)
    assert found.portal_type == "ckan"
    assert found.portal_url == server.url
    assert any("DKAN" in e for e in found.evidence)
    assert found.title == "Open Data Partenaire | Plateforme DKAN"
    paths = [r.path for r in server.requests]
    assert paths[:2] == ["/", "/api/3/action/package_list"]  # the DKAN hint goes first
    assert "/api/3/action/status_show" not in paths


def test_opendatasoft_from_a_dataset_page_with_publisher_facet():
    server, found = run(portals.ODS, "/explore/dataset/arbres/information/")
    assert (found.portal_type, found.portal_url) == ("opendatasoft", server.url)
    assert found.title == "Open Data Ville Partenaire"
    assert any("187 datasets" in e for e in found.evidence)
    assert [(p.id, p.datasets) for p in found.publishers] == [
        ("Ville Partenaire", 151),
        ("Agglomération Partenaire", 24),
        ("ATMO Grand Est", 12),
    ]
    probe = next(r for r in server.requests if r.path.endswith("/catalog/datasets"))
    assert probe.param("limit") == "0"
    facets = next(r for r in server.requests if r.path.endswith("/catalog/facets"))
    assert facets.param("facet") == "publisher"


def test_udata_from_a_localised_home_page():
    server, found = run(portals.UDATA, "/fr/")
    assert (found.portal_type, found.portal_url) == ("udata", server.url)
    assert found.title == "data.partenaire.example"
    assert any("312 datasets" in e for e in found.evidence)
    assert [(p.id, p.name, p.datasets) for p in found.publishers] == [
        ("5a7b3c9e88ee38123456789a", "Ville de Partenaire", 200),
        ("5a7b3c9e88ee38123456789b", "Métropole Partenaire", 80),
    ]


def test_piveau_lists_catalogues_from_the_same_search():
    server, found = run(portals.PIVEAU)
    assert (found.portal_type, found.portal_url) == ("piveau", server.url)
    assert found.title == "Datenportal Partnerregion"
    assert [(p.id, p.name, p.datasets) for p in found.publishers] == [
        ("stadt-partnerstadt", "City of Partnerstadt", 1200),
        ("landkreis-partner", "Landkreis Partner", 1145),
    ]
    assert [r.path for r in server.requests] == ["/", "/api/hub/search/search"]


def test_arcgis_hub_from_its_home_page():
    server, found = run(portals.ARCGIS_HUB)
    assert (found.portal_type, found.portal_url) == ("arcgis_hub", server.url)
    assert found.title == "Partner City Open Data"
    assert found.publishers == []
    assert [r.path for r in server.requests] == ["/", "/api/feed/dcat-ap/2.0.1.json"]


def test_arcgis_hub_feed_pasted_is_recognised_from_its_real_answer():
    server, found = run(portals.ARCGIS_HUB, "/api/feed/dcat-us/1.1.json")
    assert (found.portal_type, found.portal_url) == ("arcgis_hub", server.url)
    assert len(server.requests) == 1


def test_geonetwork_from_its_catalogue_page():
    server, found = run(portals.GEONETWORK, "/geonetwork/srv/fre/catalog.search")
    assert found.portal_type == "csw"
    assert found.portal_url == f"{server.url}/geonetwork/srv/eng/csw"
    assert found.title == "Catalogue GeoNetwork Partenaire"
    assert any("GeoNetwork" in e for e in found.evidence)
    probe = server.requests[1]
    assert (probe.param("service"), probe.param("request")) == ("CSW", "GetCapabilities")


def test_csw_capabilities_url_pasted_gives_its_endpoint():
    server, found = run(
        portals.GEONETWORK, "/geonetwork/srv/eng/csw?service=CSW&request=GetCapabilities"
    )
    assert (found.portal_type, found.portal_url) == ("csw", f"{server.url}/geonetwork/srv/eng/csw")
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("path", "syntax", "title"),
    [
        ("/catalog.ttl", "Turtle", "CKAN Demo"),
        ("/catalog.jsonld", "JSON-LD", ""),
        ("/dataset.rdf", "RDF/XML", ""),
    ],
)
def test_dcat_files_are_recognised_in_one_request(path, syntax, title):
    server, found = run(portals.DCAT_FILES, path)
    assert (found.portal_type, found.portal_url) == ("dcat", server.url + path)
    assert found.title == title
    assert any(f"({syntax})" in e for e in found.evidence)
    assert len(server.requests) == 1


def test_nothing_matches_says_what_was_tried_within_the_budget():
    with serve(portals.routes(portals.PLAIN)) as server:
        with pytest.raises(DetectionError) as caught:
            detect(server.url, client())
        assert len(server.requests) == MAX_REQUESTS
    message = caught.value.message
    assert "No supported portal software recognised" in message
    for probe in ("/api/3/action/status_show", "/api/1/site/", "/srv/eng/csw"):
        assert probe in message
    assert len(caught.value.tried) == MAX_REQUESTS


def test_redirect_hops_spend_the_budget_too():
    """Every probe redirects once: the server never sees more than the budget."""

    def handler(method, path, query):
        if path.startswith("/moved"):
            return 404, {"Content-Type": "text/plain"}, "gone"
        return 302, {"Location": f"/moved{path}"}, ""

    with serve(handler) as server:
        with pytest.raises(DetectionError):
            detect(server.url + "/start", client())
        assert len(server.requests) == MAX_REQUESTS


def test_server_errors_are_not_retried_beyond_the_budget():
    with serve(lambda m, p, q: (503, {"Content-Type": "text/plain"}, "busy")) as server:
        with pytest.raises(DetectionError):
            detect(server.url, client())
        assert len(server.requests) == MAX_REQUESTS


def test_private_addresses_are_refused_before_any_request():
    with serve(portals.routes(portals.CKAN)) as server:
        policy = HttpClient(allow_private=False, retries=0)
        with pytest.raises(DetectionError) as caught:
            detect(server.url, policy)
        assert server.requests == []
    assert "refused" in caught.value.message
    assert "internal address" in caught.value.message


def test_a_probe_redirected_to_a_refused_url_is_not_followed():
    """The URL policy holds at every hop of every probe: a refused redirect is a failed
    probe (named in the error), nothing is sent to it, and detection goes on."""

    def handler(method, path, query):
        if path == "/api/3/action/status_show":
            return 302, {"Location": "http://admin:secret@127.0.0.1:9/steal"}, ""
        return portals.routes(portals.PLAIN)(method, path, query)

    with serve(handler) as server:
        with pytest.raises(DetectionError) as caught:
            detect(server.url, client())
        assert "/steal" not in [r.path for r in server.requests]
        assert len(server.requests) == MAX_REQUESTS  # the refused hop cost nothing
    assert "credentials" in caught.value.message


def test_unreachable_url_is_a_clear_error():
    with serve() as server:
        url = server.url
    with pytest.raises(DetectionError) as caught:
        detect(url, client())
    assert "cannot be read" in caught.value.message


@pytest.mark.parametrize("pasted", ["", "   "])
def test_empty_input_is_an_error(pasted):
    with pytest.raises(DetectionError):
        detect(pasted, client())


def test_publishers_are_capped_at_fifty():
    orgs = [
        {"name": f"org-{i:03}", "title": f"Org {i}", "package_count": 100 - i} for i in range(80)
    ]
    listing = {"success": True, "result": orgs}

    def handler(method, path, query):
        if path == "/api/3/action/organization_list":
            return 200, {}, listing
        return portals.routes(portals.CKAN)(method, path, query)

    with serve(handler) as server:
        found = detect(server.url, client())
    assert len(found.publishers) == MAX_PUBLISHERS
    assert len(found.as_dict()["publishers"]) == MAX_PUBLISHERS
    assert found.publishers[0].id == "org-000"


def test_partner_text_is_cleaned_and_shortened():
    status = json.loads(portals.fixture("SYNTHETIC_ckan_status_show.json"))
    status["result"]["site_title"] = "Evil\x00\nTitle " + "x" * 500
    status["result"]["ckan_version"] = {"not": "a string"}

    def handler(method, path, query):
        if path == "/api/3/action/status_show":
            return 200, {}, status
        return portals.routes(portals.CKAN)(method, path, query)

    with serve(handler) as server:
        answer = detect(server.url, client()).as_dict()
    assert answer["title"].startswith("Evil Title x")
    assert len(answer["title"]) <= 200
    assert set(answer) >= {"portal_type", "portal_url", "title", "publishers", "evidence"}


def test_odd_shapes_do_not_crash_and_fall_through():
    """status_show answering a list, ODS answering a string: neither matches; udata does."""
    table = {
        "/api/3/action/status_show": (200, "SYNTHETIC_dkan_package_list.json", portals.JSON),
        "/api/explore/v2.1/catalog/datasets": (200, "SYNTHETIC_ckan_home.html", portals.JSON),
        "/api/1/site/": ("SYNTHETIC_udata_site.json", portals.JSON),
    }
    server, found = run(table)
    assert found.portal_type == "udata"
    assert found.publishers == []  # organizations answer 404


@pytest.mark.parametrize(
    ("url", "markers", "base"),
    [
        ("https://a.example/fr/datasets/x/", ("datasets",), "https://a.example"),
        ("https://A.example/portal/dataset/x", ("dataset",), "https://a.example/portal"),
        ("https://a.example/geonetwork/srv/eng/csw?x=1", ("srv",), "https://a.example/geonetwork"),
        ("https://a.example/index.html", ("api",), "https://a.example"),
        ("https://a.example/", ("api",), "https://a.example"),
    ],
)
def test_base_url(url, markers, base):
    assert base_url(url, markers) == base


@pytest.mark.parametrize(
    ("pasted", "url"),
    [
        ("  data.partner.example/fr/  ", "https://data.partner.example/fr/"),
        ("http://data.partner.example", "http://data.partner.example"),
    ],
)
def test_pasted_text_becomes_a_url(pasted, url):
    assert normalise(pasted) == url


def test_a_hinted_software_is_probed_first_and_leaves_budget_for_publishers():
    """udata is fourth in the fixed order; its home page hint puts it first."""
    server, found = run(portals.UDATA, "/fr/")
    assert [r.path for r in server.requests] == ["/fr/", "/api/1/site/", "/api/1/organizations/"]
    assert found.requests == 3
    assert "page generator: udata 10.1.2" in found.evidence


def test_without_hints_the_fixed_order_still_finds_it():
    """A piveau portal whose home page names nothing: found by probing in order."""
    table = {**portals.PIVEAU, "/": ("SYNTHETIC_plain_home.html", portals.HTML)}
    server, found = run(table)
    assert found.portal_type == "piveau"
    assert [r.path for r in server.requests] == [
        "/",
        "/api/3/action/status_show",
        "/api/explore/v2.1/catalog/datasets",
        "/api/1/site/",
        "/api/hub/search/search",
    ]
    assert len(found.publishers) == 2  # from the same search: no extra request
