"""Action API of the extension: everything the UI does is also an action."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.partnercity import __version__, settings
from ckanext.partnercity.migration import state as migrations
from ckanext.partnercity.model import HarvestRun
from ckanext.partnercity.pages import cache as page_cache
from ckanext.partnercity.partners import runs as harvests
from ckanext.partnercity.partners import sync
from ckanext.partnercity.partners.references import DATASET_TYPE, PARTNER_TYPE

COMPANION_PLUGINS = ("dcat", "scheming_datasets", "scheming_organizations")
ACTIVE_REFERENCES_FQ = f"+dataset_type:{DATASET_TYPE} -reference_status:withdrawn"
PUBLIC_PARTNER_FIELDS = (
    "name",
    "title",
    "country",
    "portal_url",
    "partnership_since",
    "description",
    "image_url",
)


@tk.side_effect_free
def partnercity_status(context: dict, data_dict: dict) -> dict[str, Any]:
    """Report the extension's version and what it is configured with.

    Admins read this first when something looks wrong: it shows whether the
    companion plugins are loaded and whether ``ckan db upgrade -p partnercity``
    still has to run.
    """
    tk.check_access("partnercity_status", context, data_dict)
    return {
        "version": __version__,
        "ckan_version": tk.ckan.__version__,
        "companion_plugins": {name: p.plugin_loaded(name) for name in COMPANION_PLUGINS},
        "config": settings.effective(),
        "database": migrations.state(),
    }


# Partner cities


def site_context() -> dict:
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    return {"user": user, "ignore_auth": True}


def _partner(id_or_name: str) -> dict:
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


def _reference_counts() -> dict[str, int]:
    """Active references per partner id, from one Solr facet query."""
    result = tk.get_action("package_search")(
        site_context(),
        {"fq": ACTIVE_REFERENCES_FQ, "rows": 0, "facet.field": ["owner_org"], "facet.limit": -1},
    )
    return dict(result["facets"].get("owner_org", {}))


def _last_success_iso(partner_id: str) -> str | None:
    run = sync.last_success(partner_id)
    return run.finished_at.isoformat() if run and run.finished_at else None


def partnercity_partner_create(context: dict, data_dict: dict) -> dict:
    """Register a partner city (an organization of type partner_city)."""
    tk.check_access("partnercity_partner_create", context, data_dict)
    data = dict(data_dict, type=PARTNER_TYPE)
    # CKAN records the creating user as the organization's first admin.
    user = context.get("user") or ""
    if model.User.get(user) is None:
        user = site_context()["user"]
    created = tk.get_action("organization_create")(dict(context, user=user), data)
    page_cache.bump("partner created")
    return partnercity_partner_show(dict(context), {"id": created["id"]})


def partnercity_partner_update(context: dict, data_dict: dict) -> dict:
    """Change a partner city; fields not given keep their values."""
    tk.check_access("partnercity_partner_update", context, data_dict)
    partner = _partner(data_dict.get("id") or data_dict.get("name"))
    data = dict(data_dict, id=partner["id"], type=PARTNER_TYPE)
    tk.get_action("organization_patch")(dict(context), data)
    page_cache.bump("partner updated")
    return partnercity_partner_show(dict(context), {"id": partner["id"]})


def partnercity_partner_delete(context: dict, data_dict: dict) -> dict:
    """Remove a partner city and hide its references; our own datasets are untouched."""
    tk.check_access("partnercity_partner_delete", context, data_dict)
    partner = _partner(data_dict.get("id") or data_dict.get("name"))
    ids = [
        row.id
        for row in model.Session.query(model.Package.id).filter(
            model.Package.owner_org == partner["id"],
            model.Package.type == DATASET_TYPE,
            model.Package.state == "active",
        )
    ]
    if ids:
        tk.get_action("bulk_update_delete")(
            dict(context), {"datasets": ids, "org_id": partner["id"]}
        )
    tk.get_action("organization_delete")(dict(context), {"id": partner["id"]})
    page_cache.bump("partner deleted")
    return {"name": partner["name"], "references_removed": len(ids)}


@tk.side_effect_free
def partnercity_partner_show(context: dict, data_dict: dict) -> dict:
    """A partner city with its reference counts and latest runs."""
    tk.check_access("partnercity_partner_show", context, data_dict)
    partner = _partner(data_dict.get("id") or data_dict.get("name"))
    withdrawn = tk.get_action("package_search")(
        site_context(),
        {
            "fq": f"+dataset_type:{DATASET_TYPE} +owner_org:{partner['id']} "
            "+reference_status:withdrawn",
            "rows": 0,
        },
    )["count"]
    last = (
        model.Session.query(HarvestRun)
        .filter(HarvestRun.partner_id == partner["id"])
        .order_by(HarvestRun.queued_at.desc())
        .first()
    )
    partner.update(
        references_active=_reference_counts().get(partner["id"], 0),
        references_withdrawn=withdrawn,
        last_run=last.as_dict() if last else None,
        last_successful_harvest=_last_success_iso(partner["id"]),
    )
    return partner


@tk.side_effect_free
def partnercity_partner_list(context: dict, data_dict: dict) -> list[dict]:
    """Public list of partner cities: name, title, country, references, last good harvest."""
    tk.check_access("partnercity_partner_list", context, data_dict)
    # all_fields runs organization_show per partner: without include_dataset_count=False
    # each one asks Solr for its dataset count, which _reference_counts has in one query.
    orgs = tk.get_action("organization_list")(
        site_context(),
        {
            "type": PARTNER_TYPE,
            "all_fields": True,
            "include_extras": True,
            "include_dataset_count": False,
            "limit": 1000,
        },
    )
    counts = _reference_counts()
    last = sync.last_successes([org["id"] for org in orgs])
    return [
        {
            **{field: _org_field(org, field) for field in PUBLIC_PARTNER_FIELDS},
            "references_active": counts.get(org["id"], 0),
            "last_successful_harvest": last.get(org["id"]),
        }
        for org in orgs
    ]


def _org_field(org: dict, field: str):
    """A field of an organization_list entry: top level (scheming) or in its extras."""
    if field in org:
        return org[field]
    for extra in org.get("extras") or []:
        if extra.get("key") == field:
            return extra.get("value")
    return None


# Harvest runs


def partnercity_harvest(context: dict, data_dict: dict) -> dict:
    """Harvest one partner now (default) or in the background; return the run record."""
    tk.check_access("partnercity_harvest", context, data_dict)
    partner = _partner(data_dict.get("partner"))
    full = tk.asbool(data_dict.get("full", False))
    if tk.asbool(data_dict.get("background", False)):
        return harvests.enqueue(partner, full).as_dict()
    return harvests.run_now(partner, full).as_dict()


@tk.side_effect_free
def partnercity_harvest_run_list(context: dict, data_dict: dict) -> list[dict]:
    """Runs, newest first, of one partner or of all."""
    tk.check_access("partnercity_harvest_run_list", context, data_dict)
    query = model.Session.query(HarvestRun)
    if data_dict.get("partner"):
        query = query.filter(HarvestRun.partner_id == _partner(data_dict["partner"])["id"])
    limit = min(max(int(data_dict.get("limit", 20)), 1), 1000)
    offset = max(int(data_dict.get("offset", 0)), 0)
    runs = query.order_by(HarvestRun.queued_at.desc()).offset(offset).limit(limit)
    return [run.as_dict() for run in runs]


@tk.side_effect_free
def partnercity_harvest_run_show(context: dict, data_dict: dict) -> dict:
    tk.check_access("partnercity_harvest_run_show", context, data_dict)
    run = model.Session.get(HarvestRun, data_dict.get("id") or "")
    if run is None:
        raise tk.ObjectNotFound(tk._("Harvest run not found"))
    return run.as_dict()


# ckanext-dcat: references are never part of our catalogue.


def _without_references(data_dict: dict) -> dict:
    fq = data_dict.get("fq") or ""
    return dict(data_dict, fq=f"{fq} -dataset_type:{DATASET_TYPE}".strip())


@tk.chained_action
@tk.side_effect_free
def dcat_catalog_show(original, context, data_dict):
    return original(context, _without_references(data_dict))


@tk.chained_action
@tk.side_effect_free
def dcat_catalog_search(original, context, data_dict):
    return original(context, _without_references(data_dict))


@tk.chained_action
@tk.side_effect_free
def dcat_datasets_list(original, context, data_dict):
    return original(context, _without_references(data_dict))


@tk.chained_action
@tk.side_effect_free
def dcat_dataset_show(original, context, data_dict):
    package = model.Package.get(data_dict.get("id") or "")
    if package is not None and package.type == DATASET_TYPE:
        raise tk.ObjectNotFound(tk._("Partner references are not part of this catalogue"))
    return original(context, data_dict)


# The ckanext-dcat plugin that registers each action we chain.
DCAT_ACTIONS = {
    "dcat_catalog_show": "dcat",
    "dcat_catalog_search": "dcat",
    "dcat_dataset_show": "dcat",
    "dcat_datasets_list": "dcat_json_interface",
}


def get_actions() -> dict:
    actions = {
        name: func
        for name, func in globals().items()
        if name.startswith("partnercity_") and callable(func)
    }
    for name, plugin in DCAT_ACTIONS.items():
        if p.plugin_loaded(plugin):
            actions[name] = globals()[name]
    return actions
