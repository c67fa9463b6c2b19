"""Dataset names inside the HVD labels ("Climate data: validated observations", "National
accounts – GDP main aggregates") and the sourced terms for climatological series, births,
deaths and external trade: each a case the finder got wrong before."""

from __future__ import annotations

import pytest

from ckanext.partnercity.hvd.duties import suggest
from ckanext.partnercity.hvd.duties.lexicon import label_variants
from ckanext.partnercity.hvd.rules.vocabulary import concept_index

B = "http://data.europa.eu/bna/"
CLIMATE_DATA, ENV_CLIMATE = B + "c_36807466", B + "c_59e64dd4"
FERTILITY, MORTALITY, TRADE = B + "c_6a7250c1", B + "c_4acb6bf3", B + "c_20cd11bb"
GDP, STATISTICS = B + "c_b72b721f", B + "c_e1da4e07"


def top(title: str, lang: str, notes: str = "") -> dict | None:
    [found] = suggest([{"title": title, "notes": notes, "lang": lang}])
    return found[0] if found and found[0]["confidence"] >= 0.5 else None


def test_a_label_with_a_colon_or_dash_also_gives_its_name():
    assert label_variants("Climate data: validated observations") == [
        "Climate data: validated observations",
        "Climate data",
    ]
    assert label_variants("National accounts – GDP main aggregates")[-1] == "National accounts"
    # A hyphen inside a word is no separator.
    assert label_variants("Kraków-Podgórze") == ["Kraków-Podgórze"]


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("fr", "Données climatologiques de base - quotidiennes"),
        ("fr", "Données climatiques de la station de Lyon"),
        ("de", "Klimadaten der Station Köln-Bonn"),
        ("en", "Climatological data: monthly series 1951-2020"),
        ("es", "Datos climatológicos diarios"),
        ("it", "Dati climatici giornalieri"),
        ("nl", "Klimaatgegevens De Bilt"),
        ("pl", "Dane klimatyczne - stacja Warszawa"),
    ],
)
def test_climate_data_is_the_meteorological_item_not_the_environmental_climate(lang, title):
    found = top(title, lang)
    assert found is not None and found["category"] == CLIMATE_DATA, found
    assert "Annex §3 Meteorological" in found["annex"]


def test_climate_policy_without_data_words_stays_environmental():
    found = top("Plan climat-air-énergie territorial", "fr")
    assert found is None or found["category"] != CLIMATE_DATA


@pytest.mark.parametrize(
    ("lang", "title", "expected"),
    [
        ("de", "Geburten in Düsseldorf seit 2016", FERTILITY),
        ("de", "Sterbefälle nach Stadtbezirken", MORTALITY),
        ("fr", "Naissances domiciliées par commune", FERTILITY),
        ("fr", "Décès par commune de résidence", MORTALITY),
        ("en", "Live births by mother's age", FERTILITY),
        ("fr", "Statistiques nationales du commerce extérieur", TRADE),
        ("de", "Außenhandel nach Warengruppen", TRADE),
        ("es", "Cuentas nacionales trimestrales", None),  # a Statistics item, see below
    ],
)
def test_demography_and_trade_terms(lang, title, expected):
    found = top(title, lang)
    assert found is not None
    if expected:
        assert found["category"] == expected, found
    assert concept_index().top(found["category"]) == STATISTICS


def test_birthday_events_are_not_births_statistics_by_accident():
    """'Geburtstag' starts with 'Geburt': the one accepted risk of a one-word term; a
    municipal events list says 'Veranstaltungen' and gets nothing at 0.5."""
    assert top("Veranstaltungskalender der Stadtbibliothek", "de") is None


ADMIN, POVERTY, MONITORING, WEATHER = (
    B + "c_9427236f",
    B + "c_04bf94a3",
    B + "c_7b8fbb64",
    B + ("c_3af3368c"),
)


@pytest.mark.parametrize(
    ("lang", "title", "tags", "expected"),
    [
        ("fr", "Code Officiel Géographique (COG)", [], ADMIN),
        ("fr", "Délimitations maritimes", ["limites-maritimes"], ADMIN),
        ("en", "Territorial sea and exclusive economic zone limits", [], ADMIN),
        ("fr", "Privations matérielles et sociales", [], POVERTY),
        ("de", "Armutsgefährdungsquote nach Stadtteilen", [], POVERTY),
        ("en", "At-risk-of-poverty rate by household type", [], POVERTY),
        ("fr", "Stations hydrométriques - Réunion", [], MONITORING),
        ("es", "Estaciones hidrométricas de la cuenca del Ebro", [], MONITORING),
    ],
)
def test_sourced_names_of_admin_units_poverty_and_hydrometric_stations(lang, title, tags, expected):
    [found] = suggest([{"title": title, "lang": lang, "tags": tags}])
    assert found and found[0]["category"] == expected and found[0]["confidence"] >= 0.5, found


@pytest.mark.parametrize(
    ("lang", "title", "notes"),
    [
        # One-word compound names were left out: 'Gemeinde' must not find a register.
        ("de", "Veranstaltungen der Gemeinde Wachtendonk", ""),
        ("de", "Öffnungszeiten der Verwaltung", ""),
        # 'maritime' plus a 'zone' somewhere is no maritime unit (MaritimeZone left out).
        ("fr", "Fête maritime de Brest", "Programme des animations de la zone portuaire"),
    ],
)
def test_common_words_do_not_find_the_new_admin_unit_terms(lang, title, notes):
    [found] = suggest([{"title": title, "notes": notes, "lang": lang}])
    assert ADMIN not in {s["category"] for s in found if s["confidence"] >= 0.5}, found


def test_a_weather_station_title_still_means_weather_stations():
    [found] = suggest([{"title": "Stations météorologiques : relevés horaires", "lang": "fr"}])
    assert found[0]["category"] == WEATHER
