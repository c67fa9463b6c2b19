"""Finding a partner city by id or name, as the site user.

The actions, the CLI and the HVD checks all need "this name is a partner, or NotFound",
so it lives with the partner domain code, not in the action layer.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.partnercity.partners.references import PARTNER_TYPE


def site_context() -> dict:
    """A context for internal calls that must see everything (the site user, no auth)."""
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    return {"user": user, "ignore_auth": True}


def get_partner(id_or_name: str | None) -> dict:
    """The partner_city organization, or NotFound (ordinary organizations are not partners)."""
    if not id_or_name:
        raise tk.ValidationError({"partner": [tk._("Missing value")]})
    try:
        org = tk.get_action("organization_show")(
            site_context(), {"id": id_or_name, "include_datasets": False}
        )
    except tk.ObjectNotFound:
        raise tk.ObjectNotFound(tk._("Partner city not found: {}").format(id_or_name)) from None
    if org.get("type") != PARTNER_TYPE or org.get("state") != "active":
        raise tk.ObjectNotFound(tk._("Partner city not found: {}").format(id_or_name))
    return org
