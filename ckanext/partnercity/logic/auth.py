"""Auth functions, one per action. Managing partners and harvests is for sysadmins only
(sysadmins pass every check before these run), so everyone else is refused here."""

from __future__ import annotations

import ckan.plugins.toolkit as tk


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


PUBLIC = (
    "partnercity_scheme_list",
    "partnercity_concept_show",
    "partnercity_theme_suggest",
    "partnercity_mapping_list",
    "partnercity_mapping_export",
    "partnercity_compare",
    "partnercity_related",
    "partnercity_concept_list",
)


def _sysadmin_only(context: dict, data_dict: dict) -> dict:
    return {"success": False, "msg": tk._("Only sysadmins may manage partner cities and harvests")}


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


def get_auth_functions() -> dict:
    return {
        "partnercity_status": partnercity_status,
        "partnercity_partner_list": partnercity_partner_list,
        **{name: _public_read for name in PUBLIC},
        **{name: _sysadmin_only for name in SYSADMIN_ONLY},
        **get_hvd_auth_functions(),
    }


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


def get_hvd_auth_functions() -> dict:
    return {
        "partnercity_hvd_check": partnercity_hvd_check,
        "partnercity_hvd_report": partnercity_hvd_report,
        "partnercity_hvd_run_list": partnercity_hvd_report,
    }
