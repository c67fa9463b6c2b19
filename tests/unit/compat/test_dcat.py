"""Pins the ckanext-dcat internals in compat/dcat.py (run on CKAN 2.11 and 2.12)."""

from __future__ import annotations

from rdflib import URIRef

from ckanext.partnercity.compat.dcat import DatasetParser, prefer_language

CATALOGUE = b"""
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://partner.example/catalog> a dcat:Catalog ;
    dcat:dataset <https://partner.example/d/air>, <https://partner.example/d/bus> .
<https://partner.example/d/air> a dcat:Dataset ;
    dct:title "Air quality"@en, "Luftqualitaet"@de .
<https://partner.example/d/bus> a dcat:Dataset ; dct:title "Bus stops"@en .
"""


def _parser(language: str | None = None) -> DatasetParser:
    parser = DatasetParser(profiles=["euro_dcat_ap_2"], compatibility_mode=False)
    if language:
        prefer_language(parser, language)
    parser.parse(CATALOGUE, _format="turtle")
    return parser


def test_one_dataset_at_a_time():
    """RDFParser._datasets still decides which datasets datasets() walks."""
    parser = _parser()
    assert parser.dataset(URIRef("https://partner.example/d/bus"))["title"] == "Bus stops"
    assert parser.dataset(URIRef("https://partner.example/d/air"))["title"] == "Air quality"


def test_profiles_take_the_partner_language():
    """RDFParser._profiles and the profiles' _default_lang still choose among translations."""
    assert _parser("de").dataset(URIRef("https://partner.example/d/air"))["title"] == (
        "Luftqualitaet"
    )
