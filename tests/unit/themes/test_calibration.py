"""Confidences measured per kind of evidence on published alignments (no CKAN)."""

from __future__ import annotations

import pytest

from ckanext.partnercity.themes import calibration
from ckanext.partnercity.themes.calibration import CEILING, Calibration, examples
from ckanext.partnercity.themes.skos.alignments import AlignmentEntry, bundled_alignments
from ckanext.partnercity.themes.skos.schemes import EU_THEME_BASE, EU_THEME_SCHEME, bundled_concepts
from ckanext.partnercity.themes.suggest.labels import (
    CO_MAPPED,
    LEXICON,
    PARTS,
    PUBLISHED,
    Suggestion,
)
from ckanext.partnercity.themes.suggest.suggester import Suggester

EU = EU_THEME_SCHEME


def theme(code: str) -> str:
    return EU_THEME_BASE + code


@pytest.fixture(scope="module")
def calibrated():
    return Suggester(bundled_concepts(EU), bundled_alignments(), calibration=calibration.bundled())


def test_examples_merge_the_concepts_of_one_label_and_read_fragments_as_their_base():
    entries = [
        AlignmentEntry(None, {"": ["Tourisme"]}, "closeMatch", theme("ECON"), "x"),
        AlignmentEntry(None, {"": ["tourisme"]}, "closeMatch", theme("REGI"), "x"),
        AlignmentEntry(None, {"fr": ["Sport"]}, "closeMatch", theme("EDUC") + "#SPORT", "x"),
        AlignmentEntry(None, {"fr": ["Autre"]}, "closeMatch", theme("GOVE"), "y"),
    ]
    found = {(e.label, e.lang): e.truth for e in examples(entries, "x")}
    assert found == {
        ("Tourisme", None): frozenset({theme("ECON"), theme("REGI")}),
        ("Sport", "fr"): frozenset({theme("EDUC")}),
    }


def test_without_data_a_kind_keeps_its_rule_based_confidence_and_with_data_leans_on_it():
    table = Calibration()
    key = (LEXICON, "none", "1", "clear", theme("REGI"))
    assert table.reliability(key, 0.85) == pytest.approx(0.85)
    for right in [False] * 20:
        table.add(theme("REGI"), key, right)
    assert table.reliability(key, 0.85) < 0.3


def test_only_the_first_suggestion_is_measured_the_order_stays_and_review_is_kept():
    table = Calibration()
    key = (PARTS, "agree", "3", "clear", theme("ENVI"))
    for _ in range(50):
        table.add(theme("ENVI"), key, True)
    found = [
        Suggestion(theme("ENVI"), "closeMatch", 0.6, PARTS, 3),
        Suggestion(theme("AGRI"), "closeMatch", 0.3, PARTS, 1),
    ]
    out = table.apply(found, found)
    assert [s.concept for s in out] == [theme("ENVI"), theme("AGRI")]
    assert out[0].confidence == CEILING < 0.9  # measured ~1.0, but it waits for review
    assert out[1].confidence == pytest.approx(0.3 * CEILING / 0.6, abs=0.001)
    published = [Suggestion(theme("ENVI"), "exactMatch", 0.99, PUBLISHED)]
    assert table.apply(published, published) == published


def test_concepts_never_measured_keep_their_confidence():
    table = Calibration()
    table.add(theme("ENVI"), (PARTS, "agree", "3", "clear", theme("ENVI")), False)
    other = [Suggestion("http://example.org/climate", "closeMatch", 0.6, PARTS, 1)]
    assert table.apply(other, other) == other
    assert table.apply(other, other)[0].confidence == 0.6


def test_fit_asks_each_alignment_of_a_suggester_without_it(monkeypatch):
    seen = []
    real = Suggester.__init__

    def spy(self, concepts, alignments=(), lexicon=None, calibration=None, official=None):
        alignments = list(alignments)
        seen.append({a.source for a in alignments})
        real(self, concepts, alignments, lexicon, calibration, official)

    kept = [a for a in bundled_alignments() if a.source != "brussels"]
    monkeypatch.setattr(Suggester, "__init__", spy)
    table = calibration.fit(bundled_concepts(EU), kept)
    asked = {a.source for a in kept if len(examples(kept, a.source)) >= 10}
    assert len(seen) == len(asked) > 3
    assert all("brussels" not in sources for sources in seen)
    # each suggester lacks exactly the alignment it is asked about
    assert sorted(({a.source for a in kept} - s).pop() for s in seen) == sorted(asked)
    assert table.counts


def test_calibrated_suggester_keeps_published_answers_and_the_rules_order(calibrated):
    plain = Suggester(bundled_concepts(EU), bundled_alignments())
    for label, lang in [("Umwelt und Klima", "de"), ("Abfallwirtschaft", "de"), ("Wybory", "pl")]:
        ours, rules = calibrated.suggest(label, lang, EU), plain.suggest(label, lang, EU)
        assert [s.concept for s in ours] == [s.concept for s in rules]
        if rules[0].basis == PUBLISHED:
            assert ours == rules
        else:
            assert ours[0].confidence <= CEILING


def test_co_mapped_codes_are_a_kind_of_their_own_measured_on_the_alignments():
    # Fitted without DCAT-AP CH, no answer rests on a co-mapped code: nothing to learn.
    kept = [a for a in bundled_alignments() if a.source != "dcat-ap-ch"]
    assert not calibration.fit(bundled_concepts(EU), kept).counts.get((CO_MAPPED,))
    # With it, Brussels' ISO topic codes are asked of a suggester without Brussels.
    answers, right = calibration.bundled().counts[(CO_MAPPED,)]
    assert answers >= 10 and 0 < right < answers
    table = Calibration()
    key = (CO_MAPPED, "none", "1", "clear", theme("SOCI"))
    for ok in [False] * 12:
        table.add(theme("SOCI"), key, ok)
    found = [Suggestion(theme("SOCI"), "closeMatch", 0.776, CO_MAPPED, 1)]
    assert table.apply(found, []) == []  # measured always wrong: under MIN_CONFIDENCE
