"""One harvest run: list the partner, write what changed, withdraw only after a clean listing.

Safety rules: a failed, partial or interrupted run never withdraws,
deletes or corrupts a reference; unchanged records are not rewritten; a
withdrawn reference that reappears is restored.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.partnercity import settings
from ckanext.partnercity.compat import ckan as compat
from ckanext.partnercity.harvesters import sanitize
from ckanext.partnercity.harvesters.base import HarvestError, PartnerRecord, PartnerSource
from ckanext.partnercity.harvesters.deadline import Deadline
from ckanext.partnercity.harvesters.registry import harvester_for
from ckanext.partnercity.model import COUNTERS, HarvestRun, latest_succeeded, utcnow
from ckanext.partnercity.pages import cache as page_cache
from ckanext.partnercity.partners import images as partner_images
from ckanext.partnercity.partners import references
from ckanext.partnercity.partners.client import http_client
from ckanext.partnercity.themes import mappings as themes_mappings

log = logging.getLogger(__name__)
MAX_STORED_ERRORS = 200
Progress = Callable[[HarvestRun, str], None]


@dataclass
class Existing:
    id: str
    fingerprint: str
    status: str


def existing_references(partner_id: str) -> dict[str, Existing]:
    """identifier key -> reference of one partner, read in one query (no per-dataset calls).

    Stored identifiers are keys already; normalising again matches rows stored before.
    """
    pkg = model.package_table
    query = compat.extras_select(
        ("partner_identifier", "partner_fingerprint", "reference_status"),
        pkg.c.owner_org == partner_id,
        pkg.c.type == references.DATASET_TYPE,
        pkg.c.state == "active",
    )
    return {
        references.identifier_key(row.partner_identifier): Existing(
            row.id, row.partner_fingerprint or "", row.reference_status or "active"
        )
        for row in model.Session.execute(query)
        if row.partner_identifier
    }


def partner_source(partner: dict) -> PartnerSource:
    return PartnerSource(
        portal_url=partner["portal_url"],
        portal_type=partner["portal_type"],
        source_filter=partner.get("source_filter") or "",
        page_size=settings.page_size(),
        options={
            # Multilingual catalogues: prefer the partner's own languages for titles and text.
            "languages": list(partner.get("languages") or []),
            "max_distributions_per_dataset": settings.max_distributions_per_dataset(),
            "max_triples_per_dataset": settings.max_triples_per_dataset(),
        },
    )


class RunWriter:
    """Applies one run's records to CKAN and keeps the run's counts and errors."""

    def __init__(self, run: HarvestRun, partner: dict) -> None:
        self.run = run
        self.partner = partner
        self.existing = existing_references(partner["id"])
        self.seen: set[str] = set()
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        # return_id_only: the dataset just written is not needed back (saves a package_show).
        # defer_commit: the action neither commits nor indexes; _action commits the record
        # and page_indexing indexes the page's datasets once, with one Solr commit.
        # ignore_auth: the site user is a sysadmin, whom every auth function allows; checking
        # cost two user look-ups per write (11 % of a full harvest).
        self.context = {
            "user": site_user,
            "ignore_auth": True,
            "return_id_only": True,
            "defer_commit": True,
        }
        self.to_index: set[str] = set()
        # Kept here, not on the run row, so a rollback after a rejected record loses nothing.
        self.counts = dict.fromkeys(COUNTERS, 0)
        self.errors: list[dict] = []
        self.lang = (partner.get("languages") or [""])[0]
        self.mapped = set(themes_mappings.mapped_categories(partner["id"]))

    def writes(self) -> int:
        return self.counts["created"] + self.counts["updated"] + self.counts["withdrawn"]

    def map_new_categories(self, records: list[PartnerRecord]) -> None:
        """Map categories seen for the first time before their datasets are indexed."""
        # The HVD categories a record declares are categories of the partner too (stored
        # as the reference's hvd_category, cleaned the same way).
        new = {
            category
            for record in records
            for category in (
                *sanitize.clean_list(record.categories),
                *sanitize.clean_url_list(record.hvd_category),
            )
            if category not in self.mapped
        }
        if new:
            themes_mappings.refresh_mappings(self.partner["id"], dict.fromkeys(new, self.lang))
            self.mapped |= new

    def save(self, **fields) -> None:
        """Write counts, errors and ``fields`` to the run row and commit."""
        for name, value in {**self.counts, "errors": list(self.errors), **fields}.items():
            setattr(self.run, name, value)
        model.Session.commit()

    def error(self, message: str, url: str = "", identifier: str = "") -> None:
        self.counts["failed"] += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            entry = {"message": message[:1000], "url": url[:2048]}
            if identifier:
                entry["identifier"] = identifier[:500]
            self.errors.append(entry)

    def warn(self, message: str, url: str = "", identifier: str = "") -> None:
        """A record harvested but cut to a limit: listed with the errors, not counted failed."""
        if len(self.errors) < MAX_STORED_ERRORS:
            entry = {"message": message[:1000], "url": url[:2048], "level": "warning"}
            if identifier:
                entry["identifier"] = identifier[:500]
            self.errors.append(entry)

    def apply(self, record: PartnerRecord, page_url: str) -> None:
        key = references.identifier_key(record.identifier)  # as stored, so lookups match
        self.seen.add(key)
        fingerprint = references.fingerprint(record)
        current = self.existing.get(key)
        if current and current.fingerprint == fingerprint and current.status == "active":
            self.counts["unchanged"] += 1
            return
        fields = references.package_fields(record)
        fields.update(
            partner_fingerprint=fingerprint, reference_status="active", withdrawn_since=""
        )
        try:
            if current is None:
                fields.update(
                    name=references.reference_name(self.partner["name"], record),
                    owner_org=self.partner["id"],
                )
                created_id = self._action("package_create", fields)
                self.existing[key] = Existing(created_id, fingerprint, "active")
                self.counts["created"] += 1
            else:
                fields.update(id=current.id)
                self._action("package_patch", fields)
                current.fingerprint, current.status = fingerprint, "active"
                self.counts["updated"] += 1
        except tk.ValidationError as exc:
            model.Session.rollback()
            self.error(
                f"rejected: {_summarize(exc.error_dict)}",
                record.landing_page or page_url,
                key,
            )

    def withdraw_unseen_unless_empty(self) -> None:
        """Withdraw what the listing no longer has, but never everything at once.

        A listing of nothing at all looks the same whether the partner removed every dataset
        or a renamed organization, a case-changed filter or a portal in maintenance answers
        with an empty list; the run fails instead and keeps the references.
        """
        active = sum(1 for ref in self.existing.values() if ref.status != "withdrawn")
        if self.seen or not active:
            self.withdraw_unseen()
            return
        self.error(
            f"the partner listed no datasets at all, so its {active} references were kept: "
            "check the portal URL and source filter; if the partner really removed every "
            "dataset, remove the partner (ckan partnercity partner remove NAME)",
            self.partner.get("portal_url", ""),
        )

    def withdraw_unseen(self) -> None:
        stamp = utcnow().isoformat(timespec="seconds")
        for identifier, reference in self.existing.items():
            if identifier in self.seen or reference.status == "withdrawn":
                continue
            self._action(
                "package_patch",
                {"id": reference.id, "reference_status": "withdrawn", "withdrawn_since": stamp},
            )
            reference.status = "withdrawn"
            self.counts["withdrawn"] += 1

    def _action(self, name: str, data: dict) -> str:
        """Write one dataset and commit it (a later rejected record cannot undo it)."""
        package_id = tk.get_action(name)(dict(self.context), data)
        model.Session.commit()
        self.to_index.add(package_id)
        return package_id


def _summarize(error_dict: dict) -> str:
    parts = [f"{key}: {value}" for key, value in error_dict.items() if not key.startswith("__")]
    return "; ".join(parts)[:500] or "validation failed"


@contextlib.contextmanager
def page_indexing(writer: RunWriter) -> Iterator[Callable[[bool], None]]:
    """Index each written dataset once per page, with one Solr commit per page.

    CKAN would index on every write (2.11: twice per new dataset) and commit Solr each
    time. Only this run's session defers its indexing (compat.deferred_indexing): no
    process-wide setting changes, other requests and threads index as usual.
    """

    def index_page(wait: bool = False) -> None:
        if not writer.to_index:
            return  # an unchanged page needs neither indexing nor a Solr commit
        ids = set(writer.to_index)
        writer.to_index.clear()  # in place: the session's deferred set is this one
        compat.index_packages(ids)
        if tk.asbool(tk.config.get("ckan.search.solr_commit", True)):
            compat.solr_commit(wait)
        # The references written so far are searchable now: cached pages are out of date.
        page_cache.bump("harvest page indexed")

    with compat.deferred_indexing(writer.to_index):
        try:
            yield index_page
        except BaseException:
            model.Session.rollback()  # what was committed stays, and is indexed below
            try:
                index_page(True)
            except Exception:
                log.exception("harvest %s: could not index its last writes", writer.run.id)
            raise
    index_page(True)


def last_success(partner_id: str) -> HarvestRun | None:
    return latest_succeeded(HarvestRun, HarvestRun.partner_id == partner_id, by="started_at")


def last_successes(partner_ids: list[str]) -> dict[str, str | None]:
    """``last_success(id).finished_at`` (ISO) for many partners in one query."""
    if not partner_ids:
        return {}
    rows = (
        model.Session.query(HarvestRun.partner_id, HarvestRun.finished_at)
        .filter(HarvestRun.partner_id.in_(partner_ids), HarvestRun.status == "succeeded")
        .distinct(HarvestRun.partner_id)
        .order_by(HarvestRun.partner_id, HarvestRun.started_at.desc())
    )
    return {pid: finished.isoformat() if finished else None for pid, finished in rows}


def run_deadline() -> Deadline:
    """When a run stops, as failed or partial: before the job's own timeout kills it unsaved."""
    minutes = settings.run_timeout_minutes()
    return Deadline.after(minutes * 60, f"the run stopped: not finished within {minutes} minutes")


def execute(
    run: HarvestRun,
    partner: dict,
    progress: Progress | None = None,
    deadline: Deadline | None = None,
) -> HarvestRun:
    """Run the harvest described by ``run`` (status queued) to its end; never raises.

    ``deadline`` (default ``run_deadline()``) bounds every request and the listing: a run
    past it ends failed or partial and withdraws nothing.
    """
    deadline = deadline or run_deadline()
    run.status, run.started_at = "running", utcnow()
    model.Session.commit()
    since = None
    if run.mode == "incremental" and (previous := last_success(partner["id"])):
        since = previous.started_at - datetime.timedelta(minutes=5)
    writer = RunWriter(run, partner)
    complete = False
    try:
        harvester = harvester_for(partner_source(partner), http_client(deadline))
        with page_indexing(writer) as index_page:
            for page in harvester.pages(since=since):
                for failure in page.errors:
                    writer.error(failure.message, failure.url or page.url, failure.identifier)
                for warning in page.warnings:
                    writer.warn(warning.message, warning.url or page.url, warning.identifier)
                writer.seen.update(references.identifier_key(i) for i in page.skipped)
                writer.map_new_categories(page.records)
                for record in page.records:
                    writer.apply(record, page.url)
                writer.save()
                index_page(False)
                if progress:
                    progress(run, page.url)
                deadline.check(page.url)  # a listing finished late is not taken for complete
            complete = True
            if run.mode == "full" and writer.counts["failed"] == 0:
                writer.withdraw_unseen_unless_empty()
    except HarvestError as exc:
        model.Session.rollback()
        writer.error(exc.message, exc.url or partner["portal_url"])
    except Exception as exc:  # a bug or an outage must still end the run cleanly
        log.exception("harvest run %s of %s crashed", run.id, partner["name"])
        model.Session.rollback()
        writer.error(f"internal error: {exc.__class__.__name__}: {exc}")
    writer.save(status=_final_status(writer.counts, complete), finished_at=utcnow())
    partner_images.refresh_quietly(partner)  # a week-old copy of its image is fetched again
    page_cache.bump("harvest run finished")
    return run


def _final_status(counts: dict[str, int], complete: bool) -> str:
    if complete and counts["failed"] == 0:
        return "succeeded"
    if counts["created"] or counts["updated"] or counts["unchanged"]:
        return "partial"
    return "failed"
