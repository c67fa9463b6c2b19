"""Partner cities: create, update, delete, show and the public list."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.partnercity.harvesters.values import phrase
from ckanext.partnercity.logic import schema
from ckanext.partnercity.model import HarvestRun
from ckanext.partnercity.pages import cache as page_cache
from ckanext.partnercity.partners import sync
from ckanext.partnercity.partners.lookup import get_partner, site_context
from ckanext.partnercity.partners.references import DATASET_TYPE, PARTNER_TYPE

__all__ = [
    "partnercity_partner_create",
    "partnercity_partner_update",
    "partnercity_partner_delete",
    "partnercity_partner_show",
    "partnercity_partner_list",
]

ACTIVE_REFERENCES_FQ = f"+dataset_type:{DATASET_TYPE} -reference_status:withdrawn"
PUBLIC_PARTNER_FIELDS = (
    "name",
    "title",
    "country",
    "languages",
    "wikidata",
    "portal_url",
    "partnership_since",
    "description",
    "image_url",
)


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
    data = dict(schema.check("partnercity_partner_create", data_dict, context), type=PARTNER_TYPE)
    # CKAN records the creating user as the organization's first admin.
    user = context.get("user") or ""
    if model.User.get(user) is None:
        user = site_context()["user"]
    created = tk.get_action("organization_create")(dict(context, user=user), data)
    return _changed(context, created["id"], "partner created")


def partnercity_partner_update(context: dict, data_dict: dict) -> dict:
    """Change a partner city; fields not given keep their values."""
    tk.check_access("partnercity_partner_update", context, data_dict)
    data = schema.check("partnercity_partner_update", data_dict, context)
    partner = get_partner(data.get("id") or data.get("name"))
    data = dict(data, id=partner["id"], type=PARTNER_TYPE)
    tk.get_action("organization_patch")(dict(context), data)
    return _changed(context, partner["id"], "partner updated")


def _changed(context: dict, partner_id: str, reason: str) -> dict:
    """Pages that list partners are out of date; the caller gets the partner as it is now."""
    page_cache.bump(reason)
    return partnercity_partner_show(dict(context), {"id": partner_id})


def partnercity_partner_delete(context: dict, data_dict: dict) -> dict:
    """Remove a partner city and hide its references; our own datasets are untouched."""
    tk.check_access("partnercity_partner_delete", context, data_dict)
    data = schema.check("partnercity_partner_delete", data_dict, context)
    partner = get_partner(data.get("id") or data.get("name"))
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
    data = schema.check("partnercity_partner_show", data_dict, context)
    partner = get_partner(data.get("id") or data.get("name"))
    withdrawn = tk.get_action("package_search")(
        site_context(),
        {
            "fq": f"+dataset_type:{DATASET_TYPE} +owner_org:{phrase(partner['id'])} "
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
    schema.check("partnercity_partner_list", data_dict, context)
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


def _org_field(org: dict, field: str) -> Any:
    """A field of an organization_list entry: top level (scheming) or in its extras."""
    if field in org:
        return org[field]
    for extra in org.get("extras") or []:
        if extra.get("key") == field:
            return extra.get("value")
    return None
