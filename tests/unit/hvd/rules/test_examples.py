"""The 15 official DCAT-AP HVD 3.0.0 examples and a real DCAT-AP.de HVD dataset, checked.

Examples: tests/fixtures/hvd/examples-3.0.0/ (byte-identical copies, see README there).
Most examples are fragments that illustrate one feature, so most are non-compliant
as whole files; the expected outcome of each and why (rule set dcat-ap-hvd-3.0.0,
violations only; ``bees`` = exampleMS:1T2p3o4B, ``wasps`` = exampleMS:1W2o3p4T):

- bees_wasps_dataset: parse error. Not valid Turtle as published (no ``.`` after the
  first ``@prefix``). Repaired in memory: bees non-compliant (no distribution, no API:
  dataset.distribution, dataset.api, annex.bulk); wasps out of scope (only the INSPIRE
  ELI, no HVD category).
- data_service_openapi_sla: an API alone, non-compliant: no contact point
  (service.contact), no licence/rights (service.legal). No dataset is described.
- data_service_service_desk: the same API with a service-desk contact; still no
  licence/rights (service.legal).
- data_service_terms_sla: bees non-compliant (no HVD category; dist-RDF lacks the ELI;
  no distribution has an access URL; the API has no contact point); wasps out of scope.
- map_licenses: nothing to check (two licence documents only).
- ms_catalogue: bees non-compliant: dist-RDF is referenced but not described in this
  file, so it has no ELI, access URL or licence (the official shapes skip it: untyped).
- ms_catalogue_hvd: bees **needs_attestation** (compliant once free of charge and the API
  terms are attested): the complete example (ELI, leaf category, SHP
  distribution with ELI and a CC0-mapped licence, API with contact, page, endpoint,
  licence). Warnings remain (the API's TermsOfUse licence is not described/mapped).
- ms_catalogue_simple: nothing to check (catalogue naming undescribed resources).
- ms_dataset: bees non-compliant: no category, no distribution, no API.
- ms_dataset_2_distributions: bees non-compliant: no category, no API, dist-RDF without
  ELI, no licence on either distribution.
- ms_dataset_2_identifiers: as ms_dataset (shows identifiers only).
- ms_dataset_2_licenses: bees non-compliant (no category; dist-RDF without ELI; no
  access URLs; the API lacks category, contact, page and licence); wasps out of scope.
- ms_dataset_data_service: as ms_dataset_2_licenses plus no licences on distributions.
- ms_dataset_hvd_profile: bees non-compliant: no category, no API, dist-RDF lacks the
  ELI, no licences.
- restrict_licenses: bees non-compliant (no category, no API, dist-RDF lacks the ELI, no
  access URLs); wasps out of scope. Licence openness needs attestation (own licence URIs
  whose mapping lives in map_licenses); merged with map_licenses, NoCommercialUseWithFees
  (skos:broadMatch CC BY-NC 4.0) fails Art. 4(3).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ckanext.partnercity.hvd.rules import engine, loaders

EXAMPLES = Path(__file__).resolve().parents[3] / "fixtures" / "hvd" / "examples-3.0.0"
ROSTOCK = (
    Path(__file__).resolve().parents[3]
    / "fixtures"
    / "dcat"
    / "rostock_opendata-hro_ckan_dcat-ap-de_dataset.rdf"
)

NC, OUT = "non_compliant", "out_of_scope"
EXPECTED = {
    "example-data_service_openapi_sla.ttl": (
        {}, {"EAMS-APIplatform": (NC, ["hvd.service.contact", "hvd.service.legal"])},
    ),
    "example-data_service_service_desk.ttl": (
        {}, {"EAMS-APIplatform": (NC, ["hvd.service.legal"])},
    ),
    "example-data_service_terms_sla.ttl": (
        {
            "1T2p3o4B": (NC, [
                "hvd.dataset.category", "hvd.distribution.access-url",
                "hvd.distribution.eli", "hvd.service.contact",
            ]),
            "1W2o3p4T": (OUT, []),
        },
        {},
    ),
    "example-map_licenses.ttl": ({}, {}),
    "example-ms_catalogue.ttl": (
        {"1T2p3o4B": (NC, [
            "hvd.distribution.access-url", "hvd.distribution.eli", "hvd.distribution.legal",
        ])},
        {},
    ),
    "example-ms_catalogue_hvd.ttl": ({"1T2p3o4B": ("needs_attestation", [])}, {}),
    "example-ms_catalogue_simple.ttl": ({}, {}),
    "example-ms_dataset.ttl": (
        {"1T2p3o4B": (NC, [
            "hvd.annex.bulk", "hvd.dataset.api", "hvd.dataset.category",
            "hvd.dataset.distribution",
        ])},
        {},
    ),
    "example-ms_dataset_2_distributions.ttl": (
        {"1T2p3o4B": (NC, [
            "hvd.dataset.api", "hvd.dataset.category", "hvd.distribution.eli",
            "hvd.distribution.legal",
        ])},
        {},
    ),
    "example-ms_dataset_2_identifiers.ttl": (
        {"1T2p3o4B": (NC, [
            "hvd.annex.bulk", "hvd.dataset.api", "hvd.dataset.category",
            "hvd.dataset.distribution",
        ])},
        {},
    ),
    "example-ms_dataset_2_licenses.ttl": (
        {
            "1T2p3o4B": (NC, [
                "hvd.dataset.category", "hvd.distribution.access-url", "hvd.distribution.eli",
                "hvd.service.category", "hvd.service.contact", "hvd.service.documentation",
                "hvd.service.legal",
            ]),
            "1W2o3p4T": (OUT, []),
        },
        {},
    ),
    "example-ms_dataset_data_service.ttl": (
        {
            "1T2p3o4B": (NC, [
                "hvd.dataset.category", "hvd.distribution.access-url", "hvd.distribution.eli",
                "hvd.distribution.legal", "hvd.service.category", "hvd.service.contact",
                "hvd.service.documentation", "hvd.service.legal",
            ]),
            "1W2o3p4T": (OUT, []),
        },
        {},
    ),
    "example-ms_dataset_hvd_profile.ttl": (
        {"1T2p3o4B": (NC, [
            "hvd.dataset.api", "hvd.dataset.category", "hvd.distribution.eli",
            "hvd.distribution.legal",
        ])},
        {},
    ),
    "example-restrict_licenses.ttl": (
        {
            "1T2p3o4B": (NC, [
                "hvd.dataset.api", "hvd.dataset.category", "hvd.distribution.access-url",
                "hvd.distribution.eli",
            ]),
            "1W2o3p4T": (OUT, []),
        },
        {},
    ),
}  # fmt: skip


def _check(data: bytes, name: str, **kw) -> dict:
    return engine.check_catalogue(loaders.load(data, name), **kw)


def _violations(results) -> list[str]:
    return sorted(
        r["rule"] for r in results if r["outcome"] == "fail" and r["severity"] == "violation"
    )


def test_all_15_examples_are_covered():
    names = sorted(p.name for p in EXAMPLES.glob("*.ttl"))
    assert len(names) == 15
    assert set(names) == set(EXPECTED) | {"example-bees_wasps_dataset.ttl"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_official_example(name):
    report = _check((EXAMPLES / name).read_bytes(), name)
    datasets = {
        d["uri"].rsplit("/", 1)[-1]: (d["status"], _violations(d["results"]))
        for d in report["datasets"]
    }
    services = {
        s["uri"].rsplit("/", 1)[-1]: (s["status"], _violations(s["results"]))
        for s in report["summary"]["unattached_services"]
    }
    assert (datasets, services) == EXPECTED[name]


def test_bees_wasps_example_is_not_valid_turtle_and_says_so():
    data = (EXAMPLES / "example-bees_wasps_dataset.ttl").read_bytes()
    with pytest.raises(loaders.LoadError, match="line 2"):
        loaders.load(data, "example-bees_wasps_dataset.ttl")
    prefix = b"<http://www.example.org/rdf#>"
    repaired = data.replace(prefix + b"\n", prefix + b" .\n")
    report = _check(repaired, "bees_wasps.ttl")
    by_uri = {d["uri"].rsplit("#", 1)[-1]: d for d in report["datasets"]}
    assert by_uri["dataset_wasp"]["status"] == "out_of_scope"
    assert by_uri["dataset_bees"]["status"] == "non_compliant"
    assert _violations(by_uri["dataset_bees"]["results"]) == [
        "hvd.annex.bulk", "hvd.dataset.api", "hvd.dataset.distribution",
    ]  # fmt: skip


def test_complete_example_passes_every_metadata_rule_but_has_warnings_and_attestations():
    report = _check((EXAMPLES / "example-ms_catalogue_hvd.ttl").read_bytes(), "hvd.ttl")
    ds = report["datasets"][0]
    outcomes = {r["rule"]: r["outcome"] for r in ds["results"]}
    assert outcomes["hvd.dataset.api"] == "pass"
    assert outcomes["hvd.licence.open"] == "pass"  # FreeAndOpen skos:exactMatch CC0
    assert outcomes["hvd.dataset.category-specific"] == "pass"  # c_b7f6a4f3 is a leaf
    assert outcomes["hvd.licence.mapped"] == "fail"  # the API's TermsOfUse is not described
    assert outcomes["hvd.attest.free-of-charge"] == "attest"
    assert report["summary"]["categories"][0]["label"] == "Earth observation and environment"
    # every metadata rule passes, but two violation-level items wait for a person
    assert ds["status"] == "needs_attestation"
    assert report["summary"]["percent_compliant"] == 0.0
    assert report["summary"]["needs_attestation"] == 1
    assert report["summary"]["categories"][0]["needs_attestation"] == 1


def test_licence_mapping_from_another_file_decides_openness():
    restrict = (EXAMPLES / "example-restrict_licenses.ttl").read_bytes()
    mapping = (EXAMPLES / "example-map_licenses.ttl").read_bytes()
    alone = _check(restrict, "r.ttl")["datasets"][0]
    merged = _check(restrict + b"\n" + mapping, "r.ttl")["datasets"][0]
    assert {r["rule"]: r["outcome"] for r in alone["results"]}["hvd.licence.open"] == "attest"
    result = {r["rule"]: r for r in merged["results"]}["hvd.licence.open"]
    assert result["outcome"] == "fail"
    assert "NoCommercialUseWithFees" in " ".join(result["evidence"])


def test_only_shapes_on_an_example():
    report = _check((EXAMPLES / "example-ms_dataset.ttl").read_bytes(), "x.ttl", only_shapes=True)
    rules = {r["rule"] for r in report["datasets"][0]["results"]}
    assert "hvd.dataset.api" in rules and "hvd.annex.bulk" not in rules


def test_rostock_dcat_ap_de_dataset_with_hvd_markers():
    """Real opendata-hro.de (CKAN + DCAT-AP.de) export: ELI and the broad Statistics category
    on the dataset and every distribution, CC0 via the DCAT-AP.de licence URI, but no data
    service: non-compliant for the missing API only; warnings for the broad category, no
    English title/description, a distribution without download URL / format."""
    report = _check(ROSTOCK.read_bytes(), ROSTOCK.name)
    ds = report["datasets"][0]
    assert ds["in_scope"] and ds["categories"] == ["http://data.europa.eu/bna/c_e1da4e07"]
    assert ds["status"] == "non_compliant"
    assert _violations(ds["results"]) == ["hvd.dataset.api"]
    outcomes = {r["rule"]: r["outcome"] for r in ds["results"]}
    assert outcomes["hvd.licence.open"] == "pass"
    assert outcomes["hvd.dataset.category-specific"] == "fail"
    assert outcomes["hvd.report.title-en"] == "fail"
    assert outcomes["hvd.annex.statistics-formats"] == "pass"  # CSV distribution
    assert outcomes["hvd.distribution.eli"] == "pass"
