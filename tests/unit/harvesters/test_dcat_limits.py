"""One partner dataset cannot cost a worker unbounded memory (harvesters/dcat/limits.py)."""

from __future__ import annotations

import resource

from tests.support.http_server import serve
from tests.support.wide_dcat import wide_catalogue
from tests.unit.harvesters.test_dcat_safety import ALWAYS_STREAM, NEVER_STREAM, PATHS, harvest

TURTLE = {"Content-Type": "text/turtle"}
# The PartnerSource options the adapter fills from ckanext.partnercity.max_*_per_dataset.
DISTRIBUTIONS_OPTION = "max_distributions_per_dataset"
TRIPLES_OPTION = "max_triples_per_dataset"
DEFAULT_MAX_DISTRIBUTIONS = 100


def _harvest_wide(body: bytes, **options: object):
    with serve(lambda method, path, query: (200, TURTLE, body)) as server:
        pages = harvest(server.url + "/catalog.ttl", **options)
    (record,) = [record for page in pages for record in page.records]
    warnings = [warning for page in pages for warning in page.warnings]
    assert not [error for page in pages for error in page.errors]
    return record, warnings


@PATHS
def test_a_thousand_distributions_are_cut_to_the_default_cap(options) -> None:
    record, (warning,) = _harvest_wide(wide_catalogue(1_000), **options)
    assert len(record.distributions) == DEFAULT_MAX_DISTRIBUTIONS
    assert {d.title for d in record.distributions} == {f"Part {n}" for n in range(100)}
    assert warning.identifier == "wide"
    assert "kept the first 100 of 1000 distributions" in warning.message
    assert DISTRIBUTIONS_OPTION in warning.message


@PATHS
def test_the_cap_comes_from_the_source_options(options) -> None:
    record, warnings = _harvest_wide(wide_catalogue(30), **options, **{DISTRIBUTIONS_OPTION: 10})
    assert len(record.distributions) == 10 and len(warnings) == 1
    record, warnings = _harvest_wide(wide_catalogue(30), **options)
    assert len(record.distributions) == 30 and not warnings


def test_a_streamed_description_stops_at_the_triple_budget() -> None:
    body = wide_catalogue(200, triples_each=500)  # 100,000 triples in one dataset
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    record, (warning,) = _harvest_wide(body, **ALWAYS_STREAM, **{TRIPLES_OPTION: 5_000})
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert "description cut at 5000 triples" in warning.message
    assert 1 <= len(record.distributions) <= 10
    assert grown_mb < 60, f"peak RSS grew {grown_mb:.0f} MB"


def test_a_small_dataset_gets_no_warning() -> None:
    record, warnings = _harvest_wide(wide_catalogue(3), **NEVER_STREAM)
    assert len(record.distributions) == 3 and not warnings
