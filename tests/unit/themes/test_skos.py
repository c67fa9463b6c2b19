"""Loading SKOS concept schemes and published alignments (no CKAN)."""

from __future__ import annotations

import json

import pytest

from ckanext.partnercity.themes import gemet, lexicon
from ckanext.partnercity.themes.skos.alignments import (
    BUNDLED_ALIGNMENTS,
    AlignmentEntry,
    bundled_alignments,
    code_name,
    label_from_uri,
    load_alignment,
)
from ckanext.partnercity.themes.skos.hvd_themes import HVD_THEMES_FILE
from ckanext.partnercity.themes.skos.official_labels import INSPIRE_THEMES_FILE
from ckanext.partnercity.themes.skos.schemes import (
    BUNDLED_SCHEME_FILES,
    EU_THEME_BASE,
    EU_THEME_SCHEME,
    HVD_SCHEME,
    VOCAB_DIR,
    bundled_concepts,
    bundled_schemes,
    load_schemes,
)
from tests.support.xml_bombs import MILD, SCHEME, billion_laughs

EU_LANGUAGES = set(
    "bg cs da de el en es et fi fr ga hr hu it lt lv mt nl pl pt ro sk sl sv".split()
)


def _scheme(uri):
    (found,) = [s for s in bundled_schemes() if s.uri == uri]
    return found


# -- bundled vocabularies -----------------------------------------------------


def test_bundled_eu_data_theme_has_14_concepts_with_labels_in_all_24_eu_languages():
    scheme = _scheme(EU_THEME_SCHEME)
    assert len(EU_LANGUAGES) == 24
    assert len(scheme.concepts) == 14
    assert {c.notation for c in scheme.concepts} == {
        "AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL",
        "INTR", "JUST", "OP_DATPRO", "REGI", "SOCI", "TECH", "TRAN",
    }  # fmt: skip
    for concept in scheme.concepts:
        assert set(concept.pref_labels) >= EU_LANGUAGES, concept.uri
        assert all(label.strip() for label in concept.pref_labels.values())
        assert concept.scheme_uri == EU_THEME_SCHEME
    envi = next(c for c in scheme.concepts if c.notation == "ENVI")
    assert envi.uri == EU_THEME_BASE + "ENVI"
    assert envi.pref_labels["ro"] == "Mediu"
    assert envi.pref_labels["bg"] == "Околна среда"
    assert envi.pref_labels["el"] == "Περιβάλλον"
    assert envi.pref_labels["pl"] == "Środowisko"


def test_bundled_hvd_categories_v2_1_have_96_concepts_6_top_categories_24_languages():
    scheme = _scheme(HVD_SCHEME)
    assert len(scheme.concepts) == 96
    assert scheme.titles["en"] == "High-value dataset categories"
    top = [c for c in scheme.concepts if not c.broader]
    assert len(top) == 6
    assert sorted(c.pref_labels["en"] for c in top) == [
        "Companies and company ownership",
        "Earth observation and environment",
        "Geospatial",
        "Meteorological",
        "Mobility",
        "Statistics",
    ]
    by_uri = {c.uri: c for c in scheme.concepts}
    for concept in scheme.concepts:
        assert set(concept.pref_labels) == EU_LANGUAGES, concept.uri
        for parent in concept.broader:  # broader / narrower are both filled in
            assert concept.uri in by_uri[parent].narrower
    assert (
        sum(len(c.narrower) for c in top)
        + sum(len(c.narrower) for c in scheme.concepts if c.broader)
        == 90
    )


def test_bundled_schemes_are_parsed_once():
    assert bundled_schemes() is bundled_schemes()
    assert bundled_alignments() is bundled_alignments()
    assert len(bundled_concepts()) == 14 + 96
    assert {c.scheme_uri for c in bundled_concepts(HVD_SCHEME)} == {HVD_SCHEME}


def test_bundled_vocabulary_files_are_the_reference_copies():
    # The README names every shipped file, and nothing else is shipped.
    readme = (VOCAB_DIR / "README.md").read_text(encoding="utf-8")
    shipped = {p.name for p in VOCAB_DIR.iterdir()} - {"README.md"}
    expected = set(BUNDLED_SCHEME_FILES) | {a.file for a in BUNDLED_ALIGNMENTS}
    expected.add(lexicon.LEXICON_FILE)  # the project's own domain lexicon
    expected.add(HVD_THEMES_FILE.name)  # the project's own HVD-category alignment
    expected.add(gemet.GEMET_FILE)  # GEMET concept labels for counterparts
    expected.add(INSPIRE_THEMES_FILE.name)  # INSPIRE theme labels in 23 languages
    assert shipped == expected
    for name in shipped:
        assert f"`{name}`" in readme


# -- loading schemes ------------------------------------------------------------

TURTLE = b"""
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix ex: <https://partners.example/themes/> .

ex:scheme a skos:ConceptScheme ; dct:title "Partnerschaftsthemen"@de , "Partnership themes"@en .
ex:mobility a skos:Concept ; skos:topConceptOf ex:scheme ; skos:notation "MOB" ;
    skos:prefLabel "Mobilit\xc3\xa4t"@de , "Mobility"@en ;
    skos:altLabel "Verkehr"@de , "Transport"@de .
ex:cycling a skos:Concept ; skos:broader ex:mobility ;
    skos:prefLabel "Radverkehr"@de .
ex:climate skos:inScheme ex:scheme ; skos:prefLabel "Klima"@de .
ex:orphan-scheme a skos:ConceptScheme .
"""


def test_turtle_scheme_with_top_concepts_broader_and_missing_in_scheme():
    (empty, scheme) = load_schemes(TURTLE, format="text/turtle")  # sorted by IRI
    assert empty.uri.endswith("orphan-scheme") and empty.concepts == []
    assert scheme.titles == {"de": "Partnerschaftsthemen", "en": "Partnership themes"}
    by_uri = {c.uri.rsplit("/", 1)[1]: c for c in scheme.concepts}
    assert set(by_uri) == {"mobility", "cycling", "climate"}
    mobility = by_uri["mobility"]
    assert mobility.scheme_uri == "https://partners.example/themes/scheme"  # topConceptOf
    assert mobility.notation == "MOB"
    assert mobility.pref_labels == {"de": "Mobilität", "en": "Mobility"}
    assert mobility.alt_labels == {"de": ["Transport", "Verkehr"]}
    assert mobility.narrower == ["https://partners.example/themes/cycling"]
    # no inScheme and two schemes in the file: inherited from the broader concept
    assert by_uri["cycling"].scheme_uri == mobility.scheme_uri
    assert by_uri["cycling"].broader == [mobility.uri]


def test_single_scheme_in_file_adopts_concepts_without_in_scheme(tmp_path):
    rdfxml = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:skos="http://www.w3.org/2004/02/skos/core#">
  <skos:ConceptScheme rdf:about="urn:x:s"><skos:prefLabel xml:lang="ro">Teme</skos:prefLabel>
  </skos:ConceptScheme>
  <skos:Concept rdf:about="urn:x:mediu"><skos:prefLabel xml:lang="ro">Mediu</skos:prefLabel>
  </skos:Concept>
</rdf:RDF>"""
    path = tmp_path / "teme.rdf"
    path.write_text(rdfxml, encoding="utf-8")
    (scheme,) = load_schemes(path)
    assert scheme.titles == {"ro": "Teme"}
    assert [(c.uri, c.scheme_uri, c.pref_labels) for c in scheme.concepts] == [
        ("urn:x:mediu", "urn:x:s", {"ro": "Mediu"})
    ]


def test_json_ld_scheme_and_remote_context_refused(tmp_path):
    doc = {
        "@context": {
            "skos": "http://www.w3.org/2004/02/skos/core#",
            "inScheme": {"@id": "skos:inScheme", "@type": "@id"},
        },
        "@graph": [
            {"@id": "urn:x:s", "@type": "skos:ConceptScheme"},
            {
                "@id": "urn:x:ambiente",
                "@type": "skos:Concept",
                "inScheme": "urn:x:s",
                "skos:prefLabel": {"@value": "Ambiente", "@language": "it"},
            },
        ],
    }
    path = tmp_path / "temi.jsonld"
    path.write_text(json.dumps(doc), encoding="utf-8")
    (scheme,) = load_schemes(path)
    assert scheme.concepts[0].pref_labels == {"it": "Ambiente"}
    # the same from bytes, format sniffed from the first byte
    assert load_schemes(json.dumps(doc).encode())[0].concepts[0].uri == "urn:x:ambiente"

    doc["@context"] = "https://example.org/context.jsonld"
    with pytest.raises(ValueError, match="remote @context"):
        load_schemes(json.dumps(doc).encode())


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (b"<urn:x:a> <urn:x:b> .", "turtle"),
        (b"<?xml version='1.0'?><rdf:RDF", None),
        (b"{not json", None),
        (b"@prefix skos: <http://www.w3.org/2004/02/skos/core#> . skos:x skos:y", None),
    ],
)
def test_unparsable_input_raises_value_error(data, fmt):
    with pytest.raises(ValueError):
        load_schemes(data, format=fmt)


def test_rdfxml_declaring_entities_is_refused_before_rdflib(tmp_path):
    bomb = billion_laughs(SCHEME, levels=MILD)
    path = tmp_path / "alignment.rdf"
    path.write_bytes(bomb)
    with pytest.raises(ValueError, match="entity declarations"):
        load_schemes(bomb)
    with pytest.raises(ValueError, match="entity declarations"):
        load_alignment(path)


def test_concept_without_any_scheme_is_skipped():
    data = b"""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    <urn:x:a> a skos:Concept ; skos:prefLabel "A"@en .
    <urn:x:s1> a skos:ConceptScheme . <urn:x:s2> a skos:ConceptScheme ."""
    assert all(s.concepts == [] for s in load_schemes(data))


# -- alignments --------------------------------------------------------------------


def test_skos_alignment_in_both_directions_with_labels_and_blank_local_nodes():
    data = b"""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    @prefix eu: <http://publications.europa.eu/resource/authority/data-theme/> .
    <https://alba.example/group/mediu> skos:prefLabel "Mediu"@ro ; skos:exactMatch eu:ENVI .
    eu:TRAN skos:narrowMatch <https://alba.example/group/transport> .
    <https://alba.example/group/transport> skos:prefLabel "Transporturi"@ro .
    [ skos:prefLabel "Cultur\xc4\x83"@ro ] skos:broadMatch eu:EDUC .
    <https://alba.example/group/x> skos:closeMatch <https://elsewhere.example/y> .
    """
    entries = load_alignment(data, name="alba", format="turtle")
    assert sorted(entries, key=lambda e: e.concept) == [
        AlignmentEntry(None, {"ro": ["Cultură"]}, "broadMatch", EU_THEME_BASE + "EDUC", "alba"),
        AlignmentEntry(
            "https://alba.example/group/mediu",
            {"ro": ["Mediu"]},
            "exactMatch",
            EU_THEME_BASE + "ENVI",
            "alba",
        ),
        # seen from the local side: TRAN narrowMatch local == local broadMatch TRAN
        AlignmentEntry(
            "https://alba.example/group/transport",
            {"ro": ["Transporturi"]},
            "broadMatch",
            EU_THEME_BASE + "TRAN",
            "alba",
        ),
    ]


def test_codes_of_a_third_vocabulary_are_kept_with_the_local_concept():
    data = b"""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    @prefix eu: <http://publications.europa.eu/resource/authority/data-theme/> .
    @prefix geo: <https://inspire.ec.europa.eu/metadata-codelist/TopicCategory/> .
    <http://dcat-ap.ch/vocabulary/themes/population> skos:prefLabel "Population"@en ;
        skos:mappingRelation eu:SOCI , geo:geo:society .
    <http://dcat-ap.ch/vocabulary/themes/agriculture> skos:prefLabel "Agriculture"@en ;
        skos:mappingRelation eu:AGRI , geo:farming .
    geo:biota skos:closeMatch <http://dcat-ap.ch/vocabulary/themes/agriculture> .
    <http://dcat-ap.ch/vocabulary/themes/politics> skos:mappingRelation eu:GOVE .
    """
    entries = {e.local_uri.rsplit("/", 1)[1]: e for e in load_alignment(data, format="turtle")}
    assert set(entries) == {"population", "agriculture", "politics"}
    assert [code_name(c) for c in entries["population"].co_mapped] == ["society"]
    assert sorted(code_name(c) for c in entries["agriculture"].co_mapped) == ["biota", "farming"]
    assert entries["politics"].co_mapped == ()
    # the codes are no labels of the local concept, nor entries of their own
    assert entries["agriculture"].local_labels == {"en": ["Agriculture"]}


def test_code_name_reads_the_code_of_an_iri():
    base = "https://inspire.ec.europa.eu/metadata-codelist/TopicCategory/"
    assert code_name(base + "inlandWaters") == "inlandWaters"
    assert code_name(base + "geothemes:society") == "society"  # DCAT-AP CH's defect
    assert code_name("http://example.org/codes#planningCadastre") == "planningCadastre"
    assert code_name("http://example.org/term/35") is None


def test_json_alignment_shapes(tmp_path):
    flat = tmp_path / "groups.json"
    flat.write_text(json.dumps({"umwelt_klima": "envi", "geo": None, "bildung": ["EDUC", "tech"]}))
    entries = load_alignment(flat, lang="de")
    assert {(e.local_labels["de"][0], e.concept.rsplit("/", 1)[1]) for e in entries} == {
        ("umwelt_klima", "ENVI"),
        ("bildung", "EDUC"),
        ("bildung", "TECH"),
    }
    assert {e.source for e in entries} == {"groups"}
    assert {e.relation for e in entries} == {"closeMatch"}

    keywords = {"data": [{"name": "Ambiente", "syn": ["envi", "clima", "meteo"]}]}
    entries = load_alignment(json.dumps(keywords).encode(), name="it", lang="it")
    assert [e.local_labels for e in entries] == [
        {"it": ["Ambiente"]},
        {"it": ["envi"]},
        {"it": ["clima"]},
        {"it": ["meteo"]},
    ]
    assert {e.concept for e in entries} == {EU_THEME_BASE + "ENVI"}

    with pytest.raises(ValueError, match="not a known theme code"):
        load_alignment(json.dumps({"agri": "Landwirtschaft"}).encode())


def test_label_from_opendatasoft_facet_and_path_iris():
    assert (
        label_from_uri("https://www.odwb.be/explore/?refine.theme=Sant%C3%A9+publique")
        == "Santé publique"
    )
    assert label_from_uri("https://www.odwb.be/id/theme/Smart%20City") == "Smart City"
    assert label_from_uri("http://inspire.ec.europa.eu/theme/hy") is None
    assert label_from_uri("http://data.gov.be/en/taxonomy/term/35") is None


def test_bundled_alignments_cover_the_published_sources():
    entries = bundled_alignments()
    by_source = {}
    for entry in entries:
        by_source.setdefault(entry.source, []).append(entry)
    assert set(by_source) == {a.source for a in BUNDLED_ALIGNMENTS}
    # GovData: 14 groups, 3 mapped to nothing, bildung_wissenschaft to two themes
    assert len(by_source["govdata"]) == 12
    # DCAT-AP CH: 24 themes to EU themes; INSPIRE topic-category targets are not shared
    ch = by_source["dcat-ap-ch"]
    assert len(ch) == 24 and all(e.concept.startswith(EU_THEME_BASE) for e in ch)
    work = next(e for e in ch if e.local_uri == "http://dcat-ap.ch/vocabulary/themes/work")
    assert work.local_labels["de"] == ["Arbeit, Erwerb"]
    assert work.concept == EU_THEME_BASE + "ECON"
    # ... but kept as the codes each Swiss theme is co-mapped to (12 of the 24 have some)
    codes = {e.local_uri.rsplit("/", 1)[1]: {code_name(c) for c in e.co_mapped} for e in ch}
    assert codes["work"] == {"economy"}
    assert codes["agriculture"] == {"farming", "biota"}  # biota via "geothemes:geothemes:biota"
    assert codes["population"] == {"society"}
    assert len(codes["geography"]) == 32 and codes["finances"] == set()
    assert sum(bool(c) for c in codes.values()) == 12
    assert all(not e.co_mapped for e in entries if e.source != "dcat-ap-ch")
    # Wallonia: Opendatasoft facet IRIs carry the theme name
    wallonia = {
        e.local_labels.get("fr", [None])[0]: e.concept for e in by_source["wallonia"] if e.local_uri
    }
    assert wallonia["Environnement"] == EU_THEME_BASE + "ENVI"
    # AgID: EU theme narrowMatch EuroVoc domain → EuroVoc domain broadMatch EU theme
    agid = [
        e for e in by_source["agid-eurovoc"] if e.local_uri == "http://eurovoc.europa.eu/100245"
    ]
    assert [(e.relation, e.concept) for e in agid] == [("broadMatch", EU_THEME_BASE + "AGRI")]
    # INSPIRE themes: IRIs only
    assert all(e.local_uri and not e.local_labels for e in by_source["inspire"])
