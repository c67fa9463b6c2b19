"""Portal pages of the extension (Flask blueprint)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response

from ckanext.partnercity.pages.cache import cached_page

partnercity = Blueprint("partnercity", __name__)


@partnercity.route("/partner-cities")
@cached_page
def partner_cities() -> str:
    """Landing page for citizens: the partner cities whose datasets this portal links to."""
    from ckanext.partnercity.views.citizen import partner_cards

    return tk.render("partnercity/partner_cities.html", extra_vars={"partners": partner_cards()})


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
