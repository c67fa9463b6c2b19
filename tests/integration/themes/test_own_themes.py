"""Our own datasets on the shared themes, on the real stack (PostgreSQL, Solr): the demo's
datasets, created as ``make demo`` creates them, are each on a shared theme through their
HVD category or DCAT theme, and the compare matrix counts them."""

from __future__ import annotations

import copy
import csv
import importlib.util
import io
from pathlib import Path

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

EU = "http://publications.europa.eu/resource/authority/data-theme"
ENVI, TRAN, SOCI, ECON, HEAL = (f"{EU}/{code}" for code in ("ENVI", "TRAN", "SOCI", "ECON", "HEAL"))
ROOT = Path(__file__).resolve().parents[3]


def _demo_datasets() -> list[dict]:
    """``DATASETS`` of scripts/demo_seed.py (the demo's own datasets), as the demo has them."""
    spec = importlib.util.spec_from_file_location("demo_seed", ROOT / "scripts" / "demo_seed.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return copy.deepcopy(module.DATASETS)


def _create_demo_datasets() -> dict[str, dict]:
    org = factories.Organization(name="arnsberg")
    return {
        d["name"]: call_action("package_create", owner_org=org["id"], **d) for d in _demo_datasets()
    }


def _themes_by_name() -> dict[str, set[str]]:
    """Each own dataset's shared themes as Solr has them (one facet query per dataset)."""
    out = {}
    for pkg in call_action("package_search", fq="-dataset_type:partner_dataset", rows=100)[
        "results"
    ]:
        facets = call_action(
            "package_search",
            fq=f'name:"{pkg["name"]}"',
            rows=0,
            **{"facet.field": ["partnercity_theme"]},
        )["facets"]
        out[pkg["name"]] = set(facets.get("partnercity_theme", {}))
    return out


def _own_counts() -> dict[str, int]:
    matrix = call_action("partnercity_compare")
    return {
        theme["uri"]: theme["counts"]["_site"]
        for theme in matrix["themes"]
        if theme["counts"]["_site"]
    }


def test_demo_datasets_get_shared_themes_when_created():
    call_action("partnercity_scheme_load", bundled=True)
    created = _create_demo_datasets()
    themes = _themes_by_name()
    for name, pkg in created.items():
        if pkg.get("hvd_category"):
            assert themes[name] & {ENVI, TRAN, SOCI, ECON}, (name, themes[name])
    assert ENVI in themes["arnsberg-weather-stations"]  # HVD Meteorological
    assert TRAN in themes["arnsberg-road-network"]  # HVD Transport networks (Mobility)
    assert ENVI in themes["arnsberg-air-quality"]  # HVD Air (Earth observation and environment)
    assert SOCI in themes["arnsberg-population"]  # HVD Population (Statistics)
    counts = _own_counts()
    assert counts[ENVI] >= 2 and counts[TRAN] >= 1 and counts[SOCI] >= 1, counts


def test_demo_refresh_maps_datasets_created_before_the_vocabularies(ckan_cli, app):
    """``make demo`` seeds first and then runs ``themes refresh``: the same result."""
    _create_demo_datasets()
    assert not any(_themes_by_name().values())  # no vocabularies yet: a write never loads them
    loaded = ckan_cli("partnercity", "themes", "load", "--bundled")
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    result = ckan_cli("partnercity", "themes", "refresh")
    assert result.returncode == 0, result.stderr[-2000:]
    themes = _themes_by_name()
    assert ENVI in themes["arnsberg-weather-stations"]
    assert TRAN in themes["arnsberg-road-network"]
    page = app.get("/partner-cities/compare.csv")
    assert page.status_code == 200
    _header, *lines = csv.reader(io.StringIO(page.body.lstrip("\ufeff")))
    ours = {row[0]: int(row[2]) for row in lines}
    assert ours[TRAN] >= 1 and ours[ENVI] >= 2, ours


def test_hvd_category_mappings_are_alignments_and_can_be_rejected():
    call_action("partnercity_scheme_load", bundled=True)
    created = _create_demo_datasets()
    weather = created["arnsberg-weather-stations"]["hvd_category"][0]
    own = [m for m in call_action("partnercity_mapping_list") if m["partner_id"] is None]
    rows = [m for m in own if m["category"] == weather]
    assert {(m["origin"], m["concept"], m["relation"]) for m in rows} >= {
        ("alignment", ENVI, "broadMatch")
    }
    envi = next(m for m in rows if m["concept"] == ENVI)
    admin = factories.Sysadmin()
    decided = call_action(
        "partnercity_mapping_decide", {"user": admin["name"]}, id=envi["id"], decision="reject"
    )
    assert decided["datasets_updated"] == 1
    assert ENVI not in _themes_by_name()["arnsberg-weather-stations"]


def test_a_dcat_theme_puts_a_dataset_on_that_theme_and_an_update_maps_a_new_one():
    call_action("partnercity_scheme_load", bundled=True)
    org = factories.Organization()
    pkg = call_action(
        "package_create", owner_org=org["id"], name="budget", title="Budget", notes="Budget",
        theme=[ECON],
    )  # fmt: skip
    assert _themes_by_name()["budget"] == {ECON}
    call_action("package_patch", id=pkg["id"], theme=[ECON, HEAL])
    assert _themes_by_name()["budget"] == {ECON, HEAL}
    counts = _own_counts()
    assert counts[ECON] == 1 and counts[HEAL] == 1


def _demo_module():
    spec = importlib.util.spec_from_file_location("demo_seed", ROOT / "scripts" / "demo_seed.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_declared_own_dataset_is_on_a_theme_and_compare_counts_each_one():
    """The demo's datasets (declared and undeclared) plus one that says only its DCAT theme:
    each with an HVD category or a DCAT theme is on at least one shared theme, and the
    compare matrix's column of our city counts exactly the datasets Solr has on each theme."""
    call_action("partnercity_scheme_load", bundled=True)
    demo = _demo_module()
    org = factories.Organization(name="arnsberg")
    budget = {
        "name": "arnsberg-budget",
        "title": "Haushalt",
        "notes": "Haushaltsplan",
        "theme": [ECON],
    }
    created = {
        d["name"]: call_action("package_create", owner_org=org["id"], **copy.deepcopy(d))
        for d in [*demo.DATASETS, *demo.UNDECLARED, budget]
    }
    themes = _themes_by_name()
    declared = [n for n, p in created.items() if p.get("hvd_category") or p.get("theme")]
    assert len(declared) == sum(bool(d.get("hvd_category")) for d in demo.DATASETS) + 1 >= 5
    assert [n for n in declared if not themes[n]] == []
    expected: dict[str, int] = {}
    for found in themes.values():
        for uri in found:
            expected[uri] = expected.get(uri, 0) + 1
    counts = _own_counts()
    shared = {uri: n for uri, n in expected.items() if uri.startswith(EU)}
    assert shared and {uri: counts.get(uri, 0) for uri in shared} == shared


def test_the_review_shows_our_hvd_categories_by_their_label():
    call_action("partnercity_scheme_load", bundled=True)
    created = _create_demo_datasets()
    meteo = created["arnsberg-weather-stations"]["hvd_category"][0]
    rows = call_action("partnercity_mapping_list", lang="de")
    assert {m["category_label"] for m in rows if m["category"] == meteo} == {"Meteorologie"}
    assert {m["category_label"] for m in rows if m["category"] == "weather"} == {None}


def test_the_skos_export_names_an_hvd_category_by_its_label(app):
    """In /partner-cities/themes/mappings.ttl (and the partnership graph) our HVD category is
    a concept with the vocabulary's label and an exactMatch to the HVD concept, not a concept
    whose label is a bare IRI."""
    import rdflib
    from rdflib.namespace import SKOS

    from ckanext.partnercity.themes.export import skos_problems

    call_action("partnercity_scheme_load", bundled=True)
    weather = _create_demo_datasets()["arnsberg-weather-stations"]["hvd_category"][0]
    graph = rdflib.Graph().parse(data=app.get("/partner-cities/themes/mappings.ttl").body)
    labels = {str(o) for o in graph.objects(None, SKOS.prefLabel)}
    assert not [label for label in labels if label.startswith("http")], labels
    local = next(graph.subjects(SKOS.exactMatch, rdflib.URIRef(weather)))
    assert str(graph.value(local, SKOS.prefLabel)) == "Meteorological"
    assert (local, SKOS.broadMatch, rdflib.URIRef(ENVI)) in graph
    assert skos_problems(graph) == []
