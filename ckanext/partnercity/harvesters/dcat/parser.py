"""ckanext-dcat's RDFParser, set up to run outside a CKAN app and one dataset at a time.

Outside CKAN the profiles come from the ``ckan.rdf.profiles`` entry points and
fall back to extras-shaped dicts (no scheming); inside the RQ worker they see the
site's scheming schema. ``mapping.record_from_dataset`` reads both shapes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ckanext.dcat.exceptions import RDFProfileException
from ckanext.partnercity.compat.dcat import DatasetParser, prefer_language
from ckanext.partnercity.harvesters.base import HarvestError


def make_parser(
    profiles: Iterable[str], url: str = "", language: str | None = None
) -> DatasetParser:
    """An RDFParser with explicit profiles, usable with or without a CKAN app.

    ``language``: where a partner publishes a literal in several languages the
    profiles take the one in ``ckan.locale_default`` (our site's locale, "en"
    outside CKAN); a partner's own language is the better choice for its
    references, so it replaces that one setting when given.
    """
    names = list(profiles)
    try:
        parser = DatasetParser(profiles=names, compatibility_mode=False)
    except RDFProfileException as exc:
        raise HarvestError(f"ckanext-dcat profiles {names}: {exc}", url) from None
    # RDFProcessor re-reads ckanext.dcat.compatibility_mode when given False.
    parser.compatibility_mode = False
    if language:
        prefer_language(parser, language)
    return parser


def option_names(value: Any) -> list[str]:
    """An option given as a list or as a space/comma separated string."""
    if not value:
        return []
    if isinstance(value, str):
        return value.replace(",", " ").split()
    return [str(name) for name in value]
