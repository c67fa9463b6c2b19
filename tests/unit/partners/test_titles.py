"""Which language version of a partner's title a reader sees, and in which language it is."""

from __future__ import annotations

import json

import pytest

from ckanext.partnercity.partners import titles

RO = "Calitatea aerului în municipiul Alba Iulia – 2023"
VERSIONS = {
    "title": {"ro": RO, "de": "Luftqualität in der Stadt Alba Iulia – 2023"},
    "description": {"ro": "Valori orare", "de": "Stündliche Messwerte"},
}


def test_the_readers_language_version_is_shown_when_the_partner_offers_one():
    shown = titles.shown(RO, VERSIONS, ["ro"], "de")
    assert shown == titles.ShownText("Luftqualität in der Stadt Alba Iulia – 2023", "de", True)


def test_stored_json_text_is_read_like_the_dict():
    assert titles.shown(RO, json.dumps(VERSIONS), [], "de").lang == "de"
    assert titles.shown("x", VERSIONS, [], "de", "description").text == "Stündliche Messwerte"


def test_without_the_readers_language_the_original_keeps_its_own_language():
    shown = titles.shown(RO, VERSIONS, [], "en")
    # the original's language is the version whose text it is
    assert shown == titles.ShownText(RO, "ro", False)


@pytest.mark.parametrize(
    ("declared", "lang"),
    [
        (["http://publications.europa.eu/resource/authority/language/RON"], "ro"),
        (["RON"], "ro"),
        (["ro"], "ro"),
        (["", "not a language!", "fr"], "fr"),
        ([], ""),
    ],
)
def test_without_versions_the_declared_language_is_the_originals(declared, lang):
    assert titles.shown(RO, "", declared, "de") == titles.ShownText(RO, lang, False)


def test_a_regional_or_locale_variant_matches_its_base_language():
    versions = {"title": {"de-ch": "Luftqualität", "pt-br": "Qualidade do ar"}}
    assert titles.shown("Aer", versions, [], "de").text == "Luftqualität"
    assert titles.shown("Aer", versions, [], "pt_BR") == titles.ShownText(
        "Qualidade do ar", "pt-br", True
    )


def test_a_version_equal_to_the_original_is_the_original_in_that_language():
    versions = {"title": {"it": "Curricula 2017/2018", "en": "Curricula 2017/2018"}}
    shown = titles.shown("Curricula 2017/2018", versions, ["it"], "en")
    assert shown == titles.ShownText("Curricula 2017/2018", "en", False)


@pytest.mark.parametrize("broken", ["{not json", "[1]", {"title": "x"}, {"title": {"de": 3}}, None])
def test_unreadable_versions_fall_back_to_the_original(broken):
    assert titles.shown(RO, broken, ["ro"], "de") == titles.ShownText(RO, "ro", False)


def test_search_text_holds_every_version_once():
    text = titles.search_text(json.dumps(VERSIONS))
    assert text.split("\n") == [
        "Luftqualität in der Stadt Alba Iulia – 2023",
        RO,
        "Stündliche Messwerte",
        "Valori orare",
    ]
    assert titles.search_text("") == ""


def test_a_machine_translation_is_marked_as_one():
    """data.europa.eu's English title of VIA University College's Danish dataset."""
    versions = {
        "title": {"da": "Medarbejdere ved VIA", "en": "Staff at VIA"},
        "machine_translated": {"en": "machine"},
    }
    shown = titles.shown("Medarbejdere ved VIA", versions, ["da"], "en")
    assert shown == titles.ShownText("Staff at VIA", "en", True, True)
    assert titles.shown("Medarbejdere ved VIA", versions, ["da"], "de").machine is False
    assert titles.search_text(versions) == "Medarbejdere ved VIA\nStaff at VIA"
