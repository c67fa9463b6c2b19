"""The auditor report: HTML sections, escaped catalogue text, category summary, CSV cells."""

from __future__ import annotations

import csv
import io

from ckanext.partnercity.hvd.rules import engine, report
from ckanext.partnercity.hvd.rules.loaders import record_from_ckan
from ckanext.partnercity.hvd.rules.model import Catalogue
from tests.unit.harvesters.test_csv_safe import PAYLOADS

from .cases import BUILDINGS, package

ITEMS = (
    "hvd.attest.free-of-charge", "hvd.attest.api-terms-qos", "hvd.annex.attributes-timeliness",
)  # fmt: skip


def _report(*pkgs, attest=()):
    """The report of ``pkgs``; the datasets whose URIs are in ``attest`` get their open items
    (for Statistics) attested."""
    cat = Catalogue("https://portal.example", None, [record_from_ckan(p) for p in pkgs])
    given = [
        {"dataset": uri, "rule": rule, "by": "Auditor A", "at": "2026-12-01T10:00:00Z",
         "evidence_url": "https://portal.example/fees.html", "note": "fee schedule read"}
        for uri in attest
        for rule in ITEMS
    ]  # fmt: skip
    return engine.check_catalogue(cat, attestations=given)


def test_titles_from_the_catalogue_are_escaped():
    data = _report(package(title="<script>alert(1)</script>", title_translated={}))
    html = report.to_html(data)
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_summary_per_category_and_sections():
    data = _report(
        package(),
        package(name="b", uri="https://x.example/b", hvd_category=[BUILDINGS], resources=[]),
        package(name="c", uri="https://x.example/c", applicable_legislation=[], hvd_category=[]),
        attest=[package()["uri"]],
    )
    cats = {row["label"]: row for row in data["summary"]["categories"]}
    assert cats["Statistics"]["compliant"] == 1 and cats["Geospatial"]["compliant"] == 0
    assert cats["Geospatial"]["percent_compliant"] == 0.0
    assert data["summary"]["out_of_scope"] == 1
    html = report.to_html(data)
    for heading in ("Summary per category", "Failed rules", "Attestation checklist"):
        assert heading in html
    assert "hvd.dataset.distribution" in html and "2023/138" in html


def _run(percent, categories):
    return {"summary": {"percent_compliant": percent, "categories": categories}}


def test_trend_charts_follow_the_runs():
    history = [
        _run(50.0, [{"category": "S", "percent_compliant": 50.0}]),
        _run(None, []),  # a run with nothing in scope leaves a gap
        _run(100.0, [{"category": "S", "percent_compliant": 100.0}]),
    ]
    charts = report.trend_charts(history)
    assert charts["runs"] == 3
    assert "% compliant per run: 50, –, 100" in charts["overall"]
    assert charts["overall"].count(",") >= 2 and "<polyline" in charts["overall"]
    # one point per run that has the category: 50 % at the left, 100 % at the right
    points = charts["categories"]["S"].split('points="')[1].split('"')[0].split()
    assert len(points) == 2
    assert float(points[0].split(",")[1]) > float(points[1].split(",")[1])


def test_one_run_draws_no_trend_and_the_report_still_renders():
    data = _report(package())
    assert report.trend_charts([_run(100.0, [])])["overall"] == ""
    html = report.to_html(data, history=[_run(100.0, [])])
    assert "Trend over check runs" not in html
    fragment = report.to_html(data, fragment=True, dataset_url=lambda ds: "/dataset/x")
    assert "<html" not in fragment and "Summary per category" in fragment


def test_german_report_speaks_german_with_german_category_labels():
    html = report.to_html(_report(package()), lang="de")
    for text in ("HVD-Konformitätsbericht", "Übersicht je Kategorie", "Nicht erfüllte Regeln"):
        assert text in html
    assert "Statistik" in html  # the HVD vocabulary's German label
    assert "Summary per category" not in html


def test_every_report_string_has_a_german_translation():
    from pathlib import Path

    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[4]
    po = root / "ckanext/partnercity/i18n/de/LC_MESSAGES/ckanext-partnercity.po"
    translated = {m.id: m.string for m in read_po(po.open("rb")) if m.id}
    found = [
        msg[2]
        for msg in extract_from_dir(
            str(root / "ckanext/partnercity/hvd/report_templates"),
            method_map=[("**.html", "jinja2.ext:babel_extract")],
            options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
        )
    ]
    assert len(found) > 30
    missing = [m for m in found if not translated.get(m)]
    assert not missing, missing


def test_csv_cells_from_the_catalogue_never_start_a_formula():
    for payload in PAYLOADS:
        data = _report(package(title=payload, title_translated={}))
        rows = list(csv.DictReader(io.StringIO(report.to_csv(data), newline="")))
        assert rows and {r["title"] for r in rows} == {"'" + payload}, payload
