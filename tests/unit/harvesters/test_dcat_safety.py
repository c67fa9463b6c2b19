"""Hostile DCAT catalogues: entity bombs and oversized datasets stay bounded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ckanext.partnercity.harvesters.base import HarvestError, Page, PartnerSource
from ckanext.partnercity.harvesters.dcat import DcatHarvester
from ckanext.partnercity.harvesters.http import HttpClient
from tests.support.http_server import LocalServer, serve
from tests.support.xml_bombs import MILD, billion_laughs

NEVER_STREAM = {"stream_threshold": 1 << 40}
ALWAYS_STREAM = {"stream_threshold": 0}
PATHS = pytest.mark.parametrize(
    "options", [NEVER_STREAM, ALWAYS_STREAM], ids=["memory", "streamed"]
)
RDF_XML = {"Content-Type": "application/rdf+xml"}


@pytest.fixture
def portal() -> Iterator[LocalServer]:
    with serve() as server:
        yield server


def harvest(url: str, **options: object) -> list[Page]:
    client = HttpClient(allow_private=True, retries=1, backoff=0, sleep=lambda s: None)
    source = PartnerSource(portal_url=url, portal_type="dcat", options=dict(options))
    return list(DcatHarvester(source, client).pages())


@PATHS
def test_rdfxml_declaring_entities_is_refused_before_parsing(portal, options) -> None:
    body = billion_laughs(levels=MILD)
    portal.handler = lambda method, path, query: (200, RDF_XML, body)
    with pytest.raises(HarvestError) as caught:
        harvest(portal.url + "/catalog.rdf", **options)
    assert "entity declarations (<!ENTITY) are refused" in caught.value.message
    assert caught.value.url == portal.url + "/catalog.rdf"
