"""RDF/XML "billion laughs" documents: entity declarations that expand exponentially.

``levels=10`` is the classic attack (about 1 KB expanding to 3 GB, minutes of CPU in
rdflib and pyoxigraph alike); ``MILD`` levels expand to 300 KB, which an unprotected
parser reads in well under a second, so a test of the refusal stays fast either way.
"""

from __future__ import annotations

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
MILD = 6
DATASET = (
    '<dcat:Dataset rdf:about="https://bomb.example/dataset">'
    "<dct:identifier>bomb</dct:identifier><dct:title>{laugh}</dct:title></dcat:Dataset>"
)
SCHEME = (
    '<skos:ConceptScheme rdf:about="https://bomb.example/scheme">'
    "<skos:prefLabel>{laugh}</skos:prefLabel></skos:ConceptScheme>"
    '<skos:Concept rdf:about="https://bomb.example/c1"><skos:prefLabel>Laughs</skos:prefLabel>'
    '<skos:inScheme rdf:resource="https://bomb.example/scheme"/></skos:Concept>'
)


def billion_laughs(body: str = DATASET, levels: int = 10, fan: int = 10) -> bytes:
    """An RDF/XML document whose ``{laugh}`` in ``body`` expands to 3 × fan**(levels-1) chars."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * fan}">' for n in range(1, levels)
    ]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n'
        + "\n".join(entities)
        + "\n]>\n"
        + f'<rdf:RDF xmlns:rdf="{RDF}" xmlns:dcat="http://www.w3.org/ns/dcat#"'
        ' xmlns:dct="http://purl.org/dc/terms/"'
        ' xmlns:skos="http://www.w3.org/2004/02/skos/core#">\n'
        + body.format(laugh=f"&lol{levels - 1};")
        + "\n</rdf:RDF>\n"
    ).encode()
