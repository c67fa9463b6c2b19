"""Licence and rights texts: fees in eight languages (negations too), access rights, unknown
licences judged by their own text, and the real-life case of issue 12."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ckanext.partnercity.hvd.rules import engine, loaders, predicates, texts
from ckanext.partnercity.hvd.rules.model import Lit, Node

from .cases import good_package, outcome, package, record
from .test_engine import with_resource

CASE = Path(__file__).resolve().parents[3] / "fixtures" / "hvd" / "verdicts"
ACCESS = "http://publications.europa.eu/resource/authority/access-right/"

# (language, sentence asking for a fee, sentence saying free of charge / no fee)
FEES = [
    ("en", "Royalties are due for commercial reuse.", "The data are free of charge."),
    ("en", "A licence fee is charged for commercial use.", "No fee is charged for any use."),
    ("en", "The data are not free of charge.", "Re-use is royalty-free."),
    ("de", "Für die kommerzielle Nutzung sind Lizenzgebühren zu entrichten.",
     "Die Nutzung ist gebührenfrei."),
    ("de", "Die Weiterverwendung ist entgeltpflichtig.", "Die Daten sind kostenlos verfügbar."),
    ("de", "Die Daten sind nicht kostenlos.", "Es fallen keine Gebühren an."),
    ("fr", "La réutilisation commerciale est soumise à redevance.",
     "La réutilisation est gratuite."),
    ("fr", "La réutilisation n'est pas gratuite.", "Les données sont fournies sans frais."),
    ("fr", "Un tarif s'applique aux usages commerciaux.", "Aucune redevance n'est perçue."),
    ("nl", "Voor commercieel hergebruik is een vergoeding verschuldigd.",
     "Hergebruik is kosteloos."),
    ("nl", "Hergebruik is niet gratis.", "Er worden geen vergoedingen gevraagd."),
    ("it", "Il riutilizzo commerciale è soggetto a tariffa.", "Il riutilizzo è gratuito."),
    ("it", "Per l'uso commerciale è dovuto un canone.", "Nessuna tariffa è dovuta."),
    ("ro", "Reutilizarea comercială este supusă unei taxe.", "Reutilizarea este gratuită."),
    ("ro", "Pentru uz comercial se aplică tarife.", "Datele sunt disponibile fără taxe."),
    ("pl", "Ponowne wykorzystanie w celach komercyjnych podlega opłacie.",
     "Dane są udostępniane bezpłatnie."),
    ("pl", "Wykorzystanie komercyjne jest odpłatne.", "Nie pobiera się żadnych opłat."),
    ("es", "La reutilización comercial está sujeta al pago de una tasa.",
     "La reutilización es gratuita."),
    ("es", "Se aplican tarifas al uso comercial.", "No se cobra ninguna tasa."),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "fee", "free"), FEES)
def test_fees_are_found_and_free_of_charge_is_not(lang, fee, free):
    quotes = texts.find_fees([Lit(fee, lang)])
    assert [q.sentence for q in quotes] == [fee]
    assert quotes[0].lang == lang
    assert texts.find_fees([Lit(free, lang)]) == []


def test_all_eight_languages_are_covered_and_sourced():
    doc = yaml.safe_load(texts.TERMS_FILE.read_text(encoding="utf-8"))
    assert set(texts.languages()) >= {"en", "de", "fr", "nl", "it", "ro", "pl", "es"}
    assert {lang for lang, _, _ in FEES} == set(texts.languages())
    for spec in doc["languages"].values():
        assert "2019/1024" in spec["source"] or "D-" in spec["source"]
        assert spec["fee"] and spec["free"] and spec["negators"]
    # the Directive's Art. 6 words, as the issue names them
    for word in ("charges", "Entgelte", "redevances", "vergoedingen", "tariffe", "tarife",
                 "opłaty", "tarifas"):  # fmt: skip
        assert texts.find_fees([Lit(f"{word} apply to reuse.")]), word


def test_the_quote_is_the_matching_sentence_only():
    text = "Terms of use of the City. Royalties are due for commercial reuse. Attribution."
    (quote,) = texts.find_fees([Lit(text, "en")])
    assert quote.sentence == "Royalties are due for commercial reuse."
    assert str(quote) == "“Royalties are due for commercial reuse.” (en: Royalties)"


def test_words_that_only_look_like_fees_do_not_count():
    for text in ("Contact the person in charge of the data.", "CC BY 4.0. Attribution.",
                 "Die Kosten der Erhebung trägt die Stadt.", "Feedback welcome."):  # fmt: skip
        assert texts.find_fees([Lit(text)]) == [], text


# -- licences judged by their own text ---------------------------------------------------


def _licence(label: str | None, lang: str = "en") -> Node:
    node = Node("https://city.example/licence/own")
    if label:
        node.add("rdfs:label", Lit(label, lang))
    return node


def _dist_with(licence) -> Node:
    dist = Node("https://city.example/dist/1")
    dist.add("dct:license", licence)
    return dist


def test_unknown_licence_with_a_harmless_text_needs_attestation_quoting_it():
    ok, evidence = predicates.licence_open(
        _dist_with(_licence("Stadtlizenz: Namensnennung der Stadt genügt.", "de")), None
    )
    assert ok == "attest"
    assert "“Stadtlizenz: Namensnennung der Stadt genügt.”@de" in evidence


def test_unknown_licence_without_text_needs_attestation_and_says_so():
    ok, evidence = predicates.licence_open(_dist_with(_licence(None)), None)
    assert ok == "attest" and "no text describes it" in evidence


@pytest.mark.parametrize(
    ("label", "lang"),
    [
        ("Royalties are due for commercial reuse.", "en"),
        ("Creative Commons Namensnennung - Nicht kommerziell 4.0", "de"),
        ("Attribution-NonCommercial use only", "en"),
        ("Licence: CC BY-SA 4.0 of the city", "en"),
        ("Réutilisation soumise à redevance.", "fr"),
    ],
)
def test_unknown_licence_whose_text_says_not_open_fails(label, lang):
    ok, evidence = predicates.licence_open(_dist_with(_licence(label, lang)), None)
    assert ok is False and "not_open" in evidence


def test_a_known_open_licence_is_not_overruled_by_its_label():
    cc_by = Node("http://publications.europa.eu/resource/authority/licence/CC_BY_4_0")
    cc_by.add("rdfs:label", Lit("Creative Commons Attribution 4.0 (no fees)", "en"))
    assert predicates.licence_open(_dist_with(cc_by), None)[0] is True


# -- access rights -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (ACCESS + "PUBLIC", "pass"),
        (ACCESS + "RESTRICTED", "fail"),
        (ACCESS + "NON_PUBLIC", "fail"),
        (ACCESS + "CONFIDENTIAL", "fail"),
        (ACCESS + "NORMAL", "attest"),
        ("NON_PUBLIC", "fail"),
        ("restricted", "fail"),
        ("non-public", "fail"),
        ("public", "pass"),
        ("Zugang nur nach Anmeldung", "attest"),
    ],
)
def test_access_rights(value, expected):
    assert outcome("hvd.access.public", record(package(access_rights=value))) == expected


def test_no_access_rights_is_not_applicable():
    assert outcome("hvd.access.public", record()) == "n/a"


def test_access_right_node_judged_by_its_label():
    rec = record()
    node = Node("https://city.example/access/intern")
    node.add("skos:prefLabel", Lit("Non-public", "en"))
    rec.node.add("dct:accessRights", node)
    assert outcome("hvd.access.public", rec) == "fail"


# -- the rule on datasets ------------------------------------------------------------------


def test_fee_in_dataset_rights_fails_and_supersedes_the_attestation():
    pkg = with_resource(0, rights="Gegen Entgelt.")(good_package())
    ds = engine.evaluate_record(record(pkg), engine.select_rules())
    by_rule = {r["rule"]: r for r in ds["results"]}
    fee = by_rule["hvd.fees.free-of-charge"]
    assert fee["outcome"] == "fail" and "“Gegen Entgelt.” (de: Entgelt)" in fee["evidence"][0]
    assert by_rule["hvd.attest.free-of-charge"]["outcome"] == "n/a"
    assert "superseded" in by_rule["hvd.attest.free-of-charge"]["message"]
    assert ds["status"] == "non_compliant"


def test_free_of_charge_text_passes_and_the_person_still_confirms():
    pkg = with_resource(0, rights="Die Daten sind kostenlos verfügbar.")(good_package())
    ds = engine.evaluate_record(record(pkg), engine.select_rules())
    by_rule = {r["rule"]: r["outcome"] for r in ds["results"]}
    assert by_rule["hvd.fees.free-of-charge"] == "pass"
    assert by_rule["hvd.attest.free-of-charge"] == "attest"


def test_ckan_licence_title_and_access_rights_are_read():
    pkg = package(
        license_id="city-licence",
        license_url="https://city.example/licence",
        license_title="Stadtlizenz: Für gewerbliche Nutzung fallen Gebühren an.",
        access_rights=ACCESS + "NON_PUBLIC",
    )
    for res in pkg["resources"]:
        res.pop("license")
    rec = record(pkg)
    assert outcome("hvd.fees.free-of-charge", rec) == "fail"
    assert outcome("hvd.licence.open", rec) == "fail"
    assert outcome("hvd.access.public", rec) == "fail"


def test_restricted_dataset_with_royalties_licence_is_non_compliant_with_both_quotes():
    """Issue 12's real-life case: HVD-tagged, every shape met, access RESTRICTED, the
    publisher's own licence whose label says royalties are due — "compliant" before."""
    data = (CASE / "restricted_royalties.ttl").read_bytes()
    report = engine.check_catalogue(loaders.load(data, "restricted_royalties.ttl"))
    by_uri = {d["uri"].rsplit("/", 1)[-1]: d for d in report["datasets"]}
    ds = by_uri["noise-map"]
    assert ds["status"] == "non_compliant"
    failed = {
        r["rule"]: r
        for r in ds["results"]
        if r["outcome"] == "fail" and r["severity"] == "violation"
    }
    assert set(failed) == {"hvd.access.public", "hvd.fees.free-of-charge", "hvd.licence.open"}
    assert "RESTRICTED" in failed["hvd.access.public"]["evidence"][0]
    fees = failed["hvd.fees.free-of-charge"]["evidence"][0]
    assert "“Royalties are due for commercial reuse.” (en: Royalties)" in fees
    assert "“Für die kommerzielle Weiterverwendung sind Lizenzgebühren zu entrichten.”" in fees
    assert "Royalties are due" in failed["hvd.licence.open"]["evidence"][0]
    # the same dataset, public and CC BY 4.0: nothing fails, only attestations are open
    assert by_uri["noise-map-open"]["status"] == "needs_attestation"
    shapes = engine.check_catalogue(
        loaders.load(data, "restricted_royalties.ttl"), only_shapes=True
    )
    assert {d["status"] for d in shapes["datasets"]} == {"compliant"}  # the shapes see nothing
