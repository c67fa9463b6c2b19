"""Background jobs, executed by `ckan jobs worker` (RQ on Redis)."""

from __future__ import annotations

import logging

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.partnercity.model import HarvestRun
from ckanext.partnercity.partners import sync

log = logging.getLogger(__name__)


def harvest_partner(run_id: str) -> dict:
    """Carry out a queued harvest run; the run row records the outcome."""
    run = model.Session.get(HarvestRun, run_id)
    if run is None or run.status != "queued":
        log.warning("harvest run %s is not queued any more; nothing to do", run_id)
        return {"id": run_id, "skipped": True}
    partner = tk.get_action("organization_show")(
        {"ignore_auth": True}, {"id": run.partner_id, "include_datasets": False}
    )
    return sync.execute(run, partner).as_dict()


def reindex_themes(package_ids: list[str]) -> int:
    """Re-index datasets after a mapping decision, so their shared themes follow it."""
    from ckanext.partnercity.themes import mappings as themes_mappings

    themes_mappings.reindex(package_ids)
    return len(package_ids)


def hvd_check(run_id: str) -> dict:
    """Carry out a queued HVD check run; the run row keeps the report."""
    from ckanext.partnercity.hvd import checks as hvd_checks
    from ckanext.partnercity.model import HvdCheckRun

    run = model.Session.get(HvdCheckRun, run_id)
    if run is None or run.status != "queued":
        log.warning("HVD check run %s is not queued any more; nothing to do", run_id)
        return {"id": run_id, "skipped": True}
    return hvd_checks.execute(run).as_dict()
