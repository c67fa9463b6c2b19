"""Check a partnership graph against its SHACL shape (partnership-shape.ttl) and SKOS's.

pySHACL is imported when a check runs: it is slow to import and pages never need it.
"""

from __future__ import annotations

from importlib import resources

import rdflib
from rdflib.namespace import RDF

from ckanext.partnercity.themes.export import SKOS_SHAPES

SHAPE_FILE = "partnership-shape.ttl"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


def shapes_graph() -> rdflib.Graph:
    """Our partnership shape plus the SKOS integrity shapes of the mappings export."""
    text = resources.files(__package__).joinpath(SHAPE_FILE).read_text(encoding="utf-8")
    shapes = rdflib.Graph().parse(data=text, format="turtle")
    shapes.parse(data=SKOS_SHAPES, format="turtle")
    return shapes


def problems(graph: rdflib.Graph) -> list[str]:
    """The graph's violations, one sorted line each (``focus: message (value)``); [] if none."""
    from pyshacl import validate

    conforms, results, _text = validate(
        graph, shacl_graph=shapes_graph(), inference="none", advanced=True, allow_warnings=True
    )
    if conforms:
        return []
    found = set()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        message = results.value(result, SH.resultMessage)
        value = results.value(result, SH.value)
        line = f"{focus}: {message}"
        if value is not None and value != focus:
            line += f" ({value.n3()})"
        found.add(line)
    return sorted(found)
