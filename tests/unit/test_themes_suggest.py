"""Theme suggestions for real local category names (no CKAN)."""

from __future__ import annotations

import pytest

from ckanext.partnercity.themes import skos, text
from ckanext.partnercity.themes.skos import (
    EU_THEME_BASE,
    EU_THEME_SCHEME,
    HVD_SCHEME,
    AlignmentEntry,
    Concept,
)
from ckanext.partnercity.themes.suggest import Suggester, Suggestion

EU = EU_THEME_SCHEME


def theme(code: str) -> str:
    return EU_THEME_BASE + code


@pytest.fixture(scope="module")
def suggester():
    return Suggester(skos.bundled_schemes(), skos.bundled_alignments())


@pytest.fixture(scope="module")
def vocabulary_only():
    """The EU data themes alone: what the labels of the vocabulary give."""
    return Suggester(skos.bundled_concepts(EU))


# Category names as partner portals publish them (CKAN groups, Opendatasoft themes).
REAL_CATEGORIES = [
    ("Umwelt und Klima", "de", "ENVI"),
    ("Wirtschaft und Arbeit", "de", "ECON"),
    ("Kultur, Freizeit, Sport, Tourismus", "de", "EDUC"),
    ("Bevölkerung", "de", "SOCI"),
    ("Gesundheit", "de", "HEAL"),
    ("Bildung", "de", "EDUC"),
    ("Verkehr", "de", "TRAN"),
    ("Energie", "de", "ENER"),
    ("Mediu", "ro", "ENVI"),
    ("Transporturi și infrastructură", "ro", "TRAN"),
    ("Sănătate", "ro", "HEAL"),
    ("Agricultură", "ro", "AGRI"),
    ("Administrație publică", "ro", "GOVE"),
    ("Ambiente", "it", "ENVI"),
    ("Trasporti e mobilità", "it", "TRAN"),
    ("Salute", "it", "HEAL"),
    ("Environnement", "fr", "ENVI"),
    ("Transports", "fr", "TRAN"),
    ("Culture, Sport", "fr", "EDUC"),
    ("Środowisko", "pl", "ENVI"),
    ("Gospodarka", "pl", "ECON"),
    ("Kultura i sport", "pl", "EDUC"),
    ("Околна среда", "bg", "ENVI"),
    ("Здравеопазване", "bg", "HEAL"),
    ("Култура и спорт", "bg", "EDUC"),
    ("Περιβάλλον", "el", "ENVI"),
    ("Μεταφορές", "el", "TRAN"),
    ("Οικονομία", "el", "ECON"),
    ("Natuur en milieu", "nl", "ENVI"),
    ("Verkeer en vervoer", "nl", "TRAN"),
    ("Gezondheid", "nl", "HEAL"),
]


@pytest.mark.parametrize(("label", "lang", "code"), REAL_CATEGORIES)
def test_real_category_names_get_the_right_eu_theme_first(suggester, label, lang, code):
    found = suggester.suggest(label, lang, scheme=EU)
    assert found, label
    assert found[0].concept == theme(code)
    assert found[0].confidence >= 0.5
    assert [s.confidence for s in found] == sorted((s.confidence for s in found), reverse=True)
    assert all(0.0 <= s.confidence <= 1.0 for s in found)


@pytest.mark.parametrize(
    ("label", "lang"),
    [
        ("Quantenchromodynamik", "de"),
        ("Sonstiges", "de"),
        ("Allgemein", "de"),
        ("Diverse", "ro"),
        ("Lorem ipsum", "it"),
        ("Foobar baz", None),
        ("", "de"),
        ("   ", None),
        ("—", None),
    ],
)
def test_unknown_labels_give_no_suggestion(suggester, label, lang):
    assert suggester.suggest(label, lang) == []


def test_exact_preflabel_in_any_of_the_24_languages(vocabulary_only):
    for concept in skos.bundled_concepts(EU):
        for lang, label in concept.pref_labels.items():
            found = vocabulary_only.suggest(label, lang)
            assert found[0] == Suggestion(concept.uri, "exactMatch", 0.99), (lang, label)


def test_the_labels_language_comes_first(vocabulary_only):
    # "Milieu" is the Dutch label of ENVI; in French it is only another language's word.
    assert vocabulary_only.suggest("Milieu", "nl")[0].confidence == 0.99
    assert vocabulary_only.suggest("Milieu", "fr")[0].confidence < 0.99
    assert vocabulary_only.suggest("Milieu", "fr")[0].concept == theme("ENVI")


def test_concept_iri_is_identity_and_alignment_iri_gives_the_published_mapping(suggester):
    assert suggester.suggest(theme("ENVI"), None) == [Suggestion(theme("ENVI"), "exactMatch", 1.0)]
    # http/https and a trailing slash do not matter
    assert suggester.suggest("https://publications.europa.eu/resource/authority/data-theme/TRAN/")[
        0
    ] == Suggestion(theme("TRAN"), "exactMatch", 1.0)
    # DCAT-AP CH "Arbeit, Erwerb" is published as an alignment to ECON
    assert suggester.suggest("http://dcat-ap.ch/vocabulary/themes/work", "de") == [
        Suggestion(theme("ECON"), "closeMatch", 1.0)
    ]
    # INSPIRE cadastral parcels: two broader EU themes
    assert suggester.suggest("http://inspire.ec.europa.eu/theme/cp") == [
        Suggestion(theme("ECON"), "broadMatch", 1.0),
        Suggestion(theme("REGI"), "broadMatch", 1.0),
    ]
    # an EU theme IRI asked within the HVD scheme is not an HVD category
    assert suggester.suggest(theme("ENVI"), None, scheme=HVD_SCHEME) == []
    # an unknown IRI: only the label it carries counts, never its host or path words
    assert suggester.suggest(theme("NOPE")) == []
    assert suggester.suggest("https://opendata.europa.example/resource/authority/x") == []
    facet = "https://data.partner.example/explore/?refine.theme=Sant%C3%A9"
    assert suggester.suggest(facet, "fr", scheme=EU)[0].concept == theme("HEAL")


def test_notation_is_the_concept(suggester):
    assert suggester.suggest("envi", "de") == [Suggestion(theme("ENVI"), "exactMatch", 0.95)]
    assert suggester.suggest("OP_DATPRO")[0].concept == theme("OP_DATPRO")


def test_relation_rule_for_compound_labels(vocabulary_only):
    def relations(label, lang="de"):
        return {
            s.concept.rsplit("/", 1)[1]: s.relation
            for s in vocabulary_only.suggest(label, lang)
            if s.confidence >= 0.5
        }

    # the whole label is the concept's label, parts in another order
    assert relations("Bildung, Sport und Kultur") == {"EDUC": "exactMatch"}
    # all parts belong to the concept, which has more: the shared concept is broader
    assert relations("Kultur und Sport") == {"EDUC": "broadMatch"}
    assert relations("Bevölkerung") == {"SOCI": "broadMatch"}
    # one concept, another part unknown: close
    assert relations("Transporturi și infrastructură", "ro") == {"TRAN": "closeMatch"}
    # parts name different concepts: each fully named concept is narrower
    assert relations("Umwelt und Verkehr") == {"ENVI": "narrowMatch", "TRAN": "narrowMatch"}
    # ... a concept only partly named overlaps the local category: close
    assert relations("Bildung und Wissenschaft") == {"EDUC": "closeMatch", "TECH": "closeMatch"}


def test_one_local_category_may_map_to_several_concepts(vocabulary_only):
    found = vocabulary_only.suggest("Energie und Umwelt", "de")
    assert {s.concept for s in found if s.confidence >= 0.5} == {theme("ENER"), theme("ENVI")}
    # the topic named first leads
    assert found[0].concept == theme("ENER")


def test_alignment_local_labels_suggest_the_alignments_concept():
    alignment = AlignmentEntry(
        None, {"de": ["Ver- und Entsorgung"]}, "broadMatch", theme("ENER"), "stadtwerke"
    )
    with_alignment = Suggester(skos.bundled_concepts(EU), [alignment])
    assert with_alignment.suggest("Ver- und Entsorgung", "de") == [
        Suggestion(theme("ENER"), "broadMatch", 0.95)
    ]
    assert Suggester(skos.bundled_concepts(EU)).suggest("Ver- und Entsorgung", "de") == []


def test_conflicting_alignments_are_not_confident():
    # Two publishers map the same keyword to different themes.
    entries = [
        AlignmentEntry(None, {"fr": ["Tourisme"]}, "closeMatch", theme("ECON"), "a"),
        AlignmentEntry(None, {"fr": ["Tourisme"]}, "closeMatch", theme("REGI"), "b"),
    ]
    found = Suggester(skos.bundled_concepts(EU), entries).suggest("Tourisme", "fr")
    assert {s.concept for s in found} == {theme("ECON"), theme("REGI")}
    assert all(s.confidence < 0.5 for s in found)


def test_fragment_concept_of_an_alignment_is_read_as_part_of_its_base():
    entry = AlignmentEntry(None, {"fr": ["Loisirs"]}, "closeMatch", theme("EDUC#SPORT"), "w")
    found = Suggester(skos.bundled_concepts(EU), [entry]).suggest("Loisirs", "fr")
    assert found == [Suggestion(theme("EDUC"), "broadMatch", 0.95)]


def test_schemes_are_suggested_separately(suggester):
    found = suggester.suggest("Meteorologie", "de")
    schemes = {suggester.concepts[s.concept].scheme_uri for s in found}
    assert HVD_SCHEME in schemes
    hvd = suggester.suggest("Meteorologie", "de", scheme=HVD_SCHEME)
    assert hvd[0].concept == "http://data.europa.eu/bna/c_164e0bf5"
    assert hvd[0].confidence >= 0.9
    assert all(
        suggester.concepts[s.concept].scheme_uri == EU
        for s in suggester.suggest("Meteorologie", "de", scheme=EU)
    )


def test_a_partnership_scheme_works_like_the_bundled_ones():
    concepts = [
        Concept(
            "urn:x:twin:mobility",
            "urn:x:twin",
            None,
            {"de": "Mobilität", "ro": "Mobilitate"},
            {"de": ["Radverkehr"]},
        )
    ]
    s = Suggester(concepts)
    # an altLabel names the concept too, a little less surely than its prefLabel
    assert s.suggest("Radverkehr", "de") == [Suggestion("urn:x:twin:mobility", "exactMatch", 0.97)]
    assert s.suggest("Mobilitate urbană", "ro")[0].concept == "urn:x:twin:mobility"


# -- normalization ------------------------------------------------------------------


def test_folding_keeps_cyrillic_and_strips_latin_and_greek_marks():
    assert text.fold("Transporturi și infrastructură") == "transporturi si infrastructura"
    assert text.fold("Transporturi şi infrastructură") == "transporturi si infrastructura"
    assert text.fold("Straße Ölförderung") == "strasse olforderung"
    assert text.fold("Περιβάλλον") == "περιβαλλον"
    assert text.fold("Район й") == "район й"
    assert text.fold("DÃ©veloppement") == "developpement"


def test_compound_labels_split_into_parts_without_stop_words():
    assert text.parts("Umwelt und Klima") == (("umwelt",), ("klima",))
    assert text.parts("Kultur, Freizeit, Sport, Tourismus") == (
        ("kultur",),
        ("freizeit",),
        ("sport",),
        ("tourismus",),
    )
    assert text.parts("Transporturi și infrastructură") == (("transporturi",), ("infrastructura",))
    assert text.parts("Околна среда и климат") == (("околна", "среда"), ("климат",))
    assert text.parts("Πολιτισμός και αθλητισμός") == (("πολιτισμοσ",), ("αθλητισμοσ",))
    assert text.parts("Rolnictwo oraz leśnictwo") == (("rolnictwo",), ("lesnictwo",))
    assert text.parts("Natuur en milieu") == (("natuur",), ("milieu",))
    assert text.parts("agricoltura-e-pesca") == (("agricoltura",), ("pesca",))
    assert text.parts("umwelt_klima") == (("umwelt",), ("klima",))
    assert text.parts("Qualité de la vie") == (("qualite", "vie"),)
    assert text.parts("inlandWaters") == (("inland", "waters"),)
    assert text.parts("Sonstiges") == ()


def test_word_similarity_handles_inflection_compounds_typos_and_cognates():
    sim = text.word_similarity
    assert sim("verkehr", "verkehr") == 1.0
    assert sim("transporturi", "transport") >= 0.8  # inflection
    assert sim("umweltschutz", "umwelt") >= 0.8  # German compound
    assert sim("energia", "energie") >= 0.8
    assert sim("employmnet", "employment") >= 0.8  # typo
    assert sim("kultur", "cultura") >= 0.7  # cognate spelling
    assert sim("bevoelkerung", "bevolkerung") == 1.0  # ö written oe
    assert sim("regierung", "region") == 0.0
    assert sim("land", "landwirtschaft") == 0.0
    assert sim("wirtschaft", "wissenschaft") == 0.0
