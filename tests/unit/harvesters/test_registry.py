"""The portal-type registry: built-in types, entry-point plugins, and lookup by name."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import EntryPoint

import pytest

from ckanext.partnercity import helpers
from ckanext.partnercity.harvesters import registry
from ckanext.partnercity.harvesters.base import Harvester, HarvestError, Page, PartnerSource
from ckanext.partnercity.harvesters.dcat import DcatHarvester
from ckanext.partnercity.harvesters.http import HttpClient
from ckanext.partnercity.harvesters.portals.arcgis_hub import ArcgisHubHarvester
from ckanext.partnercity.harvesters.portals.ckan import CkanHarvester
from ckanext.partnercity.harvesters.portals.csw import CswHarvester
from ckanext.partnercity.harvesters.portals.opendatasoft import OpendatasoftHarvester
from ckanext.partnercity.harvesters.portals.piveau import PiveauHarvester
from ckanext.partnercity.harvesters.portals.udata import UdataHarvester


class SocrataHarvester(Harvester):
    """A third-party portal type, as a plugin package would ship it."""

    portal_type = "socrata"
    label = "Socrata Discovery API"

    def pages(self, since=None) -> Iterator[Page]:
        yield Page(url=self.portal_url)


class NoName(Harvester):
    pass


def plugin(name: str, target: str) -> EntryPoint:
    return EntryPoint(name, f"{__name__}:{target}", registry.ENTRY_POINT_GROUP)


@pytest.fixture
def installed(monkeypatch):
    """Install entry points for the test; the cached registry is rebuilt around it."""

    def install(*points: EntryPoint) -> dict:
        def fake_entry_points(*, group: str) -> list[EntryPoint]:
            return list(points) if group == registry.ENTRY_POINT_GROUP else []

        monkeypatch.setattr(registry, "entry_points", fake_entry_points)
        registry.portal_types.cache_clear()
        return registry.portal_types()

    yield install
    registry.portal_types.cache_clear()


def test_built_in_types_are_registered(installed) -> None:
    assert installed() == {
        "arcgis_hub": ArcgisHubHarvester,
        "ckan": CkanHarvester,
        "csw": CswHarvester,
        "dcat": DcatHarvester,
        "opendatasoft": OpendatasoftHarvester,
        "piveau": PiveauHarvester,
        "udata": UdataHarvester,
    }


def test_third_party_type_from_an_entry_point(installed) -> None:
    types = installed(plugin("socrata", "SocrataHarvester"))
    assert types["socrata"] is SocrataHarvester
    assert registry.portal_type_names() == sorted([*registry.BUILT_IN, "socrata"])
    source = PartnerSource("https://data.example.org/", "socrata")
    harvester = registry.harvester_for(source, HttpClient())
    assert isinstance(harvester, SocrataHarvester)
    choices = helpers.partnercity_portal_type_choices()
    assert {"value": "socrata", "label": "Socrata Discovery API"} in choices
    assert [choice["value"] for choice in choices] == sorted([*registry.BUILT_IN, "socrata"])


def test_broken_or_clashing_plugins_are_left_out(installed) -> None:
    types = installed(
        plugin("missing", "DoesNotExist"),
        plugin("noname", "NoName"),
        plugin("dcat", "SocrataHarvester"),
        plugin("socrata", "SocrataHarvester"),
        plugin("again", "SocrataHarvester"),
    )
    assert sorted(types) == sorted([*registry.BUILT_IN, "socrata"])
    assert types["dcat"] is DcatHarvester


def test_unknown_portal_type_names_the_known_ones(installed) -> None:
    installed()
    with pytest.raises(HarvestError, match="known: " + ", ".join(sorted(registry.BUILT_IN))):
        registry.harvester_for(PartnerSource("https://x.example", "socrata"), HttpClient())


def test_choices_label_every_built_in_type(installed) -> None:
    installed()
    labels = {c["value"]: c["label"] for c in helpers.partnercity_portal_type_choices()}
    assert labels == {
        "arcgis_hub": "ArcGIS Hub (DCAT-AP / DCAT-US feed)",
        "ckan": "CKAN Action API",
        "csw": "OGC CSW 2.0.2 catalogue (GeoNetwork), ISO 19139",
        "dcat": "DCAT-AP catalogue (Turtle, RDF/XML, JSON-LD)",
        "opendatasoft": "Opendatasoft Explore API v2.1",
        "piveau": "piveau hub-search (data.europa.eu)",
        "udata": "udata API v1 (data.gouv.fr)",
    }


def test_importing_the_registry_loads_no_portal_type() -> None:
    """ckanext-dcat fills CKAN's validator cache on import: never while plugins load."""
    code = (
        "import sys, ckanext.partnercity.harvesters.registry as r; "
        "assert r.portal_type_names() == sorted(r.BUILT_IN); "
        "assert 'ckanext.dcat' not in sys.modules, 'ckanext.dcat imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
