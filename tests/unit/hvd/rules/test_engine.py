"""Every HVD rule has a passing and a failing case (CKAN dicts through the real loader).

The base is a fully compliant dataset (tests/unit/hvd/rules/cases.py); each failing case
changes exactly what the rule looks at. Attestation rules cannot pass or fail by
metadata: their "failing" case is the checklist item (``attest``) and their
"passing" case is a dataset outside the rule's categories (``n/a``) or, for rules
on all HVD, the dataset status staying compliant despite the open item.
"""

from __future__ import annotations

import pytest

from ckanext.partnercity.hvd.rules import engine
from ckanext.partnercity.hvd.rules.model import Catalogue, Node

from .cases import (
    BUILDINGS,
    COMPANY_DOCS,
    ELI,
    INSPIRE_ELI,
    NWP,
    STATISTICS,
    good_package,
    outcome,
    package,
    record,
)


def _svc(pkg):
    return pkg["resources"][1]["access_services"][0]


def without_service_field(field):
    def change(pkg):
        _svc(pkg).pop(field)
        return pkg

    return change


def with_resource(index=0, **fields):
    def change(pkg):
        res = pkg["resources"][index]
        for key, value in fields.items():
            if value is None:
                res.pop(key, None)
            else:
                res[key] = value
        return pkg

    return change


def only_api_resource(pkg):
    pkg["resources"] = pkg["resources"][1:]
    return pkg


def no_api(pkg):
    pkg["resources"][1].pop("access_services")
    return pkg


def category(*cats, formats=None):
    def change(pkg):
        pkg["hvd_category"] = list(cats)
        _svc(pkg)["hvd_category"] = list(cats)
        if formats:
            for res, fmt in zip(pkg["resources"], formats, strict=True):
                res["format"] = fmt
                res.pop("mimetype", None)
        return pkg

    return change


def second_licence(kind):
    """Records can carry what CKAN cannot: a second dct:license."""

    def change(rec):
        node = rec.distributions[0] if kind == "distribution" else rec.services[0]
        node.add(
            "dct:license", Node("http://publications.europa.eu/resource/authority/licence/CC0")
        )
        return rec

    return change


def no_serves_dataset(rec):
    rec.services[0].props.pop("dcat:servesDataset")
    return rec


def pkg_change(**fields):
    return lambda pkg: package(**fields)


IDENT = None
ACCESS = "http://publications.europa.eu/resource/authority/access-right/"
# rule id: (rule set, change for the passing case, change for the failing case, failing outcome)
# A change takes the package dict, or the loaded record when marked with "rec:".
CASES = {
    "hvd.dataset.eli": ("3", IDENT, pkg_change(applicable_legislation=[INSPIRE_ELI]), "fail"),
    "hvd.dataset.category": ("3", IDENT, pkg_change(hvd_category=[]), "fail"),
    "hvd.dataset.category-scheme": (
        "3", IDENT, pkg_change(hvd_category=["http://example.org/cat/population"]), "fail",
    ),
    "hvd.dataset.category-specific": ("3", IDENT, category(STATISTICS), "fail"),
    "hvd.dataset.distribution": ("3", IDENT, pkg_change(resources=[]), "fail"),
    "hvd.dataset.api": ("3", IDENT, no_api, "fail"),
    "hvd.distribution.eli": ("3", IDENT, with_resource(0, applicable_legislation=None), "fail"),
    "hvd.distribution.access-url": ("3", IDENT, with_resource(0, url=None), "fail"),
    "hvd.distribution.legal": (
        "3", IDENT,
        lambda p: with_resource(0, license=None)(package(license_id="", resources=p["resources"])),
        "fail",
    ),
    "hvd.distribution.licence-max": ("3", IDENT, ("rec", second_licence("distribution")), "fail"),
    "hvd.service.eli": ("3", IDENT, without_service_field("applicable_legislation"), "fail"),
    "hvd.service.category": ("3", IDENT, without_service_field("hvd_category"), "fail"),
    "hvd.service.category-scheme": (
        "3", IDENT,
        lambda p: (_svc(p).update(hvd_category=["Bevölkerung"]), p)[1],
        "fail",
    ),
    "hvd.service.contact": ("3", IDENT, without_service_field("contact"), "fail"),
    "hvd.service.documentation": ("3", IDENT, without_service_field("documentation"), "fail"),
    "hvd.service.endpoint": ("3", IDENT, without_service_field("endpoint_url"), "fail"),
    "hvd.service.legal": ("3", IDENT, without_service_field("license"), "fail"),
    "hvd.service.licence-max": ("3", IDENT, ("rec", second_licence("service")), "fail"),
    "hvd.service.serves-dataset": ("2", IDENT, ("rec", no_serves_dataset), "fail"),
    "hvd.service.contact-reachable": (
        "3", IDENT, lambda p: (_svc(p).update(contact=[{"name": "Desk"}]), p)[1], "fail",
    ),
    "hvd.service.endpoint-description": (
        "3", IDENT, without_service_field("endpoint_description"), "fail",
    ),
    "hvd.licence.open": (
        "3", IDENT,
        with_resource(0, license="https://creativecommons.org/licenses/by-sa/4.0/"),
        "fail",
    ),
    "hvd.licence.mapped": (
        "3", IDENT, with_resource(0, license="https://data.example.org/licence/own"), "fail",
    ),
    "hvd.report.title-en": ("3", IDENT, pkg_change(title_translated={}), "fail"),
    "hvd.report.description-en": ("3", IDENT, pkg_change(notes_translated={}), "fail"),
    "hvd.report.download-url": ("3", IDENT, with_resource(0, download_url=None), "fail"),
    "hvd.format.machine-readable": (
        "3", IDENT, with_resource(0, format="PDF", mimetype="application/pdf"), "fail",
    ),
    "hvd.dataset.contact": ("3", IDENT, pkg_change(contact=[]), "fail"),
    "hvd.access.public": (
        "3",
        pkg_change(access_rights=ACCESS + "PUBLIC"),
        pkg_change(access_rights=ACCESS + "RESTRICTED"),
        "fail",
    ),
    "hvd.fees.free-of-charge": (
        "3", IDENT,
        with_resource(0, rights="Commercial re-use requires payment of a licence fee."),
        "fail",
    ),
    "hvd.attest.free-of-charge": ("3", None, IDENT, "attest"),
    "hvd.attest.api-terms-qos": ("3", None, IDENT, "attest"),
    "hvd.annex.bulk": ("3", IDENT, only_api_resource, "fail"),
    "hvd.annex.nwp-api": ("3", category(NWP), lambda p: no_api(category(NWP)(p)), "fail"),
    "hvd.annex.statistics-formats": (
        "3", IDENT, category(STATISTICS, formats=["PDF", "HTML"]), "fail",
    ),
    "hvd.annex.company-documents-xhtml": (
        "3",
        category(COMPANY_DOCS, formats=["XHTML", "JSON"]),
        category(COMPANY_DOCS, formats=["PDF", "JSON"]),
        "fail",
    ),
    "hvd.annex.geo-granularity": ("3", IDENT, category(BUILDINGS), "attest"),
    "hvd.annex.inspire-metadata": ("3", IDENT, category(BUILDINGS), "attest"),
    "hvd.annex.attributes-timeliness": ("3", category(BUILDINGS), IDENT, "attest"),
}  # fmt: skip
RULE_SETS = {"3": "dcat-ap-hvd-3.0.0", "2": "dcat-ap-hvd-2.2.0"}


def _build(change):
    pkg = good_package()
    if change is IDENT:
        return record(pkg)
    if isinstance(change, tuple):
        return change[1](record(pkg))
    return record(change(pkg))


def test_every_rule_has_a_case():
    """Probe rules have their cases in test_probes.py (they need an HTTP server)."""
    all_ids = {r.id for r in engine.load_rules() if r.kind != "probe"}
    assert all_ids == set(CASES)


def _attest_all(rec, *rule_ids):
    return [
        {"dataset": rec.uri, "rule": rule_id, "by": "Auditor A", "at": "2026-12-01", "note": ""}
        for rule_id in rule_ids
    ]


# the base dataset (Statistics › Population): free of charge, API terms, Annex §4 attributes
OPEN_ITEMS = (
    "hvd.attest.free-of-charge", "hvd.attest.api-terms-qos", "hvd.annex.attributes-timeliness",
)  # fmt: skip


def test_the_base_dataset_has_no_failure_and_needs_three_attestations():
    report = engine.check_catalogue(Catalogue(None, None, [record()]))
    ds = report["datasets"][0]
    assert ds["status"] == "needs_attestation"
    assert [r["rule"] for r in ds["results"] if r["outcome"] == "fail"] == []
    assert {r["rule"] for r in ds["results"] if r["outcome"] == "attest"} == set(OPEN_ITEMS)


def test_the_base_dataset_is_compliant_once_its_items_are_attested():
    rec = record()
    report = engine.check_catalogue(
        Catalogue(None, None, [rec]), attestations=_attest_all(rec, *OPEN_ITEMS)
    )
    ds = report["datasets"][0]
    assert ds["status"] == "compliant"
    attested = [r for r in ds["results"] if r["outcome"] == "attested"]
    assert {r["rule"] for r in attested} == set(OPEN_ITEMS)
    assert attested[0]["attestation"] == {
        "by": "Auditor A", "at": "2026-12-01", "evidence_url": None, "note": "",
    }  # fmt: skip
    s = report["summary"]
    assert (s["compliant"], s["needs_attestation"], s["percent_compliant"]) == (1, 0, 100.0)
    assert s["outcomes"]["attested"] == 3 and s["outcomes"]["attest"] == 0
    assert s["attestations"] == {"applied": 3, "ignored": 0, "open": 0, "unused": []}


def test_one_attestation_of_two_leaves_the_dataset_waiting():
    rec = record()
    report = engine.check_catalogue(
        Catalogue(None, None, [rec]), attestations=_attest_all(rec, OPEN_ITEMS[0])
    )
    assert report["datasets"][0]["status"] == "needs_attestation"


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_passes_and_fails(rule_id):
    short, good, bad, bad_outcome = CASES[rule_id]
    rule_set = RULE_SETS[short]
    if good is not None:
        # attestation rules "pass" by not applying: the dataset is outside their categories
        expected = "n/a" if bad_outcome == "attest" else "pass"
        assert outcome(rule_id, _build(good), rule_set) == expected
    assert outcome(rule_id, _build(bad), rule_set) == bad_outcome


def test_open_attestations_do_not_fail_a_dataset_but_keep_it_waiting():
    rec = record(category(BUILDINGS)(good_package()))
    ds = engine.evaluate_record(rec, engine.select_rules())
    attested = {r["rule"] for r in ds["results"] if r["outcome"] == "attest"}
    assert {"hvd.annex.geo-granularity", "hvd.attest.free-of-charge"} <= attested
    assert ds["status"] == "needs_attestation"


def test_an_open_warning_level_item_does_not_block():
    """hvd.annex.inspire-metadata is a warning: left open, the dataset is still compliant."""
    rec = record(category(BUILDINGS)(good_package()))
    blocking = (*OPEN_ITEMS[:2], "hvd.annex.geo-granularity")
    report = engine.check_catalogue(
        Catalogue(None, None, [rec]), attestations=_attest_all(rec, *blocking)
    )
    ds = report["datasets"][0]
    outcomes = {r["rule"]: r["outcome"] for r in ds["results"]}
    assert outcomes["hvd.annex.inspire-metadata"] == "attest"
    assert ds["status"] == "compliant"
    assert report["summary"]["attestations"]["open"] == 1


def test_attestation_outside_its_categories_is_not_applicable():
    assert outcome("hvd.annex.geo-granularity", record()) == "n/a"
    buildings = record(category(BUILDINGS)(good_package()))
    assert outcome("hvd.annex.attributes-timeliness", buildings) == "n/a"


def test_unknown_licence_needs_attestation_not_failure():
    rec = record(with_resource(0, license="https://data.example.org/licence/own")(good_package()))
    assert outcome("hvd.licence.open", rec) == "attest"


def test_nwp_model_data_need_no_bulk_download():
    rec = record(only_api_resource(category(NWP)(good_package())))
    assert outcome("hvd.annex.bulk", rec) == "n/a"
    assert outcome("hvd.annex.nwp-api", rec) == "pass"


def test_api_rule_is_not_in_the_2_2_0_rule_set_but_serves_dataset_is():
    ids22 = set(engine.rules_by_id("dcat-ap-hvd-2.2.0"))
    ids30 = set(engine.rules_by_id("dcat-ap-hvd-3.0.0"))
    assert "hvd.dataset.api" not in ids22 and "hvd.dataset.api" in ids30
    assert "hvd.service.serves-dataset" in ids22 and "hvd.service.serves-dataset" not in ids30


def test_scope_is_eli_or_category():
    assert engine.in_scope(record())
    assert engine.in_scope(record(package(applicable_legislation=[])))
    assert engine.in_scope(record(package(hvd_category=[])))
    out = record(package(applicable_legislation=[INSPIRE_ELI], hvd_category=[]))
    assert not engine.in_scope(out)
    ds = engine.evaluate_record(out, engine.select_rules())
    assert ds["status"] == "out_of_scope" and ds["results"] == []


def test_a_violation_makes_the_dataset_non_compliant_a_warning_does_not():
    rec = record(package(title_translated={}))
    report = engine.check_catalogue(
        Catalogue(None, None, [rec]), attestations=_attest_all(rec, *OPEN_ITEMS)
    )
    warn = report["datasets"][0]
    assert {r["rule"] for r in warn["results"] if r["outcome"] == "fail"} == {"hvd.report.title-en"}
    assert warn["status"] == "compliant"
    viol = engine.evaluate_record(record(no_api(good_package())), engine.select_rules())
    assert viol["status"] == "non_compliant"
    failed = [r for r in viol["results"] if r["outcome"] == "fail"]
    assert failed[0]["rule"] == "hvd.dataset.api" and failed[0]["fix"]
    assert "Art. 3(1)" in failed[0]["source"]


def test_only_shapes_selects_rules_that_mirror_an_official_shape():
    shaped = engine.select_rules(only_shapes=True)
    assert shaped and all(r.shape for r in shaped)
    assert "hvd.licence.open" not in {r.id for r in shaped}


def test_rule_files_are_complete():
    for rule in engine.load_rules():
        assert rule.title["en"] and rule.title["de"] and rule.fix["en"] and rule.fix["de"]
        assert rule.source and rule.severity in engine.SEVERITIES and rule.kind in engine.KINDS
        assert rule.rule_sets


def test_a_bad_rule_file_is_refused(tmp_path):
    (tmp_path / "x.yaml").write_text(
        "rules:\n  - {id: x, title: {en: a, de: b}, source: s, severity: violation, scope: all,"
        " kind: metadata, rule_sets: [dcat-ap-hvd-3.0.0], fix: {en: a, de: b}, check: nope}\n"
    )
    with pytest.raises(engine.RuleError, match="unknown predicate"):
        engine.load_rules(tmp_path)


def test_an_unquoted_comma_in_a_title_is_refused(tmp_path):
    (tmp_path / "x.yaml").write_text(
        "rules:\n  - {id: x, title: {en: CSV, XML or JSON, de: b}, source: s, severity: warning,"
        " scope: all, kind: metadata, rule_sets: [dcat-ap-hvd-3.0.0], fix: {en: a, de: b},"
        " check: {name: has_property, args: {path: 'dcat:keyword'}}}\n"
    )
    with pytest.raises(engine.RuleError, match="title has keys that are no language"):
        engine.load_rules(tmp_path)


def test_superseded_by_must_name_a_rule(tmp_path):
    (tmp_path / "x.yaml").write_text(
        "rules:\n  - {id: x, title: {en: a, de: b}, source: s, severity: violation, scope: all,"
        " kind: attestation, rule_sets: [dcat-ap-hvd-3.0.0], fix: {en: a, de: b}, check: attest,"
        " superseded_by: [no.such.rule]}\n"
    )
    with pytest.raises(engine.RuleError, match="superseded_by names unknown rules"):
        engine.load_rules(tmp_path)


def test_adding_a_rule_is_one_yaml_entry(tmp_path):
    (tmp_path / "extra.yaml").write_text(
        "rules:\n  - {id: x.keyword, title: {en: has keywords, de: hat Schlagwörter},"
        " source: local, severity: warning, scope: all, kind: metadata,"
        " rule_sets: [dcat-ap-hvd-3.0.0], fix: {en: add, de: ergänzen},"
        " check: {name: has_property, args: {path: 'dcat:keyword'}}}\n"
    )
    rules = engine.load_rules(tmp_path)
    report = engine.check_catalogue(Catalogue(None, None, [record()]), rules=rules)
    assert report["datasets"][0]["results"][0]["outcome"] == "fail"
    assert ELI in record().legislation()
