"""Queue (or run now) a harvest of a partner, and read the runs."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.partnercity.logic import schema
from ckanext.partnercity.model import HarvestRun
from ckanext.partnercity.partners import runs as harvests
from ckanext.partnercity.partners.lookup import get_partner

__all__ = ["partnercity_harvest", "partnercity_harvest_run_list", "partnercity_harvest_run_show"]


def partnercity_harvest(context: dict, data_dict: dict) -> dict:
    """Queue a harvest of one partner for ``ckan jobs worker`` and return the queued run.

    ``wait: true`` runs it in this request instead and returns the finished run (the CLI
    and the tests). While the partner has a run queued or running, a queued request
    returns that run (``"existing": true``) and a waiting one is refused.
    ``background`` is the deprecated spelling of the default: ``background: false``
    means ``wait: true``.
    """
    tk.check_access("partnercity_harvest", context, data_dict)
    data = schema.check("partnercity_harvest", data_dict, context)
    partner = get_partner(data["partner"])
    full = data.get("full", False)
    if _waits(data):
        return {**harvests.run_now(partner, full).as_dict(), "existing": False}
    run, existing = harvests.enqueue(partner, full)
    return {**run.as_dict(), "existing": existing}


def _waits(data: dict) -> bool:
    if "wait" in data:
        return data["wait"]
    if "background" in data:  # deprecated: background false meant "run it now"
        return not data["background"]
    return False


@tk.side_effect_free
def partnercity_harvest_run_list(context: dict, data_dict: dict) -> list[dict]:
    """Runs, newest first, of one partner or of all (``limit`` up to 1000, ``offset``)."""
    tk.check_access("partnercity_harvest_run_list", context, data_dict)
    data = schema.check("partnercity_harvest_run_list", data_dict, context)
    query = model.Session.query(HarvestRun)
    if data.get("partner"):
        query = query.filter(HarvestRun.partner_id == get_partner(data["partner"])["id"])
    limit = max(data.get("limit", 20), 1)
    runs = query.order_by(HarvestRun.queued_at.desc()).offset(data.get("offset", 0)).limit(limit)
    return [run.as_dict() for run in runs]


@tk.side_effect_free
def partnercity_harvest_run_show(context: dict, data_dict: dict) -> dict:
    tk.check_access("partnercity_harvest_run_show", context, data_dict)
    data = schema.check("partnercity_harvest_run_show", data_dict, context)
    run = model.Session.get(HarvestRun, data["id"])
    if run is None:
        raise tk.ObjectNotFound(tk._("Harvest run not found"))
    return run.as_dict()
