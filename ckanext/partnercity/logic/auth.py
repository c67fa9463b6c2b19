"""Auth functions, one per action. Managing partners and harvests is for sysadmins only
(sysadmins pass every check before these run), so everyone else is refused here."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.partnercity import settings

# Public: the status (versions and settings, no secrets, like CKAN's status_show), the
# partner list citizens see, and vocabularies, suggestions, mappings and counts, which
# reveal nothing private.
PUBLIC = (
    "partnercity_status",
    "partnercity_partner_list",
    "partnercity_scheme_list",
    "partnercity_concept_show",
    "partnercity_theme_suggest",
    "partnercity_mapping_list",
    "partnercity_mapping_export",
    "partnercity_compare",
    "partnercity_related",
    "partnercity_concept_list",
)
SYSADMIN_ONLY = (
    "partnercity_partner_create",
    "partnercity_partner_update",
    "partnercity_partner_delete",
    "partnercity_partner_show",
    "partnercity_harvest",
    "partnercity_harvest_run_list",
    "partnercity_harvest_run_show",
    "partnercity_scheme_load",
    "partnercity_mapping_decide",
)
# Who reads HVD reports and their runs is configurable; running a check is for sysadmins.
AUDITORS = ("partnercity_hvd_report", "partnercity_hvd_run_list")


@tk.auth_allow_anonymous_access
def public(context: dict, data_dict: dict) -> dict:
    return {"success": True}


def sysadmin_only(context: dict, data_dict: dict) -> dict:
    return {"success": False, "msg": tk._("Only sysadmins may manage partner cities and harvests")}


def partnercity_hvd_check(context: dict, data_dict: dict) -> dict:
    return {"success": False, "msg": tk._("Only sysadmins may run HVD checks")}


@tk.auth_allow_anonymous_access
def auditors(context: dict, data_dict: dict) -> dict:
    """Everyone when the report is public, else sysadmins and the named auditors."""
    if settings.hvd_report_visibility() == "public":
        return {"success": True}
    user = context.get("auth_user_obj")
    name = getattr(user, "name", None) or context.get("user")
    if name and name in settings.hvd_auditors():
        return {"success": True}
    return {"success": False, "msg": tk._("The HVD report is visible to auditors only")}


def get_auth_functions() -> dict:
    """What the plugin's tk.blanket.auth_functions registers: one function per action."""
    return {
        **dict.fromkeys(PUBLIC, public),
        **dict.fromkeys(SYSADMIN_ONLY, sysadmin_only),
        **dict.fromkeys(AUDITORS, auditors),
        "partnercity_hvd_check": partnercity_hvd_check,
    }
