"""Auth functions: one per action. Sysadmins pass every check anyway."""

from __future__ import annotations

import ckan.plugins.toolkit as tk


@tk.auth_allow_anonymous_access
def partnercity_status(context: dict, data_dict: dict) -> dict:
    """Public, like CKAN's status_show: it holds versions and settings, no secrets."""
    return {"success": True}


def get_auth_functions() -> dict:
    return {"partnercity_status": partnercity_status}
