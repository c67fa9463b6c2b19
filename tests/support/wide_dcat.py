"""A DCAT catalogue with one very wide dataset: many distributions, many triples each.

200 blank-node distributions of 5,000 triples make about a million triples (8.8 MB of
Turtle) that a harvester would otherwise describe into one in-memory graph.
"""

from __future__ import annotations

PREFIXES = (
    "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
    "@prefix dct: <http://purl.org/dc/terms/> .\n"
    "@prefix ex: <https://wide.example/> .\n"
)


def wide_catalogue(distributions: int, triples_each: int = 3) -> bytes:
    """One dataset ``ex:wide`` with ``distributions`` blank-node distributions."""
    out = [PREFIXES, 'ex:wide a dcat:Dataset ; dct:identifier "wide" ; dct:title "Wide" .\n']
    for n in range(distributions):
        extra = "".join(f' ; ex:p{k} "{k}"' for k in range(max(0, triples_each - 3)))
        out.append(
            f'ex:wide dcat:distribution [ a dcat:Distribution ; dct:title "Part {n}" ;'
            f" dcat:accessURL <https://wide.example/files/{n}>{extra} ] .\n"
        )
    return "".join(out).encode()
