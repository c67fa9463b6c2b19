"""The entity-declaration scan every RDF/XML parser path runs first (rdf_syntax.py)."""

from __future__ import annotations

import time

import pytest

from ckanext.partnercity.harvesters import rdf_syntax
from ckanext.partnercity.harvesters.rdf_syntax import (
    EntityDeclarationError,
    refuse_entity_declarations,
)
from tests.support.xml_bombs import billion_laughs

PLAIN = (
    b'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF>\n'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n'
)


def test_billion_laughs_is_refused_at_once() -> None:
    started = time.perf_counter()
    with pytest.raises(EntityDeclarationError, match="<!ENTITY"):
        refuse_entity_declarations(billion_laughs())
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_entities_are_found_in_every_xml_encoding(encoding: str) -> None:
    with pytest.raises(EntityDeclarationError):
        refuse_entity_declarations(billion_laughs().decode().encode(encoding))


def test_a_declaration_across_two_chunks_of_a_file_is_found(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(rdf_syntax, "_SCAN_CHUNK", 1024)
    path = tmp_path / "catalogue.rdf"
    path.write_bytes(b" " * 1020 + b'<!ENTITY x "y">')
    with pytest.raises(EntityDeclarationError):
        refuse_entity_declarations(path)


def test_a_doctype_without_entities_is_allowed(tmp_path) -> None:
    path = tmp_path / "catalogue.rdf"
    path.write_bytes(PLAIN)
    refuse_entity_declarations(PLAIN)
    refuse_entity_declarations(path)
