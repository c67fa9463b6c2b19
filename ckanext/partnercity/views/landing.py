"""Portal pages of the extension (Flask blueprint)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, make_response, request

from ckanext.partnercity.lod.negotiate import BY_EXTENSION, negotiate
from ckanext.partnercity.pages.cache import cached_page
from ckanext.partnercity.views import linked_data

partnercity = Blueprint("partnercity", __name__)


@partnercity.route("/partner-cities")
def partner_cities():
    """The partner cities: the page for browsers, the partnership graph for RDF clients
    (``Accept: text/turtle``, ``application/ld+json``, ``application/rdf+xml``)."""
    serialisation = negotiate(request.headers.get("Accept"))
    if serialisation is not None:
        return linked_data.graph_response(serialisation, negotiated=True)
    response = make_response(_partner_cities_page())
    response.vary.add("Accept")
    return response


@cached_page
def _partner_cities_page() -> str:
    """Landing page for citizens: the partner cities whose datasets this portal links to."""
    from ckanext.partnercity.views.citizen import partner_cards

    return tk.render("partnercity/partner_cities.html", extra_vars={"partners": partner_cards()})


@partnercity.route("/partner-cities/sparql")
def sparql_endpoint() -> Response:
    """Read-only SPARQL over the partnership graph: GET with ``?query=`` (SPARQL 1.1 protocol)."""
    return linked_data.sparql_response(request.args.get("query", ""))


@partnercity.route("/partner-cities.<ext>")
def partnership_graph(ext: str) -> Response:
    """The partnership graph as Turtle, JSON-LD or RDF/XML (docs/linked-data.md)."""
    if ext not in BY_EXTENSION:
        return tk.abort(404)
    return linked_data.graph_response(BY_EXTENSION[ext])


EXPORT_FORMATS = {
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "jsonld": ("json-ld", "application/ld+json"),
    "rdf": ("xml", "application/rdf+xml"),
}


@partnercity.route("/partner-cities/themes/mappings.<ext>")
def mappings_export(ext: str):
    """All current mappings of local categories to shared themes, as SKOS."""
    if ext not in EXPORT_FORMATS:
        return tk.abort(404)
    fmt, mimetype = EXPORT_FORMATS[ext]
    body = tk.get_action("partnercity_mapping_export")({}, {"format": fmt})
    return Response(body, mimetype=mimetype)
