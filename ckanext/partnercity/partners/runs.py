"""Starting harvest runs: one per partner at a time, as an RQ job (default) or in the caller.

Queued runs never pile up: asking again while a partner's run is queued or running
returns that run (``enqueue``); running in the caller (``run_now``) is refused then.
"""

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


def active_run(partner_id: str) -> HarvestRun | None:
    """The partner's run that is queued or running, if any (at most one: a unique index)."""
    return (
        model.Session.query(HarvestRun)
        .filter(
            HarvestRun.partner_id == partner_id,
            HarvestRun.status.in_(("queued", "running")),
        )
        .first()
    )


class RunActive(Exception):
    """The partner already has a run queued or running: ``run`` (None if it just ended)."""

    def __init__(self, run: HarvestRun | None) -> None:
        super().__init__(run.id if run else "")
        self.run = run


def queue_run(partner: dict, full: bool) -> HarvestRun:
    """Insert a queued run; raise RunActive if the partner already has one queued or running."""
    expire_stale_runs(partner["id"])
    run = HarvestRun(partner_id=partner["id"], mode=choose_mode(partner["id"], full))
    model.Session.add(run)
    try:
        model.Session.commit()
    except sa.exc.IntegrityError:
        model.Session.rollback()
        raise RunActive(active_run(partner["id"])) from None
    return run


def refusal(partner: dict, active: HarvestRun | None) -> tk.ValidationError:
    detail = (
        f" (run {active.id}, {active.status} since {active.queued_at:%Y-%m-%d %H:%M} UTC)"
        if active
        else ""
    )
    return tk.ValidationError(
        {"partner": [f"A harvest of {partner['name']} is already queued or running{detail}"]}
    )


def run_now(partner: dict, full: bool, progress: sync.Progress | None = None) -> HarvestRun:
    """Run a harvest in the caller; refused (ValidationError) while another is active."""
    try:
        run = queue_run(partner, full)
    except RunActive as exc:
        raise refusal(partner, exc.run) from None
    return sync.execute(run, partner, progress)


def enqueue(partner: dict, full: bool) -> tuple[HarvestRun, bool]:
    """Queue a run for ``ckan jobs worker``: (the new run, False), or (the active one, True).

    A second request while a run is queued or running returns that run rather than
    queueing another, so clicks, cron entries and API calls cannot pile runs up.
    """
    for _attempt in range(2):  # the active run may end between the insert and the look-up
        try:
            run = queue_run(partner, full)
            break
        except RunActive as exc:
            if exc.run is not None:
                return exc.run, True
    else:
        raise refusal(partner, None)
    job = tk.enqueue_job(
        "ckanext.partnercity.jobs.harvest_partner",
        [run.id],
        title=JOB_TITLE.format(partner["name"]),
        rq_kwargs={"timeout": job_timeout_seconds()},
    )
    run.job_id = job.id
    model.Session.commit()
    return run, False
