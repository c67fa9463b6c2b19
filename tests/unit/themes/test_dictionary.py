"""The dictionary bridge of counterparts, on the real FreeDict dictionaries that
scripts/install.sh installs (Debian's dict-freedict-* packages, /usr/share/dictd)."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from ckanext.partnercity.themes import counterparts, dictionary, overlap

INSTALLED = Path("/usr/share/dictd")


@pytest.fixture(autouse=True)
def _installed_dictionaries():
    dictionary.configure(str(INSTALLED))
    yield
    dictionary.configure(str(INSTALLED))


def test_the_installer_names_every_dictionary_the_tests_read():
    script = (Path(__file__).parents[3] / "scripts" / "install.sh").read_text()
    for pair in ("deu-spa", "deu-fra", "deu-eng", "deu-swe", "deu-nld", "eng-spa"):
        assert f"dict-freedict-{pair}" in script
        assert (INSTALLED / f"freedict-{pair}.index").is_file()


def test_a_german_noun_reads_its_spanish_translations_in_any_inflection():
    book = dictionary.load("de", "es")
    assert ("cementerio",) in book.translations("friedhof")
    assert book.translations("friedhofe") == book.translations("friedhof")  # Friedhöfe
    assert ("calidad", "aire") in book.translations("luftqualitat")


def test_german_definitions_and_other_parts_of_speech_are_no_translations():
    book = dictionary.load("de", "es")
    every = {w for phrase in book.translations("haltestelle") for w in phrase}
    assert "parada" in every
    assert not every & {"verkehrsmittel", "stelle", "halten"}  # the German definition
    assert book.translations("seit") == ()  # a preposition names no subject


def test_dictzip_reads_one_chunk_like_the_whole_file():
    data = INSTALLED / "freedict-deu-spa.dict.dz"
    whole = gzip.decompress(data.read_bytes())
    reader = dictionary.DictZip(data)
    for offset in (0, reader.chunk - 20, len(whole) - 50):
        assert reader.read(offset, 40) == whole[offset : offset + 40]


def test_a_missing_or_broken_dictionary_is_no_bridge_and_no_error(tmp_path):
    assert dictionary.load("de", "xx") is None
    assert dictionary.load("de", "de") is None
    shutil.copy(INSTALLED / "freedict-deu-spa.index", tmp_path / "freedict-deu-spa.index")
    (tmp_path / "freedict-deu-spa.dict.dz").write_bytes(b"not gzip at all")
    dictionary.configure(str(tmp_path))
    assert dictionary.load("de", "es") is None
    own = {"id": "o", "title": "Friedhöfe", "lang": "de"}
    assert counterparts.rank(own, [{"id": "r", "title": "Cementerios", "lang": "es"}]) == []
    dictionary.configure("")
    assert dictionary.load("de", "es") is None


def _profile(title: str, lang: str) -> counterparts.Profile:
    return counterparts.profile({"title": title, "lang": lang})


def test_a_title_word_meets_its_translation_not_a_similar_word():
    own = _profile("Friedhöfe", "de")
    assert overlap.translated("friedhofe", own, _profile("Cementerios municipales", "es"))
    assert overlap._word_in("parada", frozenset({"paradas"})) == "paradas"
    assert overlap._word_in("personal", frozenset({"personas"})) == ""
    # the same language needs no dictionary
    assert overlap.translated("friedhofe", own, _profile("Friedhof Melaten", "de")) == ()


def test_a_compound_translates_only_when_all_its_parts_do():
    own = _profile("Badegewässer", "de")
    # "Gewässer" is "water"; without "bathing", a water dataset is not about bathing waters
    assert overlap.translated("badegewasser", own, _profile("water", "nl")) == ()


def test_a_dictionary_counterpart_found_with_its_reason():
    own = {"id": "o", "title": "Friedhöfe", "lang": "de"}
    refs = [
        {"id": "air", "title": "Calidad del aire", "lang": "es"},
        {"id": "cem", "title": "Cementerios municipales", "lang": "es"},
    ]
    (found,) = counterparts.rank(own, refs)
    assert found.id == "cem"
    assert found.reasons[0].text == "title: friedhofe ↔ cementerios"
    assert found.reasons[0].translated


def test_a_translation_matching_half_our_title_is_partial():
    """A noise map of road traffic is no traffic dataset: a dictionary-only match needs more
    than half of our title (``same_subject.TRANSLATED_SHARE``); a spelled match a third."""
    transport = [counterparts.EU_THEME_SCHEME + "/TRAN"]  # both in Transport: score enough
    own = {"id": "o", "title": "Lärmkarte Straßenverkehr", "lang": "de", "themes": transport}
    traffic = {"id": "t", "title": "Tráfico", "lang": "es", "themes": transport}
    mine, theirs = _profile(own["title"], "de"), _profile(traffic["title"], "es")
    assert overlap.translated("strassenverkehr", mine, theirs)
    assert counterparts.rank(own, [traffic]) == []
    whole = {**own, "title": "Straßenverkehr"}
    assert [c.id for c in counterparts.rank(whole, [traffic])] == ["t"]


def test_dictionary_evidence_weighs_less_than_the_same_word():
    own, other = _profile("Friedhöfe Budget", "de"), _profile("Cimetières budget", "fr")
    (reason,) = counterparts._title_reason(own, other, {})
    assert reason.weight == pytest.approx(counterparts.W_TITLE * (1 + counterparts.DICTIONARY) / 2)
    assert reason.label == "friedhofe ↔ cimetieres, budget"
    assert not reason.translated  # "budget" is spelled alike: not resting on the dictionary
