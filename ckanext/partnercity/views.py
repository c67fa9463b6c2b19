"""Portal pages of the extension (Flask blueprint)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint

partnercity = Blueprint("partnercity", __name__)


@partnercity.route("/partner-cities")
def partner_cities() -> str:
    """Landing page for citizens: the partner cities whose datasets this portal links to."""
    partners = tk.get_action("partnercity_partner_list")({}, {})
    return tk.render("partnercity/partner_cities.html", extra_vars={"partners": partners})
