"""Counterparts on real partner titles, one test group per partner language.

The pools are tests/fixtures/counterparts/partners.json (real portal titles, see its README);
each test states what a person would expect and would fail if the ranker got it wrong.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path

import pytest

from ckanext.partnercity.themes import counterparts, overlap
from ckanext.partnercity.themes.gemet import bundled

SET = Path(__file__).resolve().parents[2] / "fixtures" / "counterparts"


@cache
def _pools() -> dict[str, list[dict]]:
    return json.loads((SET / "partners.json").read_text(encoding="utf-8"))["pools"]


@cache
def _own() -> dict[str, dict]:
    doc = json.loads((SET / "own.json").read_text(encoding="utf-8"))
    return {o["id"]: o for o in doc["own"]}


def _titles(own: dict, lang: str) -> list[str]:
    pool = _pools()[lang]
    by_id = {r["id"]: r["title"] for r in pool}
    return [by_id[c.id] for c in counterparts.rank(own, pool)]


# -- French (Évian, APUR Paris, data.gouv.fr) ---------------------------------------------


def test_fr_museums_found_through_gemet_with_reason():
    own = {"title": "Museen - Standorte", "lang": "de"}
    pool = _pools()["fr"]
    found = counterparts.rank(own, pool)
    titles = {r["id"]: r["title"] for r in pool}
    assert len(found) == 3
    assert all("musée" in titles[c.id].lower() for c in found)
    assert found[0].reasons[0].text == "title: Museum ↔ musée"


def test_fr_addresses_and_no_counterpart_for_first_names():
    found = _titles(_own()["mdk-adressen"], "fr")
    assert found == ["Base Adresse Nationale", "Base Adresse Nationale"]
    assert _titles(_own()["mdk-vornamen"], "fr") == []


def test_fr_libraries_find_french_library_datasets():
    found = _titles(_own()["mdk-bibliotheken"], "fr")
    assert len(found) == 3
    assert all("biblioth" in t.lower() for t in found)


# -- Dutch (data.gov.be, City of Amsterdam) --------------------------------------------------


def test_nl_addresses_find_best_addresses_not_the_budget():
    found = _titles({"title": "Adressen Kreis Wesel", "lang": "de"}, "nl")
    assert found == ["BeSt adressen, full download XML"]


def test_nl_population_by_district_is_not_amsterdams_protected_townscapes():
    # "Stadtteil" begins like Amsterdam's "stads-" (townscape), but a word's first part is
    # not the word: no counterpart (the demo's own item, keywords and HVD category as seeded)
    assert _titles(_own()["demo-population"], "nl") == []


def test_nl_amsterdam_pool_holds_only_public_datasets_with_titles():
    amsterdam = [r for r in _pools()["nl"] if r["id"].startswith("amsterdam-schema:")]
    titles = {r["title"] for r in amsterdam}
    assert len(amsterdam) == 87
    assert "Afvalcontainers, putten en weeggegevens" in titles
    assert "Markten in Amsterdam" not in titles  # restricted (FP/MDW) in the schema
    assert "Dave" not in titles  # the schema's own test dataset


# -- Italian (dati.unibo.it) ------------------------------------------------------------------


def test_it_staff_finds_personale_only():
    # own.json's item carries keywords ("Verwaltung", "Personal"), as our datasets do
    assert _titles(_own()["w-personal"], "it") == ["Personale"]


def test_it_first_names_find_nothing():
    assert _titles({"title": "Vornamen von Neugeborenen im Jahr 2019", "lang": "de"}, "it") == []


# -- Czech portal (data.gov.cz; its titles are partly English) ------------------------------


def test_cs_english_titles_of_the_czech_portal_match_by_title_words():
    found = _titles({"title": "Balance sheet of the city", "lang": "en"}, "cs")
    assert found and all(t.startswith("Balance Sheet") for t in found)


def test_cs_accounts_do_not_match_waterway_data():
    found = _titles({"title": "Profit and loss statement", "lang": "en"}, "cs")
    assert found
    assert not any("plav" in t or "Fairway" in t for t in found)


# -- the labelled set itself ------------------------------------------------------------------


def test_no_wrong_answer_in_the_dutch_italian_and_czech_pools():
    # every reference returned for an own dataset is one judged the same subject (the
    # judgements were made before the ranker ran on these pools; README there)
    for lang in ("nl", "it", "cs"):
        for own in _own().values():
            wrong = set(_titles(own, lang)) - set(own["same_subject"].get(lang, []))
            assert not wrong, (lang, own["title"], wrong)


@cache
def _heldout() -> dict[str, dict]:
    doc = json.loads((SET / "own_heldout.json").read_text(encoding="utf-8"))
    return {o["id"]: o for o in doc["own"]}


def test_every_judged_title_is_a_title_of_its_pool():
    pools = _pools()
    for own in [*_own().values(), *_heldout().values()]:
        for lang, titles in own["same_subject"].items():
            pool_titles = {r["title"] for r in pools[lang]}
            missing = [t for t in titles if t not in pool_titles]
            assert not missing, (own["id"], lang, missing)


def test_heldout_items_are_real_musterdatenkatalog_titles_not_in_the_development_set():
    # read only, never ranked here: the held-out set must stay unseen by the ranker's tests
    src = Path(__file__).resolve().parents[2] / "fixtures" / "hvd" / "duties"
    items = json.loads((src / "de-musterdatenkatalog.json").read_text(encoding="utf-8"))
    by_id = {it["id"]: it for it in items["items"]}
    dev = {o["source"] for o in _own().values()}
    heldout = list(_heldout().values())
    assert len(heldout) == 32
    for own in heldout:
        assert own["split"] == "heldout-2026-12-05"
        assert own["source"] not in dev
        source = by_id[own["source"].split("(id ")[1].rstrip(")")]
        assert (own["title"], own["tags"], own["lang"]) == (
            source["title"],
            source["tags"],
            source["lang"],
        )


# -- rules that hold in every language --------------------------------------------------------


def test_a_shared_theme_alone_is_no_counterpart():
    own = {
        "title": "Xyzzy",
        "themes": ["http://publications.europa.eu/resource/authority/data-theme/ENVI"],
    }
    ref = {"id": "r", "title": "Plugh", "themes": own["themes"]}
    assert counterparts.rank(own, [ref]) == []


def test_declared_specific_hvd_category_on_both_sides_is_a_counterpart():
    air = "http://data.europa.eu/bna/c_63b37dd4"
    own = {"title": "Xyzzy", "hvd_category": [air]}
    found = counterparts.rank(own, [{"id": "r", "title": "Plugh", "hvd_category": [air]}])
    assert [c.id for c in found] == ["r"]
    assert found[0].reasons[0].text == "same HVD category: Air"


def test_bad_input_gives_no_counterparts_and_no_error():
    refs = [None, "text", {"id": 7}, {"title": 5}, {"id": "x", "title": ""}]
    assert counterparts.rank({"title": None}, refs) == []
    assert counterparts.rank({}, []) == []


def test_limit_caps_the_list():
    pool = _pools()["fr"]
    assert len(counterparts.rank({"title": "Museen", "lang": "de"}, pool, limit=1)) == 1


# -- GEMET matching ---------------------------------------------------------------------------


def test_gemet_concepts_by_stem_not_by_fuzzy_similarity():
    g = bundled()
    assert set(g.concepts("Museen - Standorte", "de").values()) == {"Museum"}
    assert "délit" not in g.concepts("Délibérations du Conseil Municipal", "fr").values()
    assert "Ionen" not in g.concepts("Wetterstationen: Tageswerte", "de").values()


def test_gemet_has_english_labels_for_english_titles():
    g = bundled()
    assert "en" in g.languages
    assert set(g.concepts("Museums: locations", "en").values()) == {"museum"}
    found = _titles({"title": "Museums: locations", "lang": "en"}, "fr")
    assert len(found) == 3 and all("musée" in t.lower() for t in found)


def test_shared_title_words_are_not_hidden_by_a_weaker_shared_concept():
    # "profit" and "loss" are GEMET concepts common in the Czech portal's statements; the
    # three shared words together say more, and they decide (one reading of the overlap)
    found = _titles({"title": "Profit and loss statement", "lang": "en"}, "cs")
    assert found and all(t.lower().startswith("profit and loss statement") for t in found)


def test_gemet_tolerates_one_letter_only_between_longer_stems():
    g = bundled()
    assert g.concepts("Adressen Kreis Wesel", "de") == {}  # "Kreis" is no "Kreide"
    assert set(g.concepts("Badegewässer im Kreis Wesel", "de").values()) == {"Badegewässer"}


def test_title_words_need_most_of_the_longer_word():
    assert counterparts._same_word("adressen", "adresses")
    assert counterparts._same_word("personal", "personale")
    assert not counterparts._same_word("stadtteil", "stads")


def test_false_friends_across_languages_part_in_more_than_a_last_letter():
    # "Personal" (staff) is no "personas" (persons), though spelled alike
    assert counterparts._same_word("personal", "personas")
    assert not counterparts._same_word("personal", "personas", across=True)
    assert counterparts._same_word("adressen", "adresses", across=True)
    assert counterparts._same_word("personal", "personale", across=True)


def test_long_cognates_parting_only_in_their_endings_are_one_word():
    # German and French plural endings of one long word; a shorter common stem stays apart
    assert overlap.same_word("defibrillatoren", "defibrillateurs", across=True)
    assert not overlap.same_word("informatik", "informations", across=True)
    refs = [{"id": "aed", "title": "defibrillateurs", "lang": "fr"}] + [
        {"id": str(i), "title": t, "lang": "fr"}
        for i, t in enumerate(["Budget primitif", "Liste des musées", "Arrêts de bus"])
    ]
    own = {"title": "Standorte der Defibrillatoren (AED)", "lang": "de"}
    assert [c.id for c in counterparts.rank(own, refs)] == ["aed"]


def test_on_equal_evidence_the_reference_more_about_our_subject_comes_first():
    # both name museums and nothing else of ours; the first is about a ticketing survey
    survey = "Musées : enquête de satisfaction des visiteurs sur la billetterie en ligne"
    refs = [
        {"id": "survey", "title": survey, "lang": "fr"},
        {"id": "museums", "title": "Musées de la ville", "lang": "fr"},
    ]
    ranked = counterparts.rank({"title": "Museen", "lang": "de"}, refs)
    assert [c.id for c in ranked] == ["museums", "survey"]
    assert ranked[0].score == ranked[1].score


def test_gemet_general_concepts_weigh_less():
    g = bundled()
    programm = next(n for n, lab in g.labels.items() if lab.get("de") == "Programm")
    museum = next(n for n, lab in g.labels.items() if lab.get("de") == "Museum")
    assert g.specificity(programm) < g.specificity(museum) == 1.0


# -- the open-data team's decisions -----------------------------------------------------------


def test_confirmed_comes_first_and_rejected_never_appears():
    air = "http://data.europa.eu/bna/c_63b37dd4"
    own = {"title": "Xyzzy", "hvd_category": [air]}
    refs = [
        {"id": "a", "title": "Plugh", "hvd_category": [air]},
        {"id": "b", "title": "Quux", "hvd_category": [air]},
        {"id": "c", "title": "Nothing in common"},
    ]
    plain = [c.id for c in counterparts.rank(own, refs)]
    assert plain == ["a", "b"]
    decided = counterparts.rank(own, refs, decisions={"c": "confirmed", "a": "rejected"})
    assert [c.id for c in decided] == ["c", "b"]
    assert decided[0].reasons[0].text == "confirmed: by the open-data team"


def test_unknown_decision_values_are_ignored():
    air = "http://data.europa.eu/bna/c_63b37dd4"
    own = {"title": "Xyzzy", "hvd_category": [air]}
    refs = [{"id": "a", "title": "Plugh", "hvd_category": [air]}]
    assert [c.id for c in counterparts.rank(own, refs, decisions={"a": "maybe"})] == ["a"]
    assert [c.id for c in counterparts.rank(own, refs, decisions=["a"])] == ["a"]


# -- one subject, one place; a field is not a subject -----------------------------------------


def test_a_series_of_one_publisher_takes_one_place():
    # APUR publishes "PERIMETRE / CENTRALITE / LINEAIRE COMMERCIAL 800M GARES GRAND PARIS
    # EXPRESS": three tables about one thing, which must not fill the three places.
    found = _titles({"title": "Bahnhöfe in Düsseldorf", "lang": "de"}, "fr")
    assert len([t for t in found if "800M GARES" in t]) == 1


def test_near_duplicates_of_different_publishers_both_stay():
    own = {"title": "Museen - Standorte", "lang": "de"}
    refs = [
        {"id": "a", "title": "Liste des musées de la ville", "owner_org": "evian"},
        {"id": "b", "title": "Liste des musées de la ville", "owner_org": "evian"},
        {"id": "c", "title": "Liste des musées de la ville", "owner_org": "mulhouse"},
    ]
    # the rest of a real pool, so that "musée" stays a rare word
    refs += [r for r in _pools()["fr"] if "musée" not in r["title"].lower()]
    assert [c.id for c in counterparts.rank(own, refs)] == ["a", "c"]
    confirmed = counterparts.rank(own, refs, decisions={"b": "confirmed"})
    assert [c.id for c in confirmed] == ["b", "c"]


def test_a_general_gemet_concept_alone_is_no_counterpart():
    # "Programm" heads several GEMET concepts: a course programme and a students' week
    # programme share a field, not a subject.
    own = {"title": "Stadt Bonn: VHS Bonn Kursprogramm", "lang": "de"}
    assert _titles(own, "fr") == []
    general = counterparts.rank(own, [{"id": "x", "title": "Programme de la semaine"}], limit=3)
    assert general == []


# -- the partner's own language versions ------------------------------------------------------


def test_a_partner_version_in_our_language_makes_the_match():
    # Alba Iulia publishes its titles in Romanian and German (ckanext-fluent): our German
    # title meets the German version; GEMET knows no "cemetery", so nothing else would.
    own = {"title": "Friedhöfe der Stadt", "lang": "de"}
    ref = {"id": "ro", "title": "Cimitirele municipiului Alba Iulia", "lang": "ro"}
    pool = _pools()["fr"]
    assert counterparts.rank(own, [ref, *pool]) == []
    ref["titles"] = {"de": "Friedhöfe der Stadt Alba Iulia", "ro": ref["title"]}
    found = counterparts.rank(own, [ref, *pool])
    assert [c.id for c in found] == ["ro"]
    assert found[0].reasons[0].kind == "title" and "friedhofe" in found[0].reasons[0].label


def test_untrusted_versions_are_capped_and_never_an_error():
    own = {"title": "Friedhöfe", "lang": "de"}
    bad = [None, "Friedhöfe", ["de", "Friedhöfe"], {5: "Friedhöfe", "de": 7}]
    for titles in bad:
        assert counterparts.rank(own, [{"id": "x", "title": "Y", "titles": titles}]) == []
    many = {f"l{i}": "Wort " * 500 for i in range(100)}
    prof = counterparts.profile({"title": "T", "titles": many})
    assert len(prof.words) <= 1 + counterparts.MAX_VERSIONS


def _set_loader():
    path = Path(__file__).resolve().parents[3] / "bench" / "counterparts_set.py"
    spec = importlib.util.spec_from_file_location("counterparts_set", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_later_pools_judge_only_their_own_titles_and_known_own_datasets():
    # each pools/<name>/ folder: judged titles are titles of that pool, judged ids are own ids
    loader = _set_loader()
    known = {"own": set(_own()), "heldout": set(_heldout())}
    for folder in loader.pool_folders():
        pool = json.loads((folder / "pool.json").read_text(encoding="utf-8"))
        titles = {r["title"] for r in pool["items"]}
        assert pool["items"] and all(r.get("id") and r.get("lang") for r in pool["items"])
        labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
        for key, ids in known.items():
            judged = labels.get(key, {})
            assert set(judged) <= ids, (folder.name, key, set(judged) - ids)
            for own_id, judged_titles in judged.items():
                assert set(judged_titles) <= titles, (folder.name, own_id)


def test_loader_merges_later_pool_judgements_into_the_own_items():
    own, heldout, pools, split = _set_loader().load()
    assert split == "heldout-2026-12-05"
    assert {"fr", "nl", "it", "cs"} <= set(pools)
    for folder in _set_loader().pool_folders():
        labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
        merged = {o["id"]: o["same_subject"].get(folder.name, []) for o in own}
        assert all(merged[i] == t for i, t in labels.get("own", {}).items() if t)


def test_declared_transport_networks_alone_do_not_pair_a_road_network_with_bus_stops():
    # both declare "Transport networks" (Aarhus' demo datasets): the titles name different
    # GEMET concepts (road network, bus), so only the partner's road network is a counterpart
    transport = "http://data.europa.eu/bna/c_4b74ea13"
    own = {"title": "Straßennetz", "lang": "de", "hvd_category": [transport]}
    refs = [
        {"id": "stops", "title": "Busstoppesteder", "titles": {"en": "Bus stops"},
         "lang": "da", "hvd_category": [transport]},
        {"id": "roads", "title": "Vejnet", "titles": {"en": "Road network"},
         "lang": "da", "hvd_category": [transport]},
        {"id": "untitled", "title": "Vejdata 2021", "lang": "da", "hvd_category": [transport]},
    ]  # fmt: skip
    found = [c.id for c in counterparts.rank(own, refs)]
    assert found[0] == "roads"
    assert "stops" not in found
    # a title GEMET cannot read says nothing against the declared category
    assert "untitled" in found


def test_a_narrower_gemet_concept_is_not_a_different_subject():
    g = bundled()
    child, parents = next((n, p) for n, p in sorted(g.broader.items()) if p)
    assert g.related(child, parents[0]) and g.related(parents[0], child)
    assert not g.related(child, next(n for n in sorted(g.labels) if not g.related(child, n)))


def test_second_heldout_judges_only_titles_of_its_pools_and_its_own_items():
    loader = _set_loader()
    _, _, pools, _ = loader.load()
    doc = json.loads((SET / "own_heldout2.json").read_text(encoding="utf-8"))
    ids = {o["id"] for o in doc["own"]}
    assert len(ids) == 32 and not ids & set(_own()) and not ids & set(_heldout())
    for name in loader.labelled("heldout2"):
        judged = json.loads((SET / "heldout2" / f"{name}.json").read_text(encoding="utf-8"))
        titles = {r["title"] for r in pools[name]}
        assert set(judged) <= ids, name
        assert all(set(t) <= titles for t in judged.values()), name


# -- what a German compound names ------------------------------------------------------------

_PADDING = [
    {"id": f"p{i}", "title": f"Dataset number {i} of the city", "lang": "en"} for i in range(30)
]


def _ranked_ids(title: str, refs: list[dict]) -> list[str]:
    return [c.id for c in counterparts.rank({"title": title, "lang": "de"}, refs + _PADDING)]


def test_a_compound_modifier_is_no_subject():
    # "Zugriffsstatistiken" (website hits) splits into Zug|riff|statistiken: no train in it
    refs = [{"id": "train", "title": "CTA - Developer Tool: Train Tracker API", "lang": "en"}]
    assert _ranked_ids("Zugriffsstatistiken von kreis-kleve.de für April 2016", refs) == []
    named = bundled().concept_roles("Zugriffsstatistiken", "de")
    assert named.minor and all(n in named.concepts for n in named.minor)


def test_a_narrowed_head_needs_its_narrowing_on_the_other_side():
    # a music school is a school, but "school" alone is the broader subject
    refs = [
        {"id": "schools", "title": "Schools", "lang": "en"},
        {"id": "music", "title": "Music schools", "lang": "en"},
    ]
    assert _ranked_ids("Abmeldungen in der Musikschule 2012", refs) == ["music"]


def test_a_short_stem_is_the_word_only_with_its_own_ending():
    # "Rat" (council) is not GEMET's "Rate"; "gares" is still "gare"
    g = bundled()
    assert not g.concepts("Sitzungen von Rat und Ausschüssen", "de")
    assert "gare" in g.concepts("PERIMETRE 800M GARES GRAND PARIS EXPRESS", "fr").values()
    assert "Hafen" in g.concepts("Häfen und Anlegestellen", "de").values()


def test_a_concept_explaining_a_small_part_of_our_title_is_partial():
    # library loans share only "library" with a library's WiFi usage; our library list is
    # about libraries, so every library dataset is its counterpart
    others = ["Parking meters", "Tree census", "Street lights", "Building permits", "Crimes"]
    refs = [{"id": "wifi", "title": "Libraries - WiFi Usage", "lang": "en"}] + [
        {"id": str(i), "title": f"{title} {year}", "lang": "en"}
        for i, (title, year) in enumerate((t, y) for t in others for y in range(2010, 2014))
    ]
    loans = {"title": "Stadt Moers: Anzahl der Ausleihen der Bibliothek Moers", "lang": "de"}
    libraries = {"title": "Stadt Köln: Bibliotheken in Köln", "lang": "de"}
    assert counterparts.rank(loans, refs) == []
    assert [c.id for c in counterparts.rank(libraries, refs)] == ["wifi"]
    # "Köln" and "Koeln" are one unit of the title, "bus" (a short label) is one
    own = counterparts.profile({"title": "Stadt Köln: Bebauungsplaene Koeln", "lang": "de"})
    other = counterparts.profile({"title": "Bestemmingsplan", "lang": "nl"})
    assert overlap.share(own, other) == 1 / 3
    bus = counterparts.profile({"title": "Bus stops", "lang": "en"})
    autobus = counterparts.profile({"title": 'TRASPORTO PUBBLICO URBANO "AUTOBUS"', "lang": "it"})
    assert overlap.share(bus, autobus) == 1 / 2


@pytest.mark.parametrize(
    ("name", "earlier_sets"),
    [
        ("heldout3", ("heldout2",)),
        ("heldout4", ("heldout2", "heldout3")),
    ],
)
def test_later_heldout_judges_only_titles_of_its_pools_and_its_own_items(name, earlier_sets):
    loader = _set_loader()
    _, _, pools, _ = loader.load()
    doc = json.loads((SET / f"own_{name}.json").read_text(encoding="utf-8"))
    ids = {o["id"] for o in doc["own"]}
    earlier = [
        o
        for other in earlier_sets
        for o in json.loads((SET / f"own_{other}.json").read_text(encoding="utf-8"))["own"]
    ]
    sources = {o["source"] for o in [*_own().values(), *_heldout().values(), *earlier]}
    assert len(ids) == 32 and not sources & {o["source"] for o in doc["own"]}
    for pool in loader.labelled(name):
        judged = json.loads((SET / name / f"{pool}.json").read_text(encoding="utf-8"))
        titles = {r["title"] for r in pools[pool]}
        assert set(judged) <= ids, pool
        assert all(set(t) <= titles for t in judged.values()), pool


# -- English noun runs: "bus stops" is about stops, of buses -----------------------------


@cache
def _later_pool(name: str) -> tuple[dict, ...]:
    return tuple(_set_loader().load()[2][name])


def _later_titles(own: dict, name: str) -> list[str]:
    pool = list(_later_pool(name))
    by_id = {r["id"]: r["title"] for r in pool}
    return [by_id[c.id] for c in counterparts.rank(own, pool)]


def test_english_noun_runs_end_at_punctuation_and_prepositions():
    from ckanext.partnercity.themes.gemet import noun_runs

    assert noun_runs("Bus stops") == [("bus", "stops")]
    assert noun_runs("CTA - System Information - List of 'L' Stops") == [("system", "information")]
    assert noun_runs("Libraries - 2011 Circulation by Location") == []


def test_an_english_modifier_concept_is_no_subject_in_madrid_and_palermo():
    # "bus" only says which stops; Madrid's bus fleet and Palermo's bus ridership are not
    # about bus stops (judged so in own.json)
    own = _own()["demo-bus"]
    assert _later_titles(own, "es") == []
    assert _later_titles(own, "it-palermo") == []


def test_a_head_narrowed_by_a_word_needs_that_word_on_the_other_side():
    chicago = _later_titles(_own()["demo-bus"], "en")
    assert "CTA - Bus Stops - KML" in chicago
    assert "CTA - System Information - List of 'L' Stops" not in chicago  # train stops
    stations = _later_titles(_own()["mdk-bahnhoefe"], "en")
    assert "Metra Stations - KML" in stations  # "Metra" is a name: it narrows nothing
    assert not {"Fire Stations", "Police Stations"} & set(stations)
