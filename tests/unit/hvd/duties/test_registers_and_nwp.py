"""The sourced terms added for NWP model data (WMO terminology, the HVD cs label) and for the
business registers of Directive (EU) 2017/1132 Art. 16, with the cases they must not catch."""

from __future__ import annotations

import pytest

from ckanext.partnercity.hvd.duties import suggest
from ckanext.partnercity.hvd.duties.lexicon import lexicon

B = "http://data.europa.eu/bna/"
NWP, COMPANY_BASICS, WEATHER = B + "c_13e3cf16", B + "c_56a1bf47", B + "c_3af3368c"


def top(item: dict) -> dict | None:
    [found] = suggest([item])
    return found[0] if found and found[0]["confidence"] >= 0.5 else None


@pytest.mark.parametrize(
    ("lang", "title", "tags"),
    [
        ("fr", "Données PNT - rétention 14 jours", []),  # the French acronym in a title
        ("fr", "Paquets Arome - Résolution 0,025°", ["pnt", "pnt-arome-metropole"]),  # tag only
        ("fr", "Archives de prévision numérique", []),
        ("de", "Numerische Wettervorhersage ICON-D2", []),
        ("nl", "Numerieke weersvoorspelling HARMONIE", []),
        ("cs", "Numerická předpověď počasí ALADIN", []),
        ("pl", "Numeryczna prognoza pogody COAMPS", []),
        ("es", "Predicción numérica HARMONIE-AROME", []),
    ],
)
def test_numerical_weather_prediction_gives_nwp_model_data(lang, title, tags):
    found = top({"title": title, "lang": lang, "tags": tags})
    assert found is not None and found["category"] == NWP, found
    assert "Annex §3 Meteorological" in found["annex"]


@pytest.mark.parametrize(
    ("lang", "title", "notes"),
    [
        # "temps" (time or weather) and "numérique" alone are no NWP evidence.
        ("fr", "Base des reliures numérisées", "Collection numérique, temps de consultation"),
        ("fr", "Temps de parcours numériques des bus", ""),
        ("it", "Archivio numerico del tempo libero", ""),
    ],
)
def test_digital_or_time_words_alone_are_not_nwp(lang, title, notes):
    [found] = suggest([{"title": title, "notes": notes, "lang": lang}])
    assert NWP not in {s["category"] for s in found if s["confidence"] >= 0.5}


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("fr", "Banque-Carrefour des Entreprises - Fichier complet"),
        ("nl", "Kruispuntbank van Ondernemingen - Open data"),
        ("fr", "Extrait du registre du commerce et des sociétés"),
        ("fr", "Base Sirene : répertoire SIRENE des entreprises"),
        ("es", "Estadística del Registro Mercantil"),
        ("pl", "Krajowy Rejestr Sądowy - dane podmiotów"),
        ("cs", "Obchodní rejstřík - otevřená data"),
        ("it", "Registro delle imprese - estratto"),
        ("en", "National business register extract"),
    ],
)
def test_business_registers_give_basic_company_information(lang, title):
    found = top({"title": title, "lang": lang})
    assert found is not None and found["category"] == COMPANY_BASICS, found
    assert "Annex §5" in found["annex"]


def test_a_trade_tag_is_not_a_business_register():
    """One-word compound register names were left out: 'Handel' must not find them."""
    item = {"title": "Liefer- und Abholservices (Gastronomie)", "lang": "de",
            "tags": ["handel", "wirtschaft", "handel-und-verbrauch"]}  # fmt: skip
    assert top(item) is None


def test_weather_stays_a_content_word_in_english():
    """'weather' folds to the 4-letter stem 'weat': used by a third concept it would turn into a
    function word; the English NWP expansion is left out so weather-station titles still need it."""
    assert lexicon().weight[("en", "weat")] > 0
    found = top({"title": "Weather station readings", "lang": "en"})
    assert found is not None and found["category"] == WEATHER


@pytest.mark.parametrize(
    ("lang", "title", "expected"),
    [
        ("da", "INSPIRE - Adresser", B + "c_c3de25e4"),
        ("da", "Støjkort for vejtrafik", B + "c_e4358335"),
        ("nl", "Adressenregister Gent", B + "c_c3de25e4"),
        ("nl", "Lijst Smileys", None),  # the FAVV/AFSCA lists of the labelled set
        ("nl", "Codelijst FAVV activiteiten", None),
        ("nl", "Openingsuren bibliotheek", None),
        ("nl", "Notulen van de gemeenteraad", None),
    ],
)
def test_danish_and_dutch_titles_of_the_new_sources(lang, title, expected):
    found = top({"title": title, "lang": lang})
    assert (found["category"] if found else None) == expected, found
