"""DCAT-AP portal type: real catalogue files served over HTTP on 127.0.0.1.

The catalogues in tests/fixtures/dcat/ are byte-identical copies of real portal
output (see its README); derived documents (other serializations, Hydra pages,
a generated large catalogue) are built here with rdflib so their content is
known. Every request goes through the real HttpClient to a real HTTP server.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from ckanext.partnercity.harvesters.base import (
    HarvestError,
    Page,
    PartnerRecord,
    PartnerSource,
)
from ckanext.partnercity.harvesters.dcat import DcatHarvester
from ckanext.partnercity.harvesters.dcat.harvester import ACCEPT, STREAM_THRESHOLD
from ckanext.partnercity.harvesters.dcat.mapping import record_from_dataset
from ckanext.partnercity.harvesters.dcat.parser import make_parser
from ckanext.partnercity.harvesters.http import HttpClient
from ckanext.partnercity.harvesters.registry import portal_types

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "dcat"
ROSTOCK = "rostock_opendata-hro_ckan_dcat-ap-de_dataset.rdf"
BERLIN = "govdata-ckanext-dcatde_berlin-derived_dcat-ap-de_catalog.rdf"
UNIBO = "dati-unibo_ckan_dcat-ap-it_catalog.rdf"
DATARA = "open-datara_geonetwork_geodcat-ap_record.rdf"
SEMIC = "SYNTHETIC_semic_hvd-tagged_geodcat-ap_dataset.ttl"
CSW = "geo2france_geonetwork_csw-getrecords_geodcat-ap_page-1.xml"

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
THEME = "http://publications.europa.eu/resource/authority/data-theme/"
ELI_HVD = "http://data.europa.eu/eli/reg_impl/2023/138/oj"
NEVER_STREAM = {"stream_threshold": 1 << 40}
ALWAYS_STREAM = {"stream_threshold": 0}


# --------------------------------------------------------------------------- server


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
    requests: list[tuple[str, dict[str, str]]] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.requests.append((self.path, dict(self.headers)))
        status, headers, body = self.routes.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class Server:
    """A real HTTP server on 127.0.0.1 whose documents the tests register by path."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        handler = type("Handler", (_Handler,), {"routes": self.routes, "requests": self.requests})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{path}"

    def add(self, path: str, body: bytes | str, content_type: str | None, status: int = 200) -> str:
        headers = {"Content-Type": content_type} if content_type else {}
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = (status, headers, data)
        return self.url(path)

    def redirect(self, path: str, target: str) -> str:
        self.routes[path] = (302, {"Location": target}, b"")
        return self.url(path)

    def fetched(self, prefix: str) -> list[str]:
        return [path for path, _ in self.requests if path.startswith(prefix)]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    srv = Server()
    types = {".rdf": "application/rdf+xml", ".ttl": "text/turtle", ".xml": "application/xml"}
    for path in FIXTURES.iterdir():
        if path.suffix in types:
            srv.add(f"/fixtures/{path.name}", path.read_bytes(), types[path.suffix])
    yield srv
    srv.close()


def harvest(url: str, since: datetime.datetime | None = None, **options: object) -> list[Page]:
    client = HttpClient(allow_private=True, retries=1, backoff=0, sleep=lambda s: None)
    source = PartnerSource(portal_url=url, portal_type="dcat", options=dict(options))
    return list(DcatHarvester(source, client).pages(since=since))


def records(pages: list[Page]) -> list[PartnerRecord]:
    return [record for page in pages for record in page.records]


def by_id(pages: list[Page]) -> dict[str, PartnerRecord]:
    return {record.identifier: record for record in records(pages)}


def normalized(record: PartnerRecord) -> PartnerRecord:
    """Lists sorted: RDF is unordered, and serializers reorder triples."""
    data = dataclasses.asdict(record)
    for key, value in data.items():
        if key == "distributions":
            data[key] = sorted(json.dumps(d, sort_keys=True) for d in value)
        elif isinstance(value, list):
            data[key] = sorted(value)
    return data


def fixture_graph(name: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    fmt = "turtle" if name.endswith(".ttl") else "xml"
    graph.parse(FIXTURES / name, format=fmt)
    return graph


# --------------------------------------------------------------------------- real catalogues


def test_dcat_is_a_registered_portal_type() -> None:
    assert portal_types()["dcat"] is DcatHarvester
    assert DcatHarvester.portal_type == "dcat"


@pytest.mark.parametrize("options", [NEVER_STREAM, ALWAYS_STREAM], ids=["memory", "streamed"])
@pytest.mark.parametrize(
    ("name", "count", "distributions"),
    [(ROSTOCK, 1, 9), (BERLIN, 6, 17), (UNIBO, 12, 50), (DATARA, 1, 1), (SEMIC, 1, 2)],
)
def test_dataset_and_distribution_counts(server, options, name, count, distributions) -> None:
    pages = harvest(server.url(f"/fixtures/{name}"), **options)
    found = records(pages)
    assert len(found) == count
    assert len({r.identifier for r in found}) == count
    assert sum(len(r.distributions) for r in found) == distributions
    assert [error for page in pages for error in page.errors] == []


def test_rostock_hvd_dataset_exact_values(server) -> None:
    (page,) = harvest(server.url(f"/fixtures/{ROSTOCK}"))
    (record,) = page.records
    uri = "https://www.opendata-hro.de/dataset/c1be4007-d811-48fb-8818-2cb358b06a63"
    assert record.identifier == "c1be4007-d811-48fb-8818-2cb358b06a63"
    assert record.uri == uri
    assert record.landing_page == uri
    assert record.title == "Liefer- und Abholservices (Gastronomie)"
    assert record.description.startswith("Dieser Datensatz umfasst die Standorte der Liefer-")
    assert record.publisher == "Hanse- und Universitätsstadt Rostock"
    assert record.issued == "2020-04-21T11:59:39.642528"
    assert record.modified == "2024-05-08T04:11:24.309486"
    assert record.categories == [THEME + "ECON"]
    assert record.hvd_category == ["http://data.europa.eu/bna/c_e1da4e07"]
    assert record.applicable_legislation == [ELI_HVD]
    assert record.language == ["http://publications.europa.eu/resource/authority/language/DEU"]
    assert "gastronomiebetriebe" in record.keywords and "wirtschaft" in record.keywords
    assert record.license_url == "http://dcat-ap.de/def/licenses/cc-zero"
    csv = next(d for d in record.distributions if d.url.endswith("lieferservices.csv"))
    assert (
        csv.url == "https://geo.sv.rostock.de/download/opendata/lieferservices/lieferservices.csv"
    )
    assert csv.format == "CSV"  # the EU file-type URI, as a label
    assert csv.media_type == "text/csv"  # from its IANA URI
    assert csv.license == "http://dcat-ap.de/def/licenses/cc-zero"
    wms = next(d for d in record.distributions if d.url.endswith("/wms"))
    assert wms.format == "WMS"
    assert page.url == server.url(f"/fixtures/{ROSTOCK}")


def test_berlin_catalogue_themes_are_eu_data_theme_uris(server) -> None:
    found = by_id(harvest(server.url(f"/fixtures/{BERLIN}")))
    themes = {theme for record in found.values() for theme in record.categories}
    assert themes == {THEME + code for code in ("EDUC", "ENVI", "SOCI", "TECH")}
    europawahl = found["0ee2fe79-fc37-400d-a8ca-4915b0295aec"]
    assert europawahl.categories == [THEME + "SOCI", THEME + "EDUC", THEME + "TECH"]
    assert europawahl.publisher == "Datenportal Rheinland-Pfalz"
    assert europawahl.license_url == "http://dcat-ap.de/def/licenses/cc-by"
    assert "wahlergebnisse" in europawahl.keywords
    naturraeume = found["bd2d4fa6-e9ad-470d-888b-5eb1378d39e9"]
    assert naturraeume.title == "Naturräume Geest und Marsch"
    assert naturraeume.categories == [THEME + "ENVI"]
    assert naturraeume.modified == "2017-12-21T11:34:24.670011"


def test_unibo_titles_follow_the_partner_language(server) -> None:
    url = server.url(f"/fixtures/{UNIBO}")
    italian = by_id(harvest(url, languages=["it"]))
    assert italian["db4cb33d-4122-4377-bdc4-75b4d6dd6a10"].title == (
        "Orario degli insegnamenti 2016/2017"
    )
    assert italian["26e0665e-8b7d-4f0d-823b-b8180d883d90"].title == "Bilancio sociale"
    assert italian["71856b14-0aa1-43c7-8e0a-4210f352e60e"].title == (
        "L'Università oggi: tra numeri e innovazione"
    )
    assert {r.publisher for r in italian.values()} == {
        "Alma Mater Studiorum - Università di Bologna"
    }
    # Without the option ckanext-dcat prefers ckan.locale_default ("en" outside CKAN).
    english = by_id(harvest(url))
    assert english.keys() == italian.keys()
    assert english["26e0665e-8b7d-4f0d-823b-b8180d883d90"].title == "Social Responsibility Report"
    assert english["26e0665e-8b7d-4f0d-823b-b8180d883d90"].categories == [
        THEME + "TECH",
        THEME + "GOVE",
        THEME + "INTR",
        THEME + "EDUC",
    ]
    themes = {theme for record in italian.values() for theme in record.categories}
    assert themes == {THEME + code for code in ("EDUC", "GOVE", "INTR", "TECH")}
    assert {r.license_url for r in italian.values()} == {
        "https://creativecommons.org/licenses/by/3.0/it/"
    }


def test_geonetwork_record_anonymous_theme_and_topic_category(server) -> None:
    (record,) = records(harvest(server.url(f"/fixtures/{DATARA}")))
    assert record.title == "Campings issus de la BDTopo de Auvergne Rhône-Alpes"
    # an anonymous skos:Concept theme becomes its label, not a blank-node id;
    # dct:subject (INSPIRE topic category) is the partner's own category too
    assert record.categories == [
        "Gestion des crises et des risques",
        "http://inspire.ec.europa.eu/metadata-codelist/TopicCategory/structure",
    ]
    assert record.keywords == ["RHONE ALPES", "Culture", "Société", "Service"]
    assert record.license_title == "Ayant droit IGN Bénéficiaires du RGE"
    assert record.distributions[0].url == (
        "https://telechargement.open-datara.fr/download/5a26b0f6-0ccf-46ad-ac58-734054b91977"
    )


def test_semic_hvd_example_two_categories_and_access_services(server) -> None:
    (record,) = records(harvest(server.url(f"/fixtures/{SEMIC}")))
    assert record.identifier == "http://www.my-organisation.eu/so/lu/land-use-map"
    assert record.hvd_category == [
        "http://data.europa.eu/bna/c_dd313021",
        "http://data.europa.eu/bna/c_f399050e",
    ]
    assert record.applicable_legislation == [ELI_HVD]
    assert "http://inspire.ec.europa.eu/theme/lu" in record.categories
    assert sorted(d.access_service for d in record.distributions) == [
        "https://geoserver.epsilon-italia.it/geoserver/LU_sample/ows",
        "https://geoserver.epsilon-italia.it/geoserver/LU_sample/wms",
    ]


def test_requests_ask_for_rdf_and_go_through_the_client(server) -> None:
    harvest(server.url(f"/fixtures/{ROSTOCK}"))
    _, headers = next(r for r in reversed(server.requests) if r[0] == f"/fixtures/{ROSTOCK}")
    assert headers["Accept"] == ACCEPT
    assert headers["User-Agent"] == "ckanext-partnercity"


def test_redirect_is_followed_and_the_final_url_names_the_page(server) -> None:
    target = server.url(f"/fixtures/{BERLIN}")
    url = server.redirect("/moved/catalog", target)
    (page,) = harvest(url)
    assert len(page.records) == 6
    assert page.url == target


def test_the_client_size_cap_applies_to_catalogues(server) -> None:
    client = HttpClient(allow_private=True, retries=0, max_bytes=1000)
    source = PartnerSource(portal_url=server.url(f"/fixtures/{BERLIN}"), portal_type="dcat")
    with pytest.raises(HarvestError, match="exceeds the limit of 1000"):
        list(DcatHarvester(source, client).pages())


# --------------------------------------------------------------------------- syntaxes


@pytest.mark.parametrize("options", [NEVER_STREAM, ALWAYS_STREAM], ids=["memory", "streamed"])
def test_turtle_rdfxml_jsonld_ntriples_give_the_same_records(server, options) -> None:
    graph = fixture_graph(BERLIN)
    variants = {
        # path: (body, content type); detection by type, by suffix and by sniffing
        "/syntax/berlin.rdf": ((FIXTURES / BERLIN).read_bytes(), "application/rdf+xml"),
        "/syntax/berlin-turtle": (graph.serialize(format="turtle"), "text/turtle"),
        "/syntax/berlin.ttl": (graph.serialize(format="turtle"), "application/octet-stream"),
        "/syntax/berlin-sniffed": (graph.serialize(format="turtle"), "text/plain"),
        "/syntax/berlin-jsonld": (graph.serialize(format="json-ld"), "application/ld+json"),
        "/syntax/berlin.jsonld": (graph.serialize(format="json-ld"), None),
        "/syntax/berlin-json-sniffed": (graph.serialize(format="json-ld"), "text/plain"),
        "/syntax/berlin-nt": (graph.serialize(format="nt"), "application/n-triples"),
        "/syntax/berlin-xml-sniffed": (graph.serialize(format="xml"), "text/plain"),
    }
    results = {}
    for path, (body, content_type) in variants.items():
        results[path] = sorted(
            (
                normalized(r)
                for r in records(harvest(server.add(path, body, content_type), **options))
            ),
            key=lambda r: r["identifier"],
        )
    reference = results.pop("/syntax/berlin.rdf")
    assert len(reference) == 6
    for path, found in results.items():
        assert found == reference, path


def test_remote_jsonld_context_is_fetched_through_the_client(server) -> None:
    context = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "title": {"@id": "dct:title", "@language": "de"},
            "identifier": "dct:identifier",
            "keyword": {"@id": "dcat:keyword", "@container": "@set"},
            "theme": {"@id": "dcat:theme", "@type": "@id"},
        }
    }
    server.add("/ctx/dcat.jsonld", json.dumps(context), "application/ld+json")
    document = {
        "@context": "/ctx/dcat.jsonld",
        "@graph": [
            {
                "@id": "https://partner.example/dataset/luft",
                "@type": "dcat:Dataset",
                "identifier": "luft-2024",
                "title": "Luftqualität 2024",
                "keyword": ["luft", "umwelt"],
                "theme": THEME + "ENVI",
            }
        ],
    }
    url = server.add("/ctx/catalog.jsonld", json.dumps(document), "application/ld+json")
    (record,) = records(harvest(url))
    assert record.identifier == "luft-2024"
    assert record.title == "Luftqualität 2024"
    assert record.keywords == ["luft", "umwelt"]
    assert record.categories == [THEME + "ENVI"]
    assert server.fetched("/ctx/dcat.jsonld")
    # streamed JSON-LD never loads remote documents on its own
    with pytest.raises(HarvestError, match="remote @context"):
        harvest(url, **ALWAYS_STREAM)


# --------------------------------------------------------------------------- paging


def _split(graph: rdflib.Graph, parts: int) -> list[rdflib.Graph]:
    """The catalogue as ``parts`` documents, each holding a share of its datasets."""
    datasets = sorted(set(graph.subjects(RDF.type, DCAT.Dataset)), key=str)
    size = -(-len(datasets) // parts)
    pages = []
    for n in range(parts):
        keep = set(datasets[n * size : (n + 1) * size])
        page = rdflib.Graph()
        for triple in graph:
            s, p, o = triple
            if (s in datasets and s not in keep) or (p == DCAT.dataset and o not in keep):
                continue
            page.add(triple)
        pages.append(page)
    return pages


def test_hydra_paging_across_three_pages_of_mixed_syntax(server) -> None:
    first, second, third = _split(fixture_graph(UNIBO), 3)
    base = "/hydra/unibo"
    # page 1: PartialCollectionView + hydra:next (an IRI)
    view = URIRef(server.url(f"{base}/page-1.ttl"))
    first.add((view, RDF.type, HYDRA.PartialCollectionView))
    first.add((view, HYDRA.next, URIRef(server.url(f"{base}/page-2"))))
    # page 2: PagedCollection + the deprecated hydra:nextPage, as a relative literal
    collection = URIRef(server.url(f"{base}/page-2"))
    second.add((collection, RDF.type, HYDRA.PagedCollection))
    second.add((collection, HYDRA.nextPage, Literal("page-3.jsonld")))
    server.add(f"{base}/page-1.ttl", first.serialize(format="turtle"), "text/turtle")
    server.add(f"{base}/page-2", second.serialize(format="xml"), "application/rdf+xml")
    server.add(f"{base}/page-3.jsonld", third.serialize(format="json-ld"), "application/ld+json")

    pages = harvest(server.url(f"{base}/page-1.ttl"), languages=["it"])
    assert [page.url for page in pages] == [
        server.url(f"{base}/page-1.ttl"),
        server.url(f"{base}/page-2"),
        server.url(f"{base}/page-3.jsonld"),
    ]
    assert [len(page.records) for page in pages] == [4, 4, 4]
    identifiers = [record.identifier for record in records(pages)]
    assert len(identifiers) == len(set(identifiers)) == 12
    unpaged = by_id(harvest(server.url(f"/fixtures/{UNIBO}"), languages=["it"]))
    assert sorted(map(normalized, records(pages)), key=lambda r: r["identifier"]) == sorted(
        map(normalized, unpaged.values()), key=lambda r: r["identifier"]
    )
    # the streamed path reads the paging nodes too
    streamed = harvest(server.url(f"{base}/page-1.ttl"), languages=["it"], **ALWAYS_STREAM)
    assert sorted(r.identifier for r in records(streamed)) == sorted(identifiers)
    # more pages than allowed: the listing is incomplete, which is an error
    with pytest.raises(HarvestError, match="more than 2 pages"):
        harvest(server.url(f"{base}/page-1.ttl"), max_pages=2)


def test_paging_loop_and_self_reference_end_the_listing(server) -> None:
    first, second = _split(fixture_graph(BERLIN), 2)
    a, b = server.url("/loop/a.ttl"), server.url("/loop/b.ttl")
    for graph, here, there in ((first, a, b), (second, b, a)):
        graph.add((URIRef(here), RDF.type, HYDRA.PartialCollectionView))
        graph.add((URIRef(here), HYDRA.next, URIRef(there)))
    server.add("/loop/a.ttl", first.serialize(format="turtle"), "text/turtle")
    server.add("/loop/b.ttl", second.serialize(format="turtle"), "text/turtle")
    pages = harvest(a)
    assert len(pages) == 2
    assert len({r.identifier for r in records(pages)}) == len(records(pages)) == 6
    assert server.fetched("/loop/") == ["/loop/a.ttl", "/loop/b.ttl"]

    alone = fixture_graph(ROSTOCK)
    me = server.url("/loop/self.rdf")
    alone.add((URIRef(me), RDF.type, HYDRA.PagedCollection))
    alone.add((URIRef(me), HYDRA.next, Literal(me)))
    server.add("/loop/self.rdf", alone.serialize(format="xml"), "application/rdf+xml")
    (page,) = harvest(me, **ALWAYS_STREAM)
    assert len(page.records) == 1
    assert server.fetched("/loop/self") == ["/loop/self.rdf"]


def test_since_filters_by_modified_client_side(server) -> None:
    since = datetime.datetime(2017, 11, 1, tzinfo=datetime.UTC)
    found = by_id(harvest(server.url(f"/fixtures/{BERLIN}"), since=since))
    assert sorted(found) == [
        "4ade8a03-2801-471a-8f7f-97c70265e7eb",  # 2017-11-06
        "bd2d4fa6-e9ad-470d-888b-5eb1378d39e9",  # 2017-12-21
    ]


# --------------------------------------------------------------------------- failures


@pytest.mark.parametrize("options", [NEVER_STREAM, ALWAYS_STREAM], ids=["memory", "streamed"])
@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (
            "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
            "<https://p.example/d/1> a dcat:Dataset ;; dcat:keyword 'unterminated .\n",
            "text/turtle",
            "malformed Turtle: ",
        ),
        (
            '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
            ' xmlns:dcat="http://www.w3.org/ns/dcat#">\n<dcat:Dataset rdf:about="https://p.example/d">',
            "application/rdf+xml",
            "malformed RDF/XML: ",
        ),
        ('{"@graph": [{"@id": "https://p.example/d", ', "application/ld+json", "malformed JSON-LD"),
        (
            "<!DOCTYPE html>\n<html><head><title>Anmelden</title></head>"
            "<body><form>Bitte melden Sie sich an</form></body></html>",
            "text/html; charset=utf-8",
            "expected RDF but got HTML",
        ),
        (
            "<!DOCTYPE html><html><body>Wartungsarbeiten</body></html>",
            "text/turtle",
            "expected RDF but got HTML",
        ),
        ("", "text/turtle", "the response is empty"),
        # plain JSON (a DCAT-US feed, an API answer) is valid JSON-LD without one triple;
        # taking it for an empty catalogue would withdraw every reference
        ('{"dataset": [{"title": "Luftqualität"}]}', "application/json", "no dcat:Dataset"),
    ],
    ids=["turtle", "rdfxml", "jsonld", "html", "html-as-turtle", "empty", "not-dcat"],
)
def test_unreadable_documents_are_clear_harvest_errors(
    server, options, body, content_type, message
) -> None:
    path = f"/broken/{abs(hash((body, content_type)))}"
    url = server.add(path, body, content_type)
    with pytest.raises(HarvestError) as caught:
        harvest(url, **options)
    assert message in caught.value.message
    assert caught.value.url == url


def test_csw_page_is_named_for_what_it_is(server) -> None:
    with pytest.raises(HarvestError, match="CSW GetRecords response") as caught:
        harvest(server.url(f"/fixtures/{CSW}"))
    assert caught.value.url == server.url(f"/fixtures/{CSW}")


def test_http_errors_name_the_url(server) -> None:
    url = server.url("/missing/catalog.ttl")
    with pytest.raises(HarvestError, match="HTTP 404") as caught:
        harvest(url)
    assert caught.value.url == url


def test_unknown_profile_is_a_harvest_error(server) -> None:
    with pytest.raises(HarvestError, match="Unknown RDF profiles: no_such_profile"):
        harvest(server.url(f"/fixtures/{ROSTOCK}"), profiles=["no_such_profile"])


def test_profiles_are_chosen_per_partner(server) -> None:
    url = server.url(f"/fixtures/{ROSTOCK}")
    (v2,) = records(harvest(url, profiles="euro_dcat_ap_2 euro_dcat_ap_scheming"))
    (v3,) = records(harvest(url))
    assert v2.hvd_category == v3.hvd_category == ["http://data.europa.eu/bna/c_e1da4e07"]
    assert normalized(v2) == normalized(v3)


def test_scheming_shaped_dicts_map_like_extras() -> None:
    """Inside CKAN the profiles see the site's scheming schema and return root fields."""
    graph = rdflib.Graph()
    ref = URIRef("https://partner.example/dataset/luft")
    scheming = {
        "title": "Luftqualität",
        "notes": "Messwerte",
        "url": "https://partner.example/luft",
        "identifier": "luft",
        "uri": str(ref),
        "issued": "2024-01-01",
        "modified": "2024-06-01T10:00:00",
        "theme": [THEME + "ENVI"],
        "language": ["http://publications.europa.eu/resource/authority/language/DEU"],
        "hvd_category": ["http://data.europa.eu/bna/c_dd313021"],
        "applicable_legislation": [ELI_HVD],
        "publisher": [{"name": "Umweltamt", "uri": "https://partner.example/org/umwelt"}],
        "tags": [{"name": "luft"}],
        "resources": [
            {
                "url": "https://partner.example/luft.csv",
                "format": "CSV",
                "mimetype": "text/csv",
                "name": "CSV",
                "access_services": [{"uri": "https://partner.example/api", "title": "API"}],
            }
        ],
    }
    extras = {
        key: scheming[key]
        for key in ("title", "notes", "url", "tags", "resources")
        if key in scheming
    }
    extras["resources"] = [
        {
            **scheming["resources"][0],
            "access_services": json.dumps([{"uri": "https://partner.example/api"}]),
        }
    ]
    extras["extras"] = [
        {"key": "identifier", "value": "luft"},
        {"key": "uri", "value": str(ref)},
        {"key": "issued", "value": "2024-01-01"},
        {"key": "modified", "value": "2024-06-01T10:00:00"},
        {"key": "theme", "value": json.dumps([THEME + "ENVI"])},
        {"key": "language", "value": json.dumps(scheming["language"])},
        {"key": "hvd_category", "value": json.dumps(scheming["hvd_category"])},
        {"key": "applicable_legislation", "value": json.dumps([ELI_HVD])},
        {"key": "publisher_name", "value": "Umweltamt"},
        {"key": "publisher_uri", "value": "https://partner.example/org/umwelt"},
    ]
    from_scheming = record_from_dataset(scheming, graph, ref)
    assert from_scheming == record_from_dataset(extras, graph, ref)
    assert from_scheming.publisher == "Umweltamt"
    assert from_scheming.hvd_category == ["http://data.europa.eu/bna/c_dd313021"]
    assert from_scheming.distributions[0].access_service == "https://partner.example/api"


def test_profiles_inside_ckan_with_the_dcat_ap_scheming_schema_give_the_same_records(
    server, monkeypatch
) -> None:
    """In the worker the profiles find the site's scheming schema (test.ini: ckanext-dcat's
    dcat_ap_full.yaml) and return root fields instead of extras. Here that schema is
    loaded and expanded by ckanext-scheming itself and handed to the profiles the way
    CKAN's action registry would."""
    import ckanext.dcat.profiles.base as profiles_base
    from ckanext.scheming import plugins as scheming

    presets = ["ckanext.dcat.schemas:presets.yaml", "ckanext.scheming:presets.json"]
    monkeypatch.setattr(
        scheming._SchemingMixin,
        "_presets",
        {
            f["preset_name"]: f["values"]
            for p in presets
            for f in scheming._load_schema(p)["presets"]
        },
    )
    schema = scheming._expand_schemas(
        scheming._load_schemas(["ckanext.dcat.schemas:dcat_ap_full.yaml"], "dataset_type")
    )["dataset"]
    urls = [server.url(f"/fixtures/{name}") for name in (ROSTOCK, BERLIN, UNIBO, DATARA)]
    plain = [sorted(records(harvest(url, languages=["it"])), key=str) for url in urls]

    real_get_action = profiles_base.get_action

    def get_action(name: str):
        if name == "scheming_dataset_schema_show":
            return lambda context, data_dict: schema
        return real_get_action(name)

    monkeypatch.setattr(profiles_base, "get_action", get_action)
    parser = make_parser(["euro_dcat_ap_3"])
    parser.g.parse(FIXTURES / ROSTOCK, format="xml")
    shaped = parser.dataset(next(parser.g.subjects(RDF.type, DCAT.Dataset)))
    # root lists and publisher dicts, with hvd_category still a JSON extra (not in that schema)
    assert shaped["theme"] == [THEME + "ECON"]
    assert shaped["applicable_legislation"] == [ELI_HVD]
    assert shaped["publisher"][0]["name"] == "Hanse- und Universitätsstadt Rostock"
    assert {"key": "hvd_category", "value": '["http://data.europa.eu/bna/c_e1da4e07"]'} in (
        shaped["extras"]
    )
    with_schema = [sorted(records(harvest(url, languages=["it"])), key=str) for url in urls]
    assert with_schema == plain


# --------------------------------------------------------------------------- streaming


def _generated(count: int) -> str:
    """A DCAT-AP.de catalogue that exercises what a bounded description must carry.

    IRI and blank-node distributions, a shared publisher, nested blank nodes
    (contact address, temporal instants), an access service two links away,
    anonymous themes, links to other datasets and to the catalogue, a blank-node
    dataset, multilingual titles, and one dataset ckanext-dcat cannot read.
    """
    out = [
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
        "@prefix dct: <http://purl.org/dc/terms/> .\n"
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n"
        "@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix time: <http://www.w3.org/2006/time#> .\n"
        "@prefix spdx: <http://spdx.org/rdf/terms#> .\n"
        "@prefix dcatap: <http://data.europa.eu/r5r/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "@prefix g: <https://gen.example/> .\n"
        'g:catalog a dcat:Catalog ; dct:title "Generiert"@de .\n'
        'g:service a dcat:DataService ; dct:title "WMS"@de ;\n'
        "  dcat:endpointURL <https://gen.example/wms> .\n"
    ]
    for n in range(5):
        out.append(f'g:org{n} a foaf:Organization ; foaf:name "Amt {n}"@de, "Office {n}"@en .\n')
    filler = "Messwerte, Standorte und Zeitreihen der Partnerstadt. " * 30
    for i in range(count):
        ds = "[]" if i == 7 else f"g:dataset-{i}"
        size = '"1e999"' if i == 1234 else f'"{1000 + i}"^^xsd:nonNegativeInteger'
        hvd = (
            "  dcatap:hvdCategory <http://data.europa.eu/bna/c_dd313021> ;\n"
            "  dcatap:applicableLegislation <http://data.europa.eu/eli/reg_impl/2023/138/oj> ;\n"
            if i % 10 == 0
            else ""
        )
        local_theme = (
            f'  dcat:theme [ a skos:Concept ; skos:prefLabel "Thema {i % 3}"@de ] ;\n'
            if i % 5 == 0
            else ""
        )
        if i != 7:
            out.append(f"g:catalog dcat:dataset {ds} .\n")
        out.append(
            f"{ds} a dcat:Dataset ;\n"
            f'  dct:identifier "gen-{i}" ;\n'
            f'  dct:title "Datensatz {i}"@de, "Dataset {i}"@en ;\n'
            f'  dct:description "{filler}{i}"@de ;\n'
            f"  dcat:theme <{THEME}{('ENVI', 'TRAN', 'REGI')[i % 3]}> ;\n{local_theme}"
            f"  dct:subject <http://eurovoc.europa.eu/{100 + i % 4}> ;\n"
            f'  dcat:keyword "k{i % 7}", "gemeinsam", "z{i}" ;\n'
            f"  dct:publisher g:org{i % 5} ;\n{hvd}"
            f"  dcat:contactPoint [ a vcard:Organization ; vcard:fn \"Kontakt {i}\" ;\n"
            f"      vcard:hasEmail <mailto:k{i}@gen.example> ;\n"
            f'      vcard:hasAddress [ vcard:locality "Stadt {i % 9}" ] ] ;\n'
            f"  dct:temporal [ a dct:PeriodOfTime ;\n"
            f"      time:hasBeginning [ a time:Instant ;\n"
            f'          time:inXSDDate "2020-01-01"^^xsd:date ] ] ;\n'
            f'  dct:modified "2024-{1 + i % 12:02d}-01T08:00:00"^^xsd:dateTime ;\n'
            f"  dcat:landingPage <https://gen.example/page/{i}> ;\n"
            f"  dct:relation g:dataset-{(i + 1) % count} ;\n"
            f"  dct:isPartOf g:catalog ;\n"
            f"  dcat:distribution <https://gen.example/dataset-{i}/csv>, [ a dcat:Distribution ;\n"
            f'      dct:title "API"@de ; dcat:accessURL <https://gen.example/api/{i}> ;\n'
            f"      dcat:accessService g:service ;\n"
            f'      dct:license [ a dct:LicenseDocument ; dct:title "Eigene Lizenz {i % 2}" ] ] .\n'
            f"<https://gen.example/dataset-{i}/csv> a dcat:Distribution ;\n"
            f'  dct:title "CSV"@de ; dcat:downloadURL <https://files.gen.example/{i}.csv> ;\n'
            f"  dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ;\n"
            f"  dcat:mediaType <https://www.iana.org/assignments/media-types/text/csv> ;\n"
            f"  dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> ;\n"
            f"  dcat:byteSize {size} ;\n"
            f"  spdx:checksum [ spdx:algorithm spdx:checksumAlgorithm_sha1 ;\n"
            f'      spdx:checksumValue "{i:x}" ] .\n'
        )
    return "".join(out)


def test_streamed_path_gives_the_same_records_as_the_in_memory_path(server) -> None:
    count = 2500
    body = _generated(count)
    assert len(body.encode()) > STREAM_THRESHOLD  # default options stream it
    url = server.add("/generated/catalog.ttl", body, "text/turtle")

    streamed = harvest(url, languages=["de"])
    in_memory = harvest(url, languages=["de"], **NEVER_STREAM)

    assert len(in_memory) == 1  # one document, one page
    assert len(streamed) == -(-count // 100)  # pages of source.page_size datasets
    assert {page.url for page in streamed} == {url}
    assert records(streamed) == records(in_memory)
    assert len(records(streamed)) == count - 1

    errors = [e for page in streamed for e in page.errors]
    assert errors == [e for page in in_memory for e in page.errors]
    (error,) = errors
    assert error.identifier == "https://gen.example/dataset-1234"
    assert "OverflowError" in error.message and error.url == url

    found = by_id(streamed)
    blank = found["gen-7"]
    assert blank.uri == "" and blank.title == "Datensatz 7"
    sample = found["gen-10"]
    assert sample.title == "Datensatz 10"
    assert sample.publisher == "Amt 0"
    assert sample.categories == [THEME + "TRAN", "Thema 1", "http://eurovoc.europa.eu/102"]
    assert sample.keywords == ["k3", "gemeinsam", "z10"]
    assert sample.hvd_category == ["http://data.europa.eu/bna/c_dd313021"]
    assert sample.applicable_legislation == [ELI_HVD]
    csv, api = sample.distributions
    assert (csv.url, csv.format) == (
        "https://files.gen.example/10.csv",
        "CSV",
    )
    assert csv.license == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
    assert (api.url, api.access_service) == (
        "https://gen.example/api/10",
        "https://gen.example/service",
    )
    assert api.license == "Eigene Lizenz 0"


def test_every_language_tagged_title_and_description_is_kept(server) -> None:
    """dati.unibo.it publishes dct:title and dct:description in Italian and English."""
    found = by_id(harvest(server.url(f"/fixtures/{UNIBO}"), languages=["it"]))
    record = found["9bd5b817-3371-40f9-a5dd-8e254022882d"]
    assert record.translations["title"] == {
        "en": "Course unit catalogue 2017/2018",
        "it": "Insegnamenti 2017/2018",
    }
    assert set(record.translations["description"]) == {"en", "it"}
    assert all(set(r.translations["title"]) == {"en", "it"} for r in found.values())


def test_untagged_titles_give_no_language_versions(server) -> None:
    """Rostock's DCAT-AP.de titles carry no xml:lang: there is no version to offer."""
    (record,) = by_id(harvest(server.url(f"/fixtures/{ROSTOCK}"))).values()
    assert "title" not in record.translations
