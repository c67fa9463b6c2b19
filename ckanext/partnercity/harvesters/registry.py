"""The portal types a partner can have: the built-in ones, listed here, and
third-party ones from the ``ckanext.partnercity.portal_types`` entry points.

Forms, validators, the CLI and harvest runs all read this one list.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from importlib.metadata import EntryPoint, entry_points

from ckanext.partnercity.harvesters.base import Harvester, HarvestError, PartnerSource
from ckanext.partnercity.harvesters.ckan import CkanHarvester
from ckanext.partnercity.harvesters.dcat import DcatHarvester
from ckanext.partnercity.harvesters.http import HttpClient
from ckanext.partnercity.harvesters.opendatasoft import OpendatasoftHarvester

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "ckanext.partnercity.portal_types"

BUILT_IN: tuple[type[Harvester], ...] = (
    CkanHarvester,
    DcatHarvester,
    OpendatasoftHarvester,
)


def collect(
    built_in: Iterable[type[Harvester]], plugins: Iterable[EntryPoint]
) -> dict[str, type[Harvester]]:
    """Portal types by name; a plugin that fails to load or clashes is logged and left out."""
    types = {cls.portal_type: cls for cls in built_in}
    for point in plugins:
        try:
            cls = point.load()
        except Exception:  # a broken plugin must not take the built-in types down
            log.exception("portal type entry point %s cannot be loaded", point.value)
            continue
        if not (isinstance(cls, type) and issubclass(cls, Harvester) and cls.portal_type):
            log.error("portal type entry point %s is not a Harvester with a portal_type", point)
            continue
        if cls.portal_type in types:
            log.error("portal type %r from %s is already registered", cls.portal_type, point.value)
            continue
        types[cls.portal_type] = cls
    return types


@functools.cache
def portal_types() -> dict[str, type[Harvester]]:
    """Every portal type by name (entry points are read once per process)."""
    return collect(BUILT_IN, entry_points(group=ENTRY_POINT_GROUP))


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
