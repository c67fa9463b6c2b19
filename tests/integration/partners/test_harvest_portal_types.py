"""Each portal type end to end into CKAN: DCAT-AP catalogues and Opendatasoft."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import rdflib
from ckan.tests.helpers import call_action

from tests.integration.harvest_support import harvest, references, register, searchable
from tests.support.fake_portals import load_datasets, ods_portal
from tests.support.http_server import serve

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

DCAT = Path(__file__).resolve().parents[2] / "fixtures" / "dcat"
RDF_XML = {"Content-Type": "application/rdf+xml"}


def _file_server(name: str, content_type: dict):
    body = (DCAT / name).read_bytes()
    return serve(lambda method, path, query: (200, content_type, body))


def test_dcat_ap_de_catalogue_of_berlin_datasets():
    with _file_server("govdata-ckanext-dcatde_berlin-derived_dcat-ap-de_catalog.rdf", RDF_XML) as s:
        register("berlin", s.url + "/catalog.rdf", portal_type="dcat", country="DE")
        run = harvest("berlin")
    assert run["status"] == "succeeded", run["errors"]
    stored = references("berlin")
    assert len(stored) == 6
    assert searchable("berlin") == set(stored)
    themes = {theme for p in stored.values() for theme in p["partner_categories"]}
    assert any(
        t.startswith("http://publications.europa.eu/resource/authority/data-theme/") for t in themes
    )
    assert all(p["resources"] for p in stored.values())


def test_dcat_ap_de_hvd_fields_are_kept_as_published():
    with _file_server("rostock_opendata-hro_ckan_dcat-ap-de_dataset.rdf", RDF_XML) as s:
        register("rostock", s.url + "/dataset.rdf", portal_type="dcat", country="DE")
        run = harvest("rostock")
    assert run["status"] == "succeeded", run["errors"]
    (reference,) = references("rostock").values()
    assert reference["hvd_category"] == ["http://data.europa.eu/bna/c_e1da4e07"]
    assert any("2023/138" in url for url in reference["applicable_legislation"])
    assert len(reference["resources"]) == 9


def test_dcat_ap_it_catalogue_keeps_italian_text():
    with _file_server("dati-unibo_ckan_dcat-ap-it_catalog.rdf", RDF_XML) as s:
        register("bologna", s.url + "/catalog.rdf", portal_type="dcat", country="IT")
        call_action("partnercity_partner_update", id="bologna", languages=["it"])
        run = harvest("bologna")
    assert run["status"] == "succeeded", run["errors"]
    titles = {p["title"] for p in references("bologna").values()}
    assert len(titles) == 12
    assert {"Corsi di studio", "Bilancio sociale"} <= titles
    assert not any(title.startswith(("Degree programmes", "Social report")) for title in titles)


def test_dcat_dataset_gone_from_catalogue_is_withdrawn():
    source = (DCAT / "govdata-ckanext-dcatde_berlin-derived_dcat-ap-de_catalog.rdf").read_bytes()
    state = {"body": source}
    with serve(lambda m, p, q: (200, RDF_XML, state["body"])) as server:
        register("berlin", server.url + "/catalog.rdf", portal_type="dcat", country="DE")
        harvest("berlin")
        graph = rdflib.Graph().parse(data=source, format="xml")
        dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
        victim = next(graph.subjects(rdflib.RDF.type, dcat.Dataset))
        for triple in list(graph.triples((victim, None, None))):
            graph.remove(triple)
        for triple in list(graph.triples((None, None, victim))):
            graph.remove(triple)
        state["body"] = graph.serialize(format="xml").encode()
        run = harvest("berlin")
    assert run["status"] == "succeeded", run["errors"]
    assert run["counts"]["withdrawn"] == 1
    assert len(searchable("berlin")) == 5


def test_opendatasoft_portal_in_french():
    datasets = copy.deepcopy(load_datasets("opendatasoft/mulhouse.json"))
    with serve(ods_portal(datasets)) as server:
        register("mulhouse", server.url, portal_type="opendatasoft", country="FR")
        run = harvest("mulhouse")
        again = harvest("mulhouse")
    assert run["status"] == "succeeded", run["errors"]
    stored = references("mulhouse")
    assert set(stored) == {d["dataset_id"] for d in datasets}
    assert again["counts"]["unchanged"] == len(datasets)
    trees = stored["arbres-d-alignement"]
    assert trees["partner_landing_page"] == f"{server.url}/explore/dataset/arbres-d-alignement/"
    formats = {r["format"] for r in trees["resources"]}
    assert {"CSV", "JSON", "GeoJSON"} <= formats
    assert any("Environnement" in c for c in trees["partner_categories"])
    found = call_action("package_search", q="arbres", fq="+dataset_type:partner_dataset")
    assert found["count"] >= 1
