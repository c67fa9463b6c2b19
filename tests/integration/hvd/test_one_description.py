"""One description of a dataset: the portal's check reads exactly the RDF /hvd/report.ttl publishes.

For every dataset of the demo (scripts/demo_seed.py) and of the HVD integration fixtures, the
check's input graph equals (rdflib isomorphism) that dataset's part of the downloaded
/hvd/report.ttl, and the standalone checker on the download gives the portal's verdicts.
"""

from __future__ import annotations

import json
import re
from collections import deque

import pytest
import rdflib
from ckan.tests import factories
from ckan.tests.helpers import call_action
from click.testing import CliRunner
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, FOAF, RDF

from ckanext.partnercity.hvd import checks, describe
from ckanext.partnercity.hvd.rules import cli
from scripts.demo_seed import CITY, DATASETS
from tests.integration.harvest_support import reference, register
from tests.integration.hvd.test_hvd import AIR, METEO, _service, compliant

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

BLANK = re.compile(r"_:[A-Za-z0-9_.-]+")


def _fixture_datasets(org: str) -> dict[str, dict]:
    """The own datasets tests/integration/hvd/ creates, one of each kind, and a private one."""
    no_licence = compliant(org, name="weather-stations", category=METEO, license_id="")
    for res in no_licence["resources"]:
        res.pop("license")
    no_contact = compliant(org, name="air-api-no-contact")
    no_contact["resources"][1]["access_services"] = [_service(contact=[], documentation=[])]
    fee = compliant(org, name="royalties-air")
    fee["resources"][0]["rights"] = "Royalties are due for commercial reuse of these data."
    datasets = [
        fee,
        compliant(org),
        no_licence,
        compliant(org, name="benches", hvd_category=[]),
        compliant(org, name="weather", category=METEO, title="Wetter"),
        no_contact,
        compliant(org, name="escaped", title_en='<script>alert("hvd")</script>'),
        compliant(org, name="private-air", private=True),
    ]
    return {d["name"]: call_action("package_create", **d) for d in datasets}


@pytest.fixture
def datasets() -> dict[str, dict]:
    fixtures = _fixture_datasets(factories.Organization(name="umweltamt")["id"])
    city = factories.Organization(**CITY)["id"]
    demo = {d["name"]: call_action("package_create", owner_org=city, **d) for d in DATASETS}
    partner = register("alba-iulia", "http://127.0.0.1:9/")
    partner_ref = reference(
        partner,
        "alba-aq",
        "aq",
        title="Calitatea aerului",
        hvd_category=[AIR],
        resources=[{"url": "https://alba-iulia.example/aq.csv", "format": "CSV"}],
    )
    return {**fixtures, **demo, "alba-aq": partner_ref}


def _download(app, path: str) -> str:
    admin = factories.SysadminWithToken()
    return app.get(path, headers={"Authorization": admin["token"]}).body


def _closure(graph: rdflib.Graph, uri: str) -> rdflib.Graph:
    """A dataset's own triples: what it reaches, and the services serving it and its catalogue
    records with theirs."""
    start = rdflib.URIRef(uri)
    todo = deque(
        [
            start,
            *graph.subjects(DCAT.servesDataset, start),
            *graph.subjects(FOAF.primaryTopic, start),
        ]
    )
    seen, out = set(), rdflib.Graph()
    while todo:
        node = todo.popleft()
        if node in seen:
            continue
        seen.add(node)
        for p, o in graph.predicate_objects(node):
            out.add((node, p, o))
            if not isinstance(o, rdflib.Literal):
                todo.append(o)
    return out


def _verdicts(report: dict) -> dict[str, tuple]:
    """Per dataset URI: status and every result (blank-node labels and the order of
    evidence lines follow the serialization, so they are normalized)."""
    out = {}
    for ds in report["datasets"]:
        results = []
        for r in ds["results"]:
            r = {**r, "evidence": sorted(BLANK.sub("_:b", e) for e in r.get("evidence") or [])}
            results.append((r["rule"], r["outcome"], json.dumps(r, sort_keys=True)))
        results.sort()
        out[ds["uri"]] = (ds["status"], ds["in_scope"], results, ds.get("eu_reporting"))
    return out


@pytest.mark.ckan_config("ckanext.partnercity.hvd.country", "DEU")
def test_the_check_reads_exactly_the_published_rdf(app, datasets, tmp_path):
    run = call_action("partnercity_hvd_check")
    portal = call_action("partnercity_hvd_report", run_id=run["id"])["report"]
    turtle = _download(app, "/hvd/report.ttl")
    published = rdflib.Graph().parse(data=turtle, format="turtle")

    own = list(checks.iter_datasets("own"))
    description = describe.describe(own)  # what build_report serializes for its run
    check_input = rdflib.Graph().parse(data=description.graph().serialize(format="nt"), format="nt")
    by_name = {pkg["name"]: uri for uri, pkg in description.packages.items()}
    assert set(by_name) == {n for n, p in datasets.items() if p.get("type") == "dataset"}
    exported = {str(d) for d in published.subjects(RDF.type, DCAT.Dataset)}
    checked = {ds["uri"]: ds for ds in portal["datasets"]}

    for name, pkg in datasets.items():
        if pkg["type"] != "dataset":
            continue  # partners' references: checked from their dicts, never published
        uri = by_name[name]
        in_scope = bool(pkg.get("hvd_category"))
        assert (uri in checked) is in_scope, name  # the run checks every dataset in scope
        if in_scope:  # mapped back to CKAN by dataset URI
            assert (checked[uri]["ckan_id"], checked[uri]["ckan_name"]) == (pkg["id"], name)
        if in_scope and not pkg["private"]:
            assert uri in exported, name
            ours, theirs = _closure(check_input, uri), _closure(published, uri)
            assert len(ours) > 10, name
            assert isomorphic(ours, theirs), name
        else:  # out of scope or private: checked (if in scope) but never published
            assert uri not in exported, name
    assert {pkg["name"] for pkg in datasets.values() if pkg.get("type") == "partner_dataset"}
    assert not any("alba" in uri for uri in exported | set(checked))

    # the standalone checker on the download gives the portal's verdicts
    ttl = tmp_path / "report.ttl"
    ttl.write_text(turtle, encoding="utf-8")
    out = tmp_path / "standalone.json"
    result = CliRunner().invoke(cli.main, ["check", str(ttl), "-o", str(out)])
    assert result.exit_code == 0, result.output
    standalone = _verdicts(json.loads(out.read_text()))
    public = {uri: v for uri, v in _verdicts(portal).items() if uri in exported}
    assert set(standalone) == exported == set(public)
    assert standalone == public
    fee = standalone[by_name["royalties-air"]]  # the rights text reaches the check via dct:rights
    assert fee[0] == "non_compliant"
    assert ("hvd.fees.free-of-charge", "fail") in {(r[0], r[1]) for r in fee[2]}
    statuses = {v[0] for v in standalone.values()}
    assert statuses >= {"needs_attestation", "non_compliant"}  # both sides of a violation
    # the EU view reads the reporting country and the catalogue records from the export too
    counted = {uri for uri, v in standalone.items() if v[3]["counted"]}
    assert counted and all(v[3]["criteria"]["catalogue_record"] for v in standalone.values())


def test_private_datasets_are_checked_from_the_same_description(datasets):
    run = call_action("partnercity_hvd_check", ids=["private-air", "air-quality"])
    report = call_action("partnercity_hvd_report", run_id=run["id"])["report"]
    status = {d["ckan_name"]: (d["status"], d["uri"]) for d in report["datasets"]}
    # both are described alike, so they get the same verdict under their own URIs
    assert status["private-air"][0] == status["air-quality"][0] == "needs_attestation"
    assert status["private-air"][1].endswith(datasets["private-air"]["id"])


def test_datasets_sharing_a_uri_are_one_dataset_in_the_check_as_in_the_export(app):
    org = factories.Organization(name="umweltamt")["id"]
    uri = "https://data.city.example/dataset/air"
    first = call_action("package_create", **compliant(org, name="air-a", uri=uri))
    call_action("package_create", **compliant(org, name="air-b", uri=uri, title="Luft B"))
    run = call_action("partnercity_hvd_check")
    report = call_action("partnercity_hvd_report", run_id=run["id"])["report"]
    assert [(d["uri"], d["ckan_id"]) for d in report["datasets"]] == [(uri, first["id"])]
    published = rdflib.Graph().parse(data=_download(app, "/hvd/report.ttl"), format="turtle")
    assert {str(d) for d in published.subjects(RDF.type, DCAT.Dataset)} == {uri}
    titles = {str(t) for t in published.objects(rdflib.URIRef(uri), rdflib.DCTERMS.title)}
    assert "Luft B" in titles  # both datasets' triples, in the export as in the check


def test_the_three_rdf_downloads_hold_the_same_graph(app):
    org = factories.Organization(name="umweltamt")["id"]
    call_action("package_create", **compliant(org))
    call_action("package_create", **compliant(org, name="weather", category=METEO))
    graphs = {
        fmt: rdflib.Graph().parse(data=_download(app, f"/hvd/report.{ext}"), format=fmt)
        for ext, fmt in (("ttl", "turtle"), ("jsonld", "json-ld"), ("rdf", "xml"))
    }
    assert len(set(graphs["turtle"].subjects(RDF.type, DCAT.Dataset))) == 2
    assert isomorphic(graphs["turtle"], graphs["json-ld"])
    assert isomorphic(graphs["turtle"], graphs["xml"])
