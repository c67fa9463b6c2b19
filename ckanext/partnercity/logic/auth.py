"""Auth functions, one per action. Managing partners and harvests is for sysadmins only
(sysadmins pass every check before these run), so everyone else is refused here.

CKAN's own write actions are chained too: partner cities and their references are shown to
citizens as the partnership's data, so only sysadmins (and the harvest, which runs as the site
user) may create, change or delete a ``partner_city`` organization or a ``partner_dataset``,
whichever action they use. Everything else goes on to CKAN's own rules unchanged.
"""

from __future__ import annotations

from collections.abc import Callable

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.partnercity import settings
from ckanext.partnercity.partners.references import DATASET_TYPE, PARTNER_TYPE

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
    "partnercity_hvd_suggest",  # the finder over texts the caller sends: reads nothing
    "partnercity_counterpart_confirmed",  # public pairs only, as the partnership graph shows
)
SYSADMIN_ONLY = (
    "partnercity_partner_create",
    "partnercity_partner_update",
    "partnercity_partner_delete",
    "partnercity_partner_show",
    "partnercity_portal_detect",
    "partnercity_harvest",
    "partnercity_harvest_run_list",
    "partnercity_harvest_run_show",
    "partnercity_scheme_load",
    "partnercity_mapping_decide",
    "partnercity_counterpart_decide",
    "partnercity_counterpart_list",  # names private datasets of ours
)
# Who reads HVD reports and their runs is configurable; running a check is for sysadmins.
DUTY_READERS = ("partnercity_hvd_duty_list", "partnercity_hvd_duty_decision_list")
AUDITORS = (
    "partnercity_hvd_report",
    "partnercity_hvd_run_list",
    "partnercity_hvd_attestation_list",
)
# Recording and revoking attestations: sysadmins and the named auditors, whoever reads.
ATTESTERS = ("partnercity_hvd_attest", "partnercity_hvd_attestation_revoke")


@tk.auth_allow_anonymous_access
def public(context: dict, data_dict: dict) -> dict:
    return {"success": True}


def sysadmin_only(context: dict, data_dict: dict) -> dict:
    return {"success": False, "msg": tk._("Only sysadmins may manage partner cities and harvests")}


def partnercity_hvd_check(context: dict, data_dict: dict) -> dict:
    return {"success": False, "msg": tk._("Only sysadmins may run HVD checks")}


def duty_readers(context: dict, data_dict: dict) -> dict:
    """HVD duties (our undeclared datasets, decisions): sysadmins and the named auditors,
    whatever the report's visibility, since they name datasets not declared yet."""
    if _named_auditor(context):
        return {"success": True}
    return {"success": False, "msg": tk._("HVD duties are visible to auditors only")}


def partnercity_hvd_duty_decide(context: dict, data_dict: dict) -> dict:
    """Accepting changes a dataset, so deciding is for sysadmins; auditors read."""
    return {"success": False, "msg": tk._("Only sysadmins may decide on HVD duties")}


def _named_auditor(context: dict) -> bool:
    user = context.get("auth_user_obj")
    name = getattr(user, "name", None) or context.get("user")
    return bool(name) and name in settings.hvd_auditors()


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


def attesters(context: dict, data_dict: dict) -> dict:
    """Sysadmins (CKAN lets them through first) and the users named as HVD auditors."""
    user = context.get("auth_user_obj")
    name = getattr(user, "name", None) or context.get("user")
    if name and name in settings.hvd_auditors():
        return {"success": True}
    return {"success": False, "msg": tk._("Only sysadmins and HVD auditors may attest")}


# -- CKAN's own actions on partner types ---------------------------------------------

PARTNER_TYPES = frozenset({PARTNER_TYPE, DATASET_TYPE})
Check = Callable[[dict], bool]


def _is_partner(entity) -> bool:
    return entity is not None and entity.type in PARTNER_TYPES


def _lookup(cls, ref) -> object | None:
    """The object an id or name in the request names; None for anything else."""
    return cls.get(ref) if isinstance(ref, str) and ref else None


def _declared_type(data_dict: dict) -> bool:
    """A create or update that would make the object a partner type."""
    value = data_dict.get("type")
    return isinstance(value, str) and value in PARTNER_TYPES


def _group(key: str) -> Check:
    return lambda data_dict: _is_partner(_lookup(model.Group, data_dict.get(key)))


def _package(key: str) -> Check:
    return lambda data_dict: _is_partner(_lookup(model.Package, data_dict.get(key)))


def _resource(key: str) -> Check:
    def check(data_dict: dict) -> bool:
        resource = _lookup(model.Resource, data_dict.get(key))
        return resource is not None and _is_partner(resource.package)

    return check


def _view(key: str) -> Check:
    def check(data_dict: dict) -> bool:
        view = _lookup(model.ResourceView, data_dict.get(key))
        return view is not None and _resource("id")({"id": view.resource_id})

    return check


_GROUP_ID, _PACKAGE_ID = _group("id"), _package("id")
#: CKAN auth function -> what in its request makes it a write to a partner type. Patches,
#: revisions and reorders are checked by CKAN through the update functions below.
GUARDED: dict[str, tuple[Check, ...]] = {
    **dict.fromkeys(("organization_create", "group_create"), (_declared_type,)),
    **dict.fromkeys(("organization_update", "group_update"), (_declared_type, _GROUP_ID)),
    **dict.fromkeys(
        (
            "organization_delete",
            "organization_purge",
            "group_delete",
            "group_purge",
            "organization_member_create",
            "organization_member_delete",
            "group_member_create",
            "group_member_delete",
            "member_create",
            "member_delete",
        ),
        (_GROUP_ID,),
    ),
    "package_create": (_declared_type, _group("owner_org")),
    "package_update": (_declared_type, _PACKAGE_ID, _group("owner_org")),
    **dict.fromkeys(
        (
            "package_delete",
            "dataset_purge",
            "package_collaborator_create",
            "package_collaborator_delete",
        ),
        (_PACKAGE_ID,),
    ),
    "package_owner_org_update": (_PACKAGE_ID, _group("organization_id")),
    "resource_create": (_package("package_id"),),
    **dict.fromkeys(("resource_update", "resource_delete"), (_resource("id"),)),
    "resource_view_create": (_resource("resource_id"),),
    **dict.fromkeys(("resource_view_update", "resource_view_delete"), (_view("id"),)),
    **dict.fromkeys(
        ("bulk_update_private", "bulk_update_public", "bulk_update_delete"), (_group("org_id"),)
    ),
}


def _defer(next_auth: Callable, context: dict, data_dict: dict) -> dict:
    """CKAN's own rule, with its anonymous-access gate (a chained function replaces it)."""
    if context.get("auth_user_obj") or getattr(next_auth, "auth_allow_anonymous_access", False):
        return next_auth(context, data_dict)
    return {"success": False, "msg": tk._("You must be logged in to do this")}


def partner_guard(action: str) -> Callable:
    """A chained auth function for one CKAN action: refuse writes to partner types."""
    checks = GUARDED[action]

    @tk.chained_auth_function
    @tk.auth_allow_anonymous_access
    def guard(next_auth: Callable, context: dict, data_dict: dict) -> dict:
        if any(check(data_dict or {}) for check in checks):
            return {"success": False, "msg": tk._("Only sysadmins may change partner cities")}
        return _defer(next_auth, context, data_dict)

    guard.__name__ = action
    return guard


def get_auth_functions() -> dict:
    """What the plugin's tk.blanket.auth_functions registers: one function per action."""
    return {
        **dict.fromkeys(PUBLIC, public),
        **dict.fromkeys(SYSADMIN_ONLY, sysadmin_only),
        **dict.fromkeys(AUDITORS, auditors),
        **dict.fromkeys(ATTESTERS, attesters),
        "partnercity_hvd_check": partnercity_hvd_check,
        **dict.fromkeys(DUTY_READERS, duty_readers),
        "partnercity_hvd_duty_decide": partnercity_hvd_duty_decide,
        **{action: partner_guard(action) for action in GUARDED},
    }
