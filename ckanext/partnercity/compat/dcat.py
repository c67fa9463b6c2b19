"""ckanext-dcat's parser internals we depend on (no CKAN app needed, so the core may use it).

``RDFParser._datasets`` (which datasets ``datasets()`` walks), ``RDFParser._profiles`` (the
profile classes) and a profile's ``_default_lang``/``_default_locale_lang`` (the language it
prefers among a literal's translations) are private to ckanext-dcat 2.x.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rdflib import BNode, URIRef

from ckanext.dcat.processors import RDFParser


class DatasetParser(RDFParser):
    """ckanext-dcat's RDFParser, asked for one dataset at a time.

    ``RDFParser.datasets()`` is a generator over the whole graph: one dataset that makes a
    profile raise would end it. Narrowing ``_datasets`` lets the profiles run exactly as
    ckanext-dcat runs them while a failure stays with its dataset.
    """

    _only: tuple = ()

    def _datasets(self) -> Iterator[Any]:
        return iter(self._only)

    def dataset(self, ref: URIRef | BNode) -> dict:
        self._only = (ref,)
        return next(self.datasets())


def prefer_language(parser: RDFParser, language: str) -> None:
    """Make the parser's profiles prefer ``language`` where the site's default locale rules."""
    parser._profiles = [_preferring(cls, language) for cls in parser._profiles]


def _preferring(profile_class: type, language: str) -> type:
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        profile_class.__init__(self, *args, **kwargs)
        self._default_lang = language
        self._default_locale_lang = language.split("_")[0]

    namespace = {"__init__": __init__, "name": getattr(profile_class, "name", "")}
    return type(profile_class.__name__, (profile_class,), namespace)
