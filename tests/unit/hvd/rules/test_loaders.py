"""The normalized model from CKAN dicts (ckanext-dcat/scheming names) and from RDF."""

from __future__ import annotations

import json

import pytest

from ckanext.partnercity.hvd.rules import loaders, predicates
from ckanext.partnercity.hvd.rules.model import ident
from tests.support.xml_bombs import MILD, billion_laughs

from .cases import ELI, POPULATION, good_package, package


def test_ckan_dict_maps_to_dcat_properties():
    rec = loaders.record_from_ckan(good_package())
    assert rec.uri == "https://data.example.org/dataset/population"
    assert rec.legislation() == [ELI] and rec.categories() == [POPULATION]
    assert rec.title() == "Population"
    assert len(rec.distributions) == 2 and len(rec.services) == 1
    svc = rec.services[0]
    assert [v.id for v in svc.values("dcat:endpointURL")] == [
        "https://data.example.org/api/population/v1"
    ]
    assert [v.id for v in svc.values("dcat:servesDataset")] == [rec.uri]
    assert [v.id for v in svc.values("dcat:contactPoint/vcard:hasEmail")] == [
        "mailto:api@example.org"
    ]


def test_ckan_values_as_json_strings_extras_and_single_strings():
    pkg = package(applicable_legislation=None, hvd_category=None)
    pkg["extras"] = [
        {"key": "applicable_legislation", "value": json.dumps([ELI])},
        {"key": "hvd_category", "value": POPULATION},
    ]
    rec = loaders.record_from_ckan(pkg)
    assert rec.legislation() == [ELI] and rec.categories() == [POPULATION]


def test_dataset_licence_is_used_for_resources_without_one():
    pkg = good_package()
    for res in pkg["resources"]:
        res.pop("license")
    rec = loaders.record_from_ckan(pkg)
    assert [ident(v) for v in rec.distributions[0].values("dct:license")] == ["cc-by-4.0"]


def test_dataset_level_access_services_serve_the_dataset():
    pkg = good_package()
    svc = pkg["resources"][1].pop("access_services")[0]
    pkg["access_services"] = [svc]
    rec = loaders.record_from_ckan(pkg)
    assert predicates.has_api(rec.node, rec)[0]


def test_package_show_and_package_search_answers_are_recognised():
    show = json.dumps({"success": True, "result": good_package()}).encode()
    search = json.dumps({"result": {"count": 2, "results": [good_package(), good_package()]}})
    assert len(loaders.load(show, "x.json").datasets) == 1
    assert len(loaders.load(search.encode(), "x.json").datasets) == 2


def test_json_ld_is_read_as_rdf():
    doc = {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "r5r": "http://data.europa.eu/r5r/"},
        "@id": "https://data.example.org/ds/1",
        "@type": "dcat:Dataset",
        "r5r:applicableLegislation": {"@id": ELI},
    }
    cat = loaders.load(json.dumps(doc).encode(), "x.jsonld")
    assert cat.datasets[0].legislation() == [ELI]


def test_access_service_of_a_distribution_is_an_api_in_rdf():
    ttl = f"""
    @prefix dcat: <http://www.w3.org/ns/dcat#> .
    <https://x.example/ds> a dcat:Dataset ; dcat:distribution <https://x.example/d> .
    <https://x.example/d> a dcat:Distribution ; dcat:accessService <https://x.example/api> .
    <https://x.example/api> a dcat:DataService ;
        <http://data.europa.eu/r5r/applicableLegislation> <{ELI}> .
    """.encode()
    cat = loaders.load(ttl, "x.ttl")
    assert [s.id for s in cat.datasets[0].services] == ["https://x.example/api"]
    assert cat.services == []  # attached, so not reported as a loose service


def test_broken_rdf_raises_load_error():
    with pytest.raises(loaders.LoadError):
        loaders.load(b"<a> <b> .", "x.ttl")
    with pytest.raises(loaders.LoadError):
        loaders.load(b"{not json", "x.json")


def test_rdfxml_declaring_entities_is_refused_before_pyoxigraph():
    with pytest.raises(loaders.LoadError, match="entity declarations"):
        loaders.load(billion_laughs(levels=MILD), name="catalogue.rdf")


def test_json_nested_too_deep_is_a_load_error():
    with pytest.raises(loaders.LoadError, match="nesting too deep"):
        loaders.load(b"[" * 100_000 + b"]" * 100_000, name="deep.json")
