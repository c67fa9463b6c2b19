"""Text folding, the lexicon built from the official sources, and the Annex line."""

from __future__ import annotations

import json

import pytest

from ckanext.partnercity.hvd.duties.annex import annex_text
from ckanext.partnercity.hvd.duties.lexicon import (
    Phrase,
    _data,
    _inspire_phrases,
    build,
    label_variants,
    lexicon,
)
from ckanext.partnercity.hvd.duties.text import fold, stem, tokens
from ckanext.partnercity.hvd.rules.vocabulary import concept_index

B = "http://data.europa.eu/bna/"


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Straßenlärm", "strassenlaerm"),
        ("Laerm", "laerm"),
        ("Działki", "dzialki"),
        ("Územní", "uzemni"),
        ("Orthophoto", "ortofoto"),
        ("ŒUVRE", "oeuvre"),
    ],
)
def test_fold(raw, folded):
    assert fold(raw) == folded


def test_stem_cuts_one_ending_and_keeps_three_letters():
    assert stem("parcelles").startswith(stem("parcelle"))  # matching is by prefix
    assert stem("eau") == "eau"
    assert stem("adressen") == stem("adresse") == "adress"


def test_tokens_split_on_punctuation_and_fold():
    assert tokens("Plan local d'urbanisme (PLU)") == ["plan", "local", "d", "urbanisme", "plu"]
    assert tokens("") == []


def test_label_variants_split_written_alternatives():
    assert label_variants("Flurstücke/Grundstücke (Katasterparzellen)") == [
        "Flurstücke",
        "Grundstücke",
        "Katasterparzellen",
    ]
    assert label_variants("Area management / restriction / regulation zones") == [
        "Area management / restriction / regulation zones"
    ]
    assert label_variants("Aids (e.g. buoys, beacons)") == ["Aids"]


def test_function_words_are_found_from_the_labels_not_from_a_list():
    lex = lexicon()
    for lang, word in [("fr", "de"), ("fr", "la"), ("de", "und"), ("en", "of"), ("de", "von")]:
        assert lex.weight[(lang, word)] == 0, (lang, word)
    # A short word that is a whole label on its own is not a function word.
    for lang, word in [("fr", "eau"), ("en", "air"), ("fr", "air")]:
        assert lex.weight[(lang, stem(fold(word)))] > 0, (lang, word)


def test_weights_fall_with_the_number_of_concepts_using_a_stem():
    a, b, c = B + "c_e4358335", B + "c_ad9ae929", B + "c_c3de25e4"
    lex = build(
        [
            Phrase(a, "xx", ("foo", "bar"), "t"),
            Phrase(b, "xx", ("foo", "baz"), "t"),
            Phrase(c, "xx", ("qux",), "t"),
        ]
    )
    assert lex.weight[("xx", "foo")] == 0.5
    assert lex.weight[("xx", "bar")] == 1.0
    assert sorted(lex.postings[("xx", "foo")]) == [0, 1]


def test_every_hvd_concept_has_phrases_in_the_ten_languages_of_the_issue():
    lex = lexicon()
    covered = {(p.concept, p.lang) for p in lex.phrases if p.source == "hvd-vocabulary"}
    for uri in concept_index().pref_labels:
        for lang in ("de", "en", "fr", "it", "nl", "ro", "pl", "es", "cs", "pt"):
            assert (uri, lang) in covered, (uri, lang)


def test_inspire_themes_feed_only_the_hvd_concepts_of_the_same_name():
    inspire = {p.source.split(":", 1)[1]: p.concept for p in _inspire_phrases()}
    assert inspire["http://inspire.ec.europa.eu/theme/ad"] == B + "c_c3de25e4"
    assert inspire["http://inspire.ec.europa.eu/theme/tn"] == B + "c_4b74ea13"
    # Statistical units has no HVD concept of that name: it feeds none.
    assert "http://inspire.ec.europa.eu/theme/su" not in inspire


def test_every_term_cites_a_source_and_names_a_concept_of_the_scheme():
    doc = json.loads(_data("terms.json").read_text(encoding="utf-8"))
    index = concept_index()
    for entry in doc["terms"]:
        assert len(entry["source"]) > 20
        assert B + entry["concept"] in index
        assert 0 < entry.get("factor", 1) <= 1
        assert all(isinstance(t, str) and t for terms in entry["labels"].values() for t in terms)


def test_annex_text_names_section_legislation_and_inspire_theme():
    assert annex_text(B + "c_6a3f6896").startswith(
        "Annex §1 Geospatial — INSPIRE Directive 2007/2/EC"
    )
    assert "Annex I theme 6 'Cadastral parcels'" in annex_text(B + "c_6a3f6896")
    assert annex_text(B + "c_b79e35eb").startswith("Annex §6 Mobility")
    assert "item" not in annex_text(B + "c_e1da4e07")  # a top concept names no item
    assert "'Noise'" in annex_text(B + "c_e4358335")
