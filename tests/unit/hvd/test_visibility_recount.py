"""The summary of a filtered report is counted again, the four verdicts and attestations too."""

from __future__ import annotations

from ckanext.partnercity.hvd.checks import short_summary
from ckanext.partnercity.hvd.rules import engine
from ckanext.partnercity.hvd.rules.model import Catalogue
from ckanext.partnercity.hvd.visibility import recount

from .rules.cases import package, record

ITEMS = ("hvd.attest.free-of-charge", "hvd.attest.api-terms-qos", "hvd.annex.attributes-timeliness")


def _report():
    shown, hidden = record(), record(package(uri="https://data.example.org/dataset/secret"))
    given = [
        {"dataset": uri, "rule": rule, "by": "A", "at": "2026-12-01"}
        for uri in (shown.uri, hidden.uri)
        for rule in ITEMS
    ] + [{"dataset": hidden.uri, "rule": "hvd.dataset.eli", "by": "A", "at": "2026-12-01"}]
    return engine.check_catalogue(Catalogue(None, None, [shown, hidden]), attestations=given)


def test_recount_keeps_the_verdicts_and_drops_what_names_hidden_datasets():
    report = _report()
    assert report["summary"]["compliant"] == 2
    assert [a["dataset"] for a in report["summary"]["attestations"]["unused"]] == [
        "https://data.example.org/dataset/secret"
    ]
    shown = report["datasets"][:1]
    fresh = recount(report["summary"], shown)
    assert (fresh["datasets"], fresh["compliant"], fresh["needs_attestation"]) == (1, 1, 0)
    assert fresh["outcomes"]["attested"] == 3
    assert fresh["attestations"] == {"applied": 3, "ignored": 0, "open": 0, "unused": []}
    assert fresh["rule_list"] == report["summary"]["rule_list"]


def test_short_summary_keeps_needs_attestation_and_reads_old_runs():
    short = short_summary(_report())
    assert short["needs_attestation"] == 0 and short["compliant"] == 2
    assert short["categories"][0]["needs_attestation"] == 0
    old = {"summary": {"datasets": 1, "in_scope": 1, "compliant": 1, "non_compliant": 0,
                       "percent_compliant": 100.0, "categories": [
                           {"category": "c", "label": "C", "in_scope": 1, "compliant": 1,
                            "percent_compliant": 100.0}]}}  # fmt: skip
    assert short_summary(old)["needs_attestation"] == 0
