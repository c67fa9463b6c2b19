"""Starting harvest runs: one per partner at a time, synchronous or as an RQ job."""

from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.partnercity import settings
from ckanext.partnercity.model import HarvestRun, utcnow
from ckanext.partnercity.partners import sync

JOB_TITLE = "partnercity harvest {}"
#: A run stops itself at run_timeout_minutes (sync.run_deadline); its job gets this much more
#: to save the run before RQ kills it, and only past both is a run taken for dead.
GRACE = datetime.timedelta(minutes=5)


def job_timeout_seconds() -> int:
    return settings.run_timeout_minutes() * 60 + int(GRACE.total_seconds())


def expire_stale_runs(partner_id: str) -> None:
    """A run queued or running far longer than allowed died with its worker: mark it failed."""
    limit = utcnow() - datetime.timedelta(seconds=job_timeout_seconds())
    stale = (
        model.Session.query(HarvestRun)
        .filter(
            HarvestRun.partner_id == partner_id,
            HarvestRun.status.in_(("queued", "running")),
            sa.func.coalesce(HarvestRun.started_at, HarvestRun.queued_at) < limit,
        )
        .all()
    )
    for run in stale:
        run.status, run.finished_at = "failed", utcnow()
        run.errors = [*run.errors, {"message": "interrupted: no progress within the run timeout"}]
    if stale:
        model.Session.commit()


def choose_mode(partner_id: str, full: bool) -> str:
    """Incremental when possible; a complete listing when asked, first, or due."""
    if full:
        return "full"
    last_full = (
        model.Session.query(HarvestRun)
        .filter(
            HarvestRun.partner_id == partner_id,
            HarvestRun.status == "succeeded",
            HarvestRun.mode == "full",
        )
        .order_by(HarvestRun.started_at.desc())
        .first()
    )
    interval = datetime.timedelta(days=settings.full_harvest_interval_days())
    if last_full is None or utcnow() - last_full.started_at > interval:
        return "full"
    return "incremental"


def queue_run(partner: dict, full: bool) -> HarvestRun:
    """Insert a queued run, or refuse if the partner already has one queued or running."""
    expire_stale_runs(partner["id"])
    run = HarvestRun(partner_id=partner["id"], mode=choose_mode(partner["id"], full))
    model.Session.add(run)
    try:
        model.Session.commit()
    except sa.exc.IntegrityError:
        model.Session.rollback()
        active = (
            model.Session.query(HarvestRun)
            .filter(
                HarvestRun.partner_id == partner["id"],
                HarvestRun.status.in_(("queued", "running")),
            )
            .first()
        )
        detail = f" (run {active.id}, {active.status} since {active.queued_at:%Y-%m-%d %H:%M} UTC)"
        raise tk.ValidationError(
            {
                "partner": [
                    f"A harvest of {partner['name']} is already queued or running"
                    + (detail if active else "")
                ]
            }
        ) from None
    return run


def run_now(partner: dict, full: bool, progress: sync.Progress | None = None) -> HarvestRun:
    return sync.execute(queue_run(partner, full), partner, progress)


def enqueue(partner: dict, full: bool) -> HarvestRun:
    run = queue_run(partner, full)
    job = tk.enqueue_job(
        "ckanext.partnercity.jobs.harvest_partner",
        [run.id],
        title=JOB_TITLE.format(partner["name"]),
        rq_kwargs={"timeout": job_timeout_seconds()},
    )
    run.job_id = job.id
    model.Session.commit()
    return run
