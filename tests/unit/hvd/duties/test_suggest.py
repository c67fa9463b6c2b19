"""suggest(): the interface the CKAN action and the CLI rely on, and municipal titles in the
ten languages the issue names (each a case the matcher could get wrong)."""

from __future__ import annotations

import pytest

from ckanext.partnercity.hvd.duties import suggest
from ckanext.partnercity.hvd.duties.suggest import MAX_LIMIT
from ckanext.partnercity.hvd.rules.vocabulary import concept_index

B = "http://data.europa.eu/bna/"
NOISE, LAND_USE, ADDRESSES = B + "c_e4358335", B + "c_ad9ae929", B + "c_c3de25e4"
BUILDINGS, CADASTRE, ADMIN = B + "c_60182062", B + "c_6a3f6896", B + "c_9427236f"
TRANSPORT, WEATHER, POPULATION = B + "c_4b74ea13", B + "c_3af3368c", B + "c_f2b50efd"
RISK, PROTECTED, ORTHO = B + "c_63be22bd", B + "c_83aa10a6", B + "c_91185a85"


def top(title: str, lang: str, **more) -> dict | None:
    [suggestions] = suggest([{"title": title, "lang": lang, **more}])
    return suggestions[0] if suggestions else None


@pytest.mark.parametrize(
    ("lang", "title", "expected"),
    [
        ("de", "Strategische Lärmkarten Straßenverkehr 2022", NOISE),  # compound, umlaut
        ("de", "Stadt Köln: Umgebungslaerm Nacht", NOISE),  # ae spelling, inside a compound
        ("nl", "Geluidskaart wegverkeer", NOISE),  # Dutch compound with linking s
        ("ro", "Harta strategică de zgomot", NOISE),
        ("pl", "Mapa akustyczna miasta", NOISE),
        ("cs", "Strategická hluková mapa", NOISE),
        ("es", "Mapa estratégico de ruido", NOISE),
        ("pt", "Mapa de ruído do concelho", NOISE),
        ("fr", "Plan local d'urbanisme (PLU)", LAND_USE),
        ("de", "Bebauungspläne", LAND_USE),
        ("it", "Piano regolatore generale", LAND_USE),
        ("pl", "Miejscowy plan zagospodarowania przestrzennego", LAND_USE),
        ("cs", "Územní plán obce", LAND_USE),
        ("nl", "Bestemmingsplannen", LAND_USE),
        ("es", "Direcciones postales", ADDRESSES),
        ("en", "Address points", ADDRESSES),
        ("en", "Building footprints", BUILDINGS),
        ("de", "Gebäudeumringe", BUILDINGS),
        ("fr", "Parcelles cadastrales", CADASTRE),
        ("pl", "Działki ewidencyjne", CADASTRE),
        ("de", "Verwaltungsgrenzen", ADMIN),
        ("en", "Administrative boundaries", ADMIN),
        ("de", "Haltestellen des ÖPNV", TRANSPORT),
        ("en", "Weather station readings", WEATHER),
        ("de", "Wetterstation Messwerte", WEATHER),
        ("de", "Bevölkerung nach Altersgruppen", POPULATION),
        ("en", "Population by age", POPULATION),
        ("de", "Überschwemmungsgebiete", RISK),
        ("en", "Flood zones", RISK),
        ("de", "Naturschutzgebiete", PROTECTED),
        ("it", "Ortofoto 2020", ORTHO),  # only the da/sl/sv label says "Ortofoto"
        ("en", "Orthophotos 2023", ORTHO),  # ph spelling
    ],
)
def test_municipal_titles_get_the_annex_item(lang, title, expected):
    best = top(title, lang)
    assert best is not None, title
    assert best["category"] == expected
    assert best["confidence"] >= 0.5


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("de", "Öffnungszeiten der Bibliotheken"),
        ("en", "Council meeting minutes"),
        ("fr", "Agenda des événements culturels"),
        ("de", "Veranstaltungskalender"),
        ("nl", "Openingstijden stadskantoor"),
        ("it", "Biblioteche comunali"),
        ("de", "Statistik der Bibliotheksausleihen"),  # "Statistik" alone names no Annex item
        ("fr", "Délibérations du conseil municipal"),
    ],
)
def test_clearly_non_hvd_titles_are_not_probably_in_scope(lang, title):
    best = top(title, lang)
    assert best is None or best["confidence"] < 0.5


def test_output_is_aligned_with_the_input_and_has_the_agreed_keys():
    items = [
        {"title": "Lärmkarte", "lang": "de"},
        {"title": "Veranstaltungen", "lang": "de"},
        {"title": "Building footprints", "lang": "en", "notes": "", "tags": ["buildings"]},
    ]
    out = suggest(items)
    assert len(out) == 3
    assert out[1] == []
    for suggestion in out[0] + out[2]:
        assert set(suggestion) == {"category", "confidence", "annex", "evidence"}
        assert suggestion["category"] in concept_index()
        assert 0 <= suggestion["confidence"] <= 1
        assert suggestion["evidence"] and all(isinstance(w, str) for w in suggestion["evidence"])
    assert out[0][0]["annex"].startswith("Annex §2 Earth observation and environment")
    assert "INSPIRE Annex III theme 2 'Buildings'" in out[2][0]["annex"]


def test_best_first_and_limit_respected():
    item = {"title": "Lärmkarte und Bebauungsplan, Adressen, Gebäude", "lang": "de"}
    [three] = suggest([item])
    [one] = suggest([item], limit=1)
    assert len(three) == 3
    assert [s["confidence"] for s in three] == sorted(
        (s["confidence"] for s in three), reverse=True
    )
    assert one == three[:1]
    [many] = suggest([item], limit=1000)
    assert len(many) <= MAX_LIMIT


def test_the_most_specific_concept_is_named_not_its_parent():
    best = top("Lärmkarte", "de", notes="Umwelt und Erdbeobachtung: Lärm")
    assert best["category"] == NOISE  # not the top concept Earth observation and environment


def test_a_word_only_in_the_notes_is_weak_evidence():
    title_only = top("Adressen", "de")
    notes_only = top("Museen - Standorte", "de", notes="Attribute: NAME, ADRESSE, PLZ")
    assert title_only["confidence"] >= 0.5
    assert notes_only is None or notes_only["confidence"] < 0.5


def test_tags_count_as_evidence():
    assert top("Datensatz 17", "de") is None
    tagged = top("Datensatz 17", "de", tags=["Lärmkarte", "Umgebungslärm"])
    assert tagged["category"] == NOISE


@pytest.mark.parametrize(
    "item",
    [
        {},
        {"title": None, "notes": None, "tags": None, "lang": None},
        {"title": 42, "notes": ["x"], "tags": "Lärm", "lang": 7},
        {"title": "", "lang": "xx"},
        {"title": "!!! ??? ###", "lang": "de"},
        {"title": "\x00\ufeff" * 50, "lang": "de"},
    ],
)
def test_empty_or_garbage_items_give_no_suggestion_and_no_error(item):
    assert suggest([item]) == [[]]


def test_non_dict_items_get_an_empty_list_in_their_place():
    out = suggest(["Lärmkarte", None, {"title": "Lärmkarte", "lang": "de"}, 5])
    assert out[0] == out[1] == out[3] == []
    assert out[2][0]["category"] == NOISE


def test_no_datasets_and_odd_limits():
    assert suggest([]) == []
    assert suggest(None) == []
    item = {"title": "Lärmkarte und Bebauungsplan, Adressen", "lang": "de"}
    assert suggest([item], limit="x") == suggest([item], limit=3)
    assert len(suggest([item], limit=0)[0]) == 1


def test_unknown_language_matches_labels_of_every_language():
    assert top("Geluidskaart", "")["category"] == NOISE
    assert top("Geluidskaart", "klingon")["category"] == NOISE


def test_results_of_a_large_call_equal_those_of_single_calls():
    """No state leaks between items; the core has no cap of its own (the action has 1,000)."""
    titles = ["Lärmkarte", "Veranstaltungen", "Adressen", "Bebauungsplan", "Friedhöfe"]
    batch = [{"title": f"{titles[i % 5]} {i}", "lang": "de"} for i in range(2000)]
    out = suggest(batch)
    assert len(out) == 2000
    for i in (0, 1, 2, 3, 4, 1997, 1998, 1999):
        assert out[i] == suggest([batch[i]])[0]


def test_long_notes_are_read_only_at_their_start():
    """A description is read for its first 600 characters: the cost per item is bounded."""
    late = top("Datensatz", "de", notes="x " * 400 + "Lärmkarte")
    early = top("Datensatz", "de", notes="Lärmkarte " + "x " * 400)
    assert late is None
    assert early["category"] == NOISE
