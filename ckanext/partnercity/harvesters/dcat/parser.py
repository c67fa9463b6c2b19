"""ckanext-dcat's RDFParser, set up to run outside a CKAN app and one dataset at a time.

Outside CKAN the profiles come from the ``ckan.rdf.profiles`` entry points and
fall back to extras-shaped dicts (no scheming); inside the RQ worker they see the
site's scheming schema. ``mapping.record_from_dataset`` reads both shapes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from rdflib import BNode, URIRef

from ckanext.dcat.exceptions import RDFProfileException
from ckanext.dcat.processors import RDFParser
from ckanext.partnercity.harvesters.base import HarvestError


class DatasetParser(RDFParser):
    """ckanext-dcat's RDFParser, asked for one dataset at a time.

    ``RDFParser.datasets()`` is a generator over the whole graph: one dataset
    that makes a profile raise would end it. Narrowing ``_datasets`` lets the
    profiles run exactly as ckanext-dcat runs them while a failure stays with
    its dataset.
    """

    _only: tuple = ()

    def _datasets(self) -> Iterator[Any]:
        return iter(self._only)

    def dataset(self, ref: URIRef | BNode) -> dict:
        self._only = (ref,)
        return next(self.datasets())


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
        parser._profiles = [_preferring(cls, language) for cls in parser._profiles]
    return parser


def _preferring(profile_class: type, language: str) -> type:
    """The profile with ``language`` in place of the site's default locale."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        profile_class.__init__(self, *args, **kwargs)
        self._default_lang = language
        self._default_locale_lang = language.split("_")[0]

    namespace = {"__init__": __init__, "name": getattr(profile_class, "name", "")}
    return type(profile_class.__name__, (profile_class,), namespace)


def option_names(value: Any) -> list[str]:
    """An option given as a list or as a space/comma separated string."""
    if not value:
        return []
    if isinstance(value, str):
        return value.replace(",", " ").split()
    return [str(name) for name in value]
