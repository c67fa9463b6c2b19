"""Official multilingual labels as suggester evidence: INSPIRE themes, HVD categories (no CKAN).

Issue 15 §5: names in every EU language from official vocabularies used as data, measured
per language by bench/theme_languages_bench.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ckanext.partnercity.themes.lexicon import LexiconEntry
from ckanext.partnercity.themes.skos.alignments import AlignmentEntry, bundled_alignments
from ckanext.partnercity.themes.skos.hvd_themes import hvd_themes_from
from ckanext.partnercity.themes.skos.official_labels import (
    INSPIRE_LABELS_SOURCE,
    INSPIRE_THEME_BASE,
    bundled_official_entries,
    hvd_entries,
    inspire_entries,
    inspire_theme_labels,
)
from ckanext.partnercity.themes.skos.schemes import (
    EU_THEME_BASE,
    EU_THEME_SCHEME,
    HVD_SCHEME,
    Concept,
    bundled_concepts,
)
from ckanext.partnercity.themes.suggest.suggester import Suggester

EU = EU_THEME_SCHEME
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
LANGUAGE_SET = FIXTURES / "themes" / "eu_languages" / "category_names.json"
#: The 24 official EU languages less ga and hr, which the EEA file predates.
INSPIRE_LANGUAGES = set("bg cs da de el en es et fi fr hu it lt lv mt nl pl pt ro sk sl sv".split())


def theme(code: str) -> str:
    return EU_THEME_BASE + code


@pytest.fixture(scope="module")
def before():
    """The suggester without the official labels (the tree before them)."""
    return Suggester(bundled_concepts(EU), bundled_alignments(), official=())


@pytest.fixture(scope="module")
def after():
    return Suggester(bundled_concepts(EU), bundled_alignments())


def real_names(lang: str) -> dict[str, list[str]]:
    """Label -> truth codes of the labelled real portal names of one language."""
    items = json.loads(LANGUAGE_SET.read_text(encoding="utf-8"))["items"]
    return {i["label"]: i["truth"] for i in items if i["lang"] == lang}


# -- the INSPIRE theme labels ----------------------------------------------------


def test_bundled_inspire_labels_name_all_34_themes_in_23_languages_by_register_iri():
    labels = inspire_theme_labels()
    assert len(labels) == 34
    assert all(iri.startswith(INSPIRE_THEME_BASE) for iri in labels)
    assert all(set(by_lang) >= INSPIRE_LANGUAGES for by_lang in labels.values())
    land_use = labels[INSPIRE_THEME_BASE + "lu"]
    assert land_use["cs"] == ["Využití území"]
    assert land_use["hu"] == ["Földhasználat"]
    assert land_use["pt"] == ["Uso do solo"]


def test_every_themes_labels_reach_the_eu_themes_semic_maps_it_to():
    entries = bundled_official_entries()
    semic = {
        (e.local_uri, e.concept, e.relation) for e in bundled_alignments() if e.source == "inspire"
    }
    assert {(e.local_uri, e.concept, e.relation) for e in entries} == semic
    assert {e.source for e in entries} == {INSPIRE_LABELS_SOURCE}


def test_a_numbered_eea_concept_becomes_its_register_iri_and_one_without_a_code_is_skipped():
    rdf = """<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:skos="http://www.w3.org/2004/02/skos/core#">
  <skos:Concept rdf:about="http://rdfdata.eionet.europa.eu/inspirethemes/themes/17">
    <skos:prefLabel xml:lang="sk">Využitie územia</skos:prefLabel>
    <skos:prefLabel xml:lang="en">Land use</skos:prefLabel>
    <skos:altLabel>lu</skos:altLabel>
  </skos:Concept>
  <skos:Concept rdf:about="http://rdfdata.eionet.europa.eu/inspirethemes/themes/99">
    <skos:prefLabel xml:lang="en">No code</skos:prefLabel>
  </skos:Concept>
</rdf:RDF>""".encode()
    assert inspire_theme_labels(rdf) == {
        INSPIRE_THEME_BASE + "lu": {"en": ["Land use"], "sk": ["Využitie územia"]}
    }


def test_an_unreadable_theme_file_is_a_clear_error():
    with pytest.raises(ValueError, match="cannot parse"):
        inspire_theme_labels(b"<rdf:RDF this is not xml")


def test_themes_an_alignment_does_not_map_give_no_entries():
    labels = {INSPIRE_THEME_BASE + "lu": {"cs": ["Využití území"]}}
    other = AlignmentEntry(INSPIRE_THEME_BASE + "hy", {}, "broadMatch", theme("ENVI"), "x")
    assert inspire_entries(labels, [other]) == []


# -- the suggester uses them, with their language --------------------------------


def test_every_eu_data_theme_preflabel_in_every_language_is_a_suggester_label(after):
    concepts = [c for c in bundled_concepts(EU) if c.uri != theme("OP_DATPRO")]
    seen_languages = set()
    for concept in concepts:
        for lang, label in concept.pref_labels.items():
            found = after.suggest(label, lang, scheme=EU)
            assert found and found[0].concept == concept.uri, (lang, label)
            assert found[0].relation == "exactMatch", (lang, label)
            seen_languages.add(lang)
    assert INSPIRE_LANGUAGES | {"ga", "hr"} <= seen_languages


def test_an_official_label_counts_most_in_its_own_language(after):
    in_czech = after.suggest("Vodopis", "cs", scheme=EU)
    in_german = after.suggest("Vodopis", "de", scheme=EU)
    assert {s.concept for s in in_czech} == {theme("ENVI"), theme("TECH")}  # SEMIC: hy
    assert in_czech[0].relation == "broadMatch"
    assert in_czech[0].confidence > in_german[0].confidence


def test_official_labels_are_never_applied_without_review():
    # They weigh as the lexicon's INSPIRE names: under the auto-apply level (0.9).
    suggester = Suggester(bundled_concepts(EU), bundled_alignments(), lexicon=())
    for label, lang in [("Dopravní sítě", "cs"), ("Vízrajz", "hu"), ("Redes de transporte", "pt")]:
        found = suggester.suggest(label, lang, scheme=EU)
        assert found and found[0].confidence < 0.9, label


def test_a_label_of_several_subjects_matches_as_a_whole_only(before, after):
    # INSPIRE "Saúde humana e segurança" (hh -> HEAL) must not make "segurança" health.
    assert after.suggest("Defesa e Segurança", "pt", scheme=EU)[0].concept == theme("JUST")
    whole = after.suggest("Saúde humana e segurança", "pt", scheme=EU)
    assert whole[0].concept == theme("HEAL")
    assert before.suggest("Saúde humana e segurança", "pt", scheme=EU)[0].confidence < (
        whole[0].confidence
    )


# -- Czech, Hungarian, Portuguese, spatial planning --------------------------------


def test_portuguese_portal_names_now_get_the_right_theme(before, after):
    # dados.gov.pt subcategories (tests/fixtures/themes/eu_languages)
    names = real_names("pt")
    for label in (
        "Caracterização do Uso do Solo e Ordenamento do Território",
        "Planos Setoriais e Bacias Hidrográficas",
    ):
        right = {theme(code) for code in names[label]}
        now = after.suggest(label, "pt", scheme=EU)
        assert now and now[0].concept in right, label
        was = before.suggest(label, "pt", scheme=EU)
        assert not was or was[0].confidence < now[0].confidence, label


def test_czech_and_hungarian_inspire_names_now_get_the_theme_semic_gives(before, after):
    # No Hungarian portal's category list was found; these are the official names
    # Czech and Hungarian geoportals file their INSPIRE data under.
    cases = [
        ("Dopravní sítě", "cs", {"TRAN"}),
        ("Vodopis", "cs", {"ENVI", "TECH"}),
        ("Közlekedési hálózatok", "hu", {"TRAN"}),
        ("Vízrajz", "hu", {"ENVI", "TECH"}),
        ("Épületek", "hu", {"REGI"}),
    ]
    for label, lang, codes in cases:
        now = after.suggest(label, lang, scheme=EU)
        assert now and now[0].concept in {theme(c) for c in codes}, label
        was = before.suggest(label, lang, scheme=EU)
        assert not was or was[0].confidence < now[0].confidence, label


def test_spatial_planning_names_get_a_suggestion_in_several_languages(before, after):
    land_use = {theme("REGI"), theme("ENVI"), theme("ECON")}
    for label, lang in [
        ("Využití území", "cs"),
        ("Földhasználat", "hu"),
        ("Uso do solo", "pt"),
        ("Využitie územia", "sk"),
        ("Maankäyttö", "fi"),
        ("Caracterização do Uso do Solo e Ordenamento do Território", "pt"),
    ]:
        found = after.suggest(label, lang, scheme=EU)
        assert found and found[0].concept in land_use, (label, lang)
    assert before.suggest("Využití území", "cs", scheme=EU) == []


def test_a_lexicon_term_of_the_names_language_is_not_split_by_an_inspire_name(before, after):
    # Polish lexicon: "Zagospodarowanie przestrzenne" is REGI; the Polish INSPIRE name
    # of Land use is the same words, which SEMIC maps to ECON and ENVI. Round 1 split
    # the lexicon's REGI three ways (0.85 -> 0.28); the direct term decides.
    name = "Zagospodarowanie przestrzenne"
    now = after.suggest(name, "pl", scheme=EU)
    assert [s.concept for s in now] == [theme("REGI")]
    assert now == before.suggest(name, "pl", scheme=EU)
    # In another language the Polish term is not the reader's word: the official
    # Polish name still counts, and the themes stay split.
    other = after.suggest(name, "cs", scheme=EU)
    assert {s.concept for s in other} == {theme("REGI"), theme("ECON"), theme("ENVI")}


def test_a_direct_term_hides_only_the_themes_an_alignment_fans_out_to():
    concepts = [Concept(theme(c), EU, pref_labels={"en": c}) for c in ("REGI", "ECON", "ENVI")]
    lu = INSPIRE_THEME_BASE + "lu"
    official = [
        AlignmentEntry(lu, {"pl": ["Uzytki"]}, "broadMatch", theme(c), "x")
        for c in ("ECON", "ENVI")
    ]
    direct = [LexiconEntry(theme("REGI"), "pl", "Uzytki")]
    with_term = Suggester(concepts, [], lexicon=direct, official=official)
    assert [s.concept for s in with_term.suggest("Uzytki", "pl")] == [theme("REGI")]
    assert with_term.suggest("Uzytki", "pl")[0].confidence == 0.85  # the lexicon's own
    # Slovak asker: the Polish term is a foreign word, the fan-out stays.
    assert {s.concept for s in with_term.suggest("Uzytki", "sk")} == {
        theme("REGI"),
        theme("ECON"),
        theme("ENVI"),
    }
    # No direct term: the alignment's split is all there is.
    alone = Suggester(concepts, [], lexicon=(), official=official)
    found = alone.suggest("Uzytki", "pl")
    assert {s.concept for s in found} == {theme("ECON"), theme("ENVI")}
    assert found[0].confidence == found[1].confidence


def test_a_word_several_inspire_themes_share_does_not_find_one_of_them(before, after):
    # sv "förhållanden" is in three INSPIRE theme names (ac, mf, of): "Levnadsförhållanden"
    # (living conditions, Statistics Sweden -> SOCI) must not become ENVI through it.
    for label, lang in [("Levnadsförhållanden", "sv"), ("Boligforhold", "da")]:
        found = after.suggest(label, lang, scheme=EU)
        assert theme("ENVI") not in {s.concept for s in found}, label
        assert found == before.suggest(label, lang, scheme=EU), label
    whole = after.suggest("Atmosfäriska förhållanden", "sv", scheme=EU)
    assert whole and whole[0].concept == theme("ENVI")


def test_generic_official_words_are_found_per_vocabulary_concept_and_language():
    concepts = [Concept(theme(c), EU, pref_labels={"en": c}) for c in ("ENVI", "TRAN")]
    base = INSPIRE_THEME_BASE
    official = [
        AlignmentEntry(
            base + "ac", {"sv": ["Luft forhallanden"]}, "broadMatch", theme("ENVI"), "x"
        ),
        AlignmentEntry(base + "of", {"sv": ["Hav forhallanden"]}, "broadMatch", theme("ENVI"), "x"),
        AlignmentEntry(
            base + "tn",
            {"sv": ["Vag natverk"], "da": ["Vej forhallanden"]},
            "broadMatch",
            theme("TRAN"),
            "x",
        ),
    ]
    suggester = Suggester(concepts, [], lexicon=(), official=official)
    # two sv concepts share "forhallanden": generic in sv, not in da (one concept there)
    assert suggester._generic_official_words() == {("sv", "forhallanden")}
    assert suggester.suggest("forhallanden", "sv") == []
    assert [s.concept for s in suggester.suggest("forhallanden", "da")][:1] == [theme("TRAN")]
    assert suggester.suggest("luft", "sv")[0].concept == theme("ENVI")


# -- HVD category labels (built, measured, not used by default) ---------------------


def test_hvd_category_labels_carry_every_language_and_inherit_the_broader_theme():
    top = Concept("urn:hvd:mobility", HVD_SCHEME, pref_labels={"cs": "Mobilita", "en": "Mobility"})
    narrow = Concept("urn:hvd:stops", HVD_SCHEME, pref_labels={"pt": "Paragens"})
    themes = hvd_themes_from(
        [AlignmentEntry("urn:hvd:mobility", {}, "closeMatch", theme("TRAN"), "hvd")],
        {"urn:hvd:stops": ["urn:hvd:mobility"]},
    )
    entries = hvd_entries([top, narrow], themes)
    assert [(e.local_uri, e.relation, e.concept) for e in entries] == [
        ("urn:hvd:mobility", "closeMatch", theme("TRAN")),
        ("urn:hvd:stops", "broadMatch", theme("TRAN")),
    ]
    assert entries[0].local_labels == {"cs": ["Mobilita"], "en": ["Mobility"]}
    assert entries[1].local_labels == {"pt": ["Paragens"]}


def test_polish_sport_and_tourism_keeps_its_lexicon_theme(after):
    # the INSPIRE name "Sporządzanie ortoobrazów" (orthoimagery) once read "sport" as its stem
    found = after.suggest("Sport i Turystyka", "pl", scheme=EU)
    assert found and found[0].concept == theme("EDUC")
