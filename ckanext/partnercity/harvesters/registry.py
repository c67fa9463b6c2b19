"""The portal types a partner can have: the built-in ones, listed here, and
third-party ones from the ``ckanext.partnercity.portal_types`` entry points.

Forms, validators, the CLI and harvest runs all read this one list. Classes are
loaded on first use, not when this module is imported: ckanext-dcat fills CKAN's
validator cache on import, which must not happen while CKAN is loading plugins.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from importlib.metadata import EntryPoint, entry_points

from ckanext.partnercity.harvesters.base import Harvester, HarvestError, PartnerSource
from ckanext.partnercity.harvesters.http import HttpClient

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "ckanext.partnercity.portal_types"

BUILT_IN = {
    "arcgis_hub": "ckanext.partnercity.harvesters.portals.arcgis_hub:ArcgisHubHarvester",
    "ckan": "ckanext.partnercity.harvesters.portals.ckan:CkanHarvester",
    "csw": "ckanext.partnercity.harvesters.portals.csw:CswHarvester",
    "dcat": "ckanext.partnercity.harvesters.dcat:DcatHarvester",
    "opendatasoft": "ckanext.partnercity.harvesters.portals.opendatasoft:OpendatasoftHarvester",
    "piveau": "ckanext.partnercity.harvesters.portals.piveau:PiveauHarvester",
    "udata": "ckanext.partnercity.harvesters.portals.udata:UdataHarvester",
}


def _plugins() -> list[EntryPoint]:
    return [point for point in entry_points(group=ENTRY_POINT_GROUP) if point.name not in BUILT_IN]


def collect(plugins: Iterable[EntryPoint]) -> dict[str, type[Harvester]]:
    """Portal types by name; a plugin that fails to load or mismatches is logged and left out."""
    types = {
        name: EntryPoint(name, target, ENTRY_POINT_GROUP).load()
        for name, target in BUILT_IN.items()
    }
    for point in plugins:
        try:
            cls = point.load()
        except Exception:  # a broken plugin must not take the built-in types down
            log.exception("portal type entry point %s cannot be loaded", point.value)
            continue
        if not (isinstance(cls, type) and issubclass(cls, Harvester)):
            log.error("portal type entry point %s is not a Harvester", point.value)
        elif cls.portal_type != point.name:
            log.error("portal type entry point %s names %r", point.value, cls.portal_type)
        else:
            types.setdefault(point.name, cls)
    return types


@functools.cache
def portal_types() -> dict[str, type[Harvester]]:
    """Every portal type by name (loaded once per process)."""
    return collect(_plugins())


def portal_type_names() -> list[str]:
    """The portal type names, without loading any harvester (for the CLI's option)."""
    return sorted({*BUILT_IN, *(point.name for point in _plugins())})


def portal_type_label(name: str) -> str:
    cls = portal_types().get(name)
    return (cls.label or cls.portal_type) if cls else name


def harvester_for(source: PartnerSource, client: HttpClient) -> Harvester:
    """The harvester for ``source``'s portal type; HarvestError for an unknown type."""
    types = portal_types()
    try:
        cls = types[source.portal_type]
    except KeyError:
        known = ", ".join(sorted(types))
        raise HarvestError(f"unknown portal type {source.portal_type!r} (known: {known})") from None
    return cls(source, client)
