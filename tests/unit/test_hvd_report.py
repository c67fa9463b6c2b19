"""The auditor HTML report: sections, escaping of catalogue text, per-category summary."""

from __future__ import annotations

from ckanext.partnercity.hvd_rules import engine, report
from ckanext.partnercity.hvd_rules.loaders import record_from_ckan

from .hvd_cases import BUILDINGS, package


def _report(*pkgs):
    cat = engine.Catalogue("https://portal.example", None, [record_from_ckan(p) for p in pkgs])
    return engine.check_catalogue(cat)


def test_titles_from_the_catalogue_are_escaped():
    data = _report(package(title="<script>alert(1)</script>", title_translated={}))
    html = report.to_html(data)
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_summary_per_category_and_sections():
    data = _report(
        package(),
        package(name="b", uri="https://x.example/b", hvd_category=[BUILDINGS], resources=[]),
        package(name="c", uri="https://x.example/c", applicable_legislation=[], hvd_category=[]),
    )
    cats = {row["label"]: row for row in data["summary"]["categories"]}
    assert cats["Statistics"]["compliant"] == 1 and cats["Geospatial"]["compliant"] == 0
    assert cats["Geospatial"]["percent_compliant"] == 0.0
    assert data["summary"]["out_of_scope"] == 1
    html = report.to_html(data)
    for heading in ("Summary per category", "Failed rules", "Attestation checklist"):
        assert heading in html
    assert "hvd.dataset.distribution" in html and "2023/138" in html
