"""The bundled HVD-category → EU data-theme alignment: loading and the hierarchy walk."""

from __future__ import annotations

import re

from ckanext.partnercity.themes.skos.hvd_themes import (
    HVD_THEMES_FILE,
    HVD_THEMES_SOURCE,
    bundled_hvd_themes,
    load_hvd_themes,
)
from ckanext.partnercity.themes.skos.schemes import (
    EU_THEME_SCHEME,
    HVD_SCHEME,
    bundled_concepts,
    bundled_schemes,
)

EU = EU_THEME_SCHEME + "/"
HVD = "http://data.europa.eu/bna/"
AIR, METEO, POPULATION, TRANSPORT_NETWORKS = (
    HVD + "c_63b37dd4",
    HVD + "c_164e0bf5",
    HVD + "c_f2b50efd",
    HVD + "c_4b74ea13",
)
STATISTICS, MOBILITY, EO_ENV = HVD + "c_e1da4e07", HVD + "c_b79e35eb", HVD + "c_dd313021"


def _top_categories() -> list[str]:
    (scheme,) = [s for s in bundled_schemes() if s.uri == HVD_SCHEME]
    return [c.uri for c in scheme.concepts if not c.broader]


def test_every_top_category_has_statements_of_its_own_onto_eu_themes():
    themes = bundled_hvd_themes()
    tops = _top_categories()
    assert len(tops) == 6
    eu_themes = {c.uri for c in bundled_concepts(EU_THEME_SCHEME)}
    for top in tops:
        assert themes.statements.get(top), top
    for pairs in themes.statements.values():
        for relation, theme in pairs:
            assert theme in eu_themes
            assert relation in ("closeMatch", "broadMatch")


def test_all_96_hvd_categories_reach_a_shared_theme():
    themes = bundled_hvd_themes()
    categories = bundled_concepts(HVD_SCHEME)
    assert len(categories) == 96
    assert [c.uri for c in categories if not themes.themes_for(c.uri)] == []


def test_demo_categories_land_on_the_expected_themes():
    themes = bundled_hvd_themes()
    assert themes.themes_for(METEO) == [("broadMatch", EU + "ENVI")]
    assert themes.themes_for(MOBILITY) == [("closeMatch", EU + "TRAN")]
    # A narrower category inherits: the top's closeMatch theme is broader than it.
    assert themes.themes_for(TRANSPORT_NETWORKS) == [("broadMatch", EU + "TRAN")]
    assert themes.themes_for(AIR) == [("broadMatch", EU + "ENVI")]
    # Its own statement wins over its top's (Statistics: SOCI and ECON).
    assert themes.themes_for(POPULATION) == [("broadMatch", EU + "SOCI")]
    assert themes.themes_for(STATISTICS) == [
        ("broadMatch", EU + "ECON"),
        ("broadMatch", EU + "SOCI"),
    ]


def test_unknown_iris_and_labels_give_nothing():
    themes = bundled_hvd_themes()
    assert themes.themes_for(HVD + "c_00000000") == []
    assert themes.themes_for("Umwelt") == []
    assert themes.themes_for(EU + "ENVI") == []


def test_every_statement_carries_a_justification_comment():
    lines = HVD_THEMES_FILE.read_text(encoding="utf-8").splitlines()
    statements = [i for i, line in enumerate(lines) if line.startswith("hvd:")]
    assert len(statements) == len(
        [uri for uri in bundled_hvd_themes().statements if uri.startswith(HVD)]
    )
    for i in statements:
        explained = "#" in lines[i] or lines[i - 1].startswith("#")
        assert explained, lines[i]
    assert re.search(r"reg_impl/2023/138", "\n".join(lines))


def test_a_partnership_alignment_loads_from_bytes_with_its_own_hierarchy():
    turtle = b"""
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    @prefix theme: <http://publications.europa.eu/resource/authority/data-theme/> .
    <http://example.org/top> skos:exactMatch theme:ENER .
    <http://example.org/odd> skos:narrowMatch theme:TECH .
    """
    broader = {
        "http://example.org/child": ["http://example.org/top"],
        "http://example.org/leaf": ["http://example.org/odd"],
        # a cycle in a defective hierarchy must not loop
        "http://example.org/a": ["http://example.org/b"],
        "http://example.org/b": ["http://example.org/a"],
    }
    themes = load_hvd_themes(turtle, broader=broader)
    assert themes.themes_for("http://example.org/top") == [("exactMatch", EU + "ENER")]
    assert themes.themes_for("http://example.org/child") == [("broadMatch", EU + "ENER")]
    # A narrower theme seen through the hierarchy says little: relatedMatch.
    assert themes.themes_for("http://example.org/leaf") == [("relatedMatch", EU + "TECH")]
    assert themes.themes_for("http://example.org/a") == []


def test_entries_are_read_by_the_published_alignment_reader():
    from ckanext.partnercity.themes.skos.alignments import load_alignment

    entries = load_alignment(HVD_THEMES_FILE, name=HVD_THEMES_SOURCE, shared_prefixes=(EU,))
    # As a published alignment of local (HVD) IRIs: no labels invented from the IRIs.
    assert entries and all(e.local_uri.startswith(HVD) and not e.local_labels for e in entries)
