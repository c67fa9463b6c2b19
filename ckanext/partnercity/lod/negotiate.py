"""Content negotiation for ``/partner-cities``: HTML for browsers, RDF for who asks for it.

The RDF serialisations the graph is published in, by file extension and media type. A
request gets RDF only when its ``Accept`` header prefers an RDF type over HTML: browsers
(``text/html,…,*/*;q=0.8``) and ``curl`` (``*/*``) keep the page; on a tie HTML wins.
"""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header


@dataclass(frozen=True)
class Serialisation:
    extension: str
    rdflib_format: str
    media_type: str


SERIALISATIONS = (
    Serialisation("ttl", "turtle", "text/turtle"),
    Serialisation("jsonld", "json-ld", "application/ld+json"),
    Serialisation("rdf", "xml", "application/rdf+xml"),
)
BY_EXTENSION = {s.extension: s for s in SERIALISATIONS}
HTML = "text/html"


def negotiate(accept: str | None) -> Serialisation | None:
    """The RDF serialisation an ``Accept`` header prefers, or None for the HTML page."""
    if not accept:
        return None
    offers = [HTML, *(s.media_type for s in SERIALISATIONS)]
    best = parse_accept_header(accept, MIMEAccept).best_match(offers)
    for serialisation in SERIALISATIONS:
        if best == serialisation.media_type:
            return serialisation
    return None
