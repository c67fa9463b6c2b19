"""Auth functions, one per action. Managing partners and harvests is for sysadmins only
(sysadmins pass every check before these run), so everyone else is refused here."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

# One auth function per action, registered by the plugin's tk.blanket.auth_functions.
__all__ = [
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
    "partnercity_partner_create",
    "partnercity_partner_update",
    "partnercity_partner_delete",
    "partnercity_partner_show",
    "partnercity_harvest",
    "partnercity_harvest_run_list",
    "partnercity_harvest_run_show",
    "partnercity_scheme_load",
    "partnercity_mapping_decide",
    "partnercity_hvd_check",
    "partnercity_hvd_report",
    "partnercity_hvd_run_list",
]


@tk.auth_allow_anonymous_access
def partnercity_status(context: dict, data_dict: dict) -> dict:
    """Public, like CKAN's status_show: it holds versions and settings, no secrets."""
    return {"success": True}


@tk.auth_allow_anonymous_access
def partnercity_partner_list(context: dict, data_dict: dict) -> dict:
    """Public: citizens see which cities the portal links to."""
    return {"success": True}


@tk.auth_allow_anonymous_access
def _public_read(context: dict, data_dict: dict) -> dict:
    """Vocabularies, suggestions and mappings reveal nothing private."""
    return {"success": True}


partnercity_scheme_list = _public_read
partnercity_concept_show = _public_read
partnercity_theme_suggest = _public_read
partnercity_mapping_list = _public_read
partnercity_mapping_export = _public_read
partnercity_compare = _public_read
partnercity_related = _public_read
partnercity_concept_list = _public_read


def _sysadmin_only(context: dict, data_dict: dict) -> dict:
    return {"success": False, "msg": tk._("Only sysadmins may manage partner cities and harvests")}


partnercity_partner_create = _sysadmin_only
partnercity_partner_update = _sysadmin_only
partnercity_partner_delete = _sysadmin_only
partnercity_partner_show = _sysadmin_only
partnercity_harvest = _sysadmin_only
partnercity_harvest_run_list = _sysadmin_only
partnercity_harvest_run_show = _sysadmin_only
partnercity_scheme_load = _sysadmin_only
partnercity_mapping_decide = _sysadmin_only


# HVD checks


def partnercity_hvd_check(context: dict, data_dict: dict) -> dict:
    return {"success": False, "msg": tk._("Only sysadmins may run HVD checks")}


@tk.auth_allow_anonymous_access
def partnercity_hvd_report(context: dict, data_dict: dict) -> dict:
    """Who reads HVD reports is configurable: everyone, or sysadmins and named auditors."""
    from ckanext.partnercity import settings

    if settings.hvd_report_visibility() == "public":
        return {"success": True}
    user = context.get("auth_user_obj")
    name = getattr(user, "name", None) or context.get("user")
    if name and name in settings.hvd_auditors():
        return {"success": True}
    return {"success": False, "msg": tk._("The HVD report is visible to auditors only")}


partnercity_hvd_run_list = partnercity_hvd_report
