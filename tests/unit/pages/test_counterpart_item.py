"""How the counterpart adapter hands a CKAN dataset to the core ranker."""

from __future__ import annotations

import pytest

from ckanext.partnercity.pages.counterparts import item


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        # what a DCAT-AP partner (Alba Iulia's CKAN) stores: the EU language authority
        (["http://publications.europa.eu/resource/authority/language/RON"], "ro"),
        ("http://publications.europa.eu/resource/authority/language/DEU/", "de"),
        (["fr"], "fr"),
        ("pt_BR", "pt"),
        (["Romanian"], ""),
        (None, ""),
        ([], ""),
        ([5], ""),
    ],
)
def test_the_language_reaches_the_ranker_as_a_two_letter_code(language, expected):
    assert item({"id": "x", "title": "T", "language": language})["lang"] == expected


def test_language_versions_and_version_key_are_passed_on():
    pkg = {
        "id": "x",
        "title": "Calitatea aerului",
        "metadata_modified": "2026-12-05T10:00:00",
        "partner_translations": '{"title": {"de": "Luftqualität", "ro": "Calitatea aerului"}}',
    }
    got = item(pkg)
    assert got["titles"] == {"de": "Luftqualität", "ro": "Calitatea aerului"}
    assert got["version"] == "2026-12-05T10:00:00"
