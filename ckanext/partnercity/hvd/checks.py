"""HVD check runs in CKAN: feed our datasets (or partner references) to the core checker,
keep each run's report for history and trend, and hand long runs to the job queue."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.partnercity import settings
from ckanext.partnercity.hvd import attestation_store, describe
from ckanext.partnercity.hvd.rules import engine, eu_reporting, loaders
from ckanext.partnercity.hvd.rules.model import Catalogue
from ckanext.partnercity.hvd.rules.probes import Prober
from ckanext.partnercity.model import HvdCheckRun, latest_succeeded, utcnow
from ckanext.partnercity.partners.client import http_client
from ckanext.partnercity.partners.lookup import site_context
from ckanext.partnercity.partners.references import DATASET_TYPE

log = logging.getLogger(__name__)

JOB_TITLE = "partnercity: HVD check ({})"
#: Probes wait at most this long per request, whatever the partner timeout allows harvests.
PROBE_TIMEOUT = 30
SEARCH_ROWS = 500
#: Dataset types checked per scope: our own datasets, or partners' references.
SCOPE_TYPES = {"own": "dataset", "partners": DATASET_TYPE}


def iter_datasets(scope: str, ids: list[str] | None = None) -> Iterator[dict]:
    """Datasets of the scope, as CKAN shows them (scheming/ckanext-dcat field names)."""
    context = site_context()
    if ids:
        for id_ in ids:
            pkg = tk.get_action("package_show")(dict(context), {"id": id_})
            if pkg.get("type") != SCOPE_TYPES[scope]:
                raise tk.ValidationError(
                    {"ids": [tk._("{} is not a dataset of scope {}").format(id_, scope)]}
                )
            yield pkg
        return
    start = 0
    while True:
        page = tk.get_action("package_search")(
            dict(context),
            {
                "fq": f"+dataset_type:{SCOPE_TYPES[scope]}",
                "rows": SEARCH_ROWS,
                "start": start,
                "sort": "name asc",
                "include_private": True,
            },
        )
        yield from page["results"]
        start += SEARCH_ROWS
        if start >= page["count"] or not page["results"]:
            return


def build_report(run: HvdCheckRun) -> dict:
    """Check the run's datasets; the report is the core's, plus CKAN names and partners.

    Our own datasets are checked on their published description (:mod:`describe`: the RDF
    of ``/hvd/report.ttl``, private datasets included for the run); partners' references
    are not published by us, and are read from their CKAN dicts (docs/hvd.md). Our
    datasets' active attestations go to the core with the URI it reports for each dataset;
    partner references are never attested by us.
    """
    packages = list(iter_datasets(run.scope, run.dataset_ids))
    own = run.scope == "own"
    if own:
        catalogue, by_uri = own_catalogue(packages, named=bool(run.dataset_ids))
    else:
        catalogue, by_uri = reference_catalogue(packages, named=bool(run.dataset_ids))
    uri_of = {pkg["id"]: uri for uri, pkg in by_uri.items()}
    prober = probe_with_portal_client() if run.probe else None
    report = engine.check_catalogue(
        catalogue,
        rule_set=run.rule_set,
        probes=run.probe,
        prober=prober,
        attestations=attestation_store.for_core(uri_of, run.rule_set) if own else [],
    )
    for ds in report["datasets"]:
        ds.update(ckan_fields(by_uri[ds["uri"]]))
    if run.scope == "partners":
        report["summary"]["partners"] = per_owner(report["datasets"])
    report["catalogue"] = report["catalogue"] or tk.config.get("ckan.site_title")
    report["scope"] = run.scope
    return report


def own_catalogue(packages: list[dict], named: bool) -> tuple[Catalogue, dict[str, dict]]:
    """Our datasets as the export describes them; without named ids, those in HVD scope."""
    description = describe.describe(packages)
    full = description.catalogue()
    records = {record.uri: record for record in full.datasets}
    uris = list(description.graphs) if named else describe.in_scope_uris(description, full)
    catalogue = Catalogue(
        uri=full.uri,
        title=full.title,
        datasets=[records[uri] for uri in uris],
        services=full.services,
        source=full.source,
        node=full.node,  # the export's dcat:Catalog, its dct:spatial the reporting country
        records=full.records,
        catalogue_of=full.catalogue_of,
    )
    return catalogue, description.packages


def reference_catalogue(packages: list[dict], named: bool) -> tuple[Catalogue, dict[str, dict]]:
    """Partners' references as their CKAN dicts say (their RDF is the partner's to publish);
    each is counted in the EU view in its partner city's catalogue and country."""
    site_url = tk.config.get("ckan.site_url", "").rstrip("/")
    records, by_uri, catalogue_records, partner_catalogues, seen = [], {}, {}, {}, {}
    for pkg in packages:
        record = loaders.record_from_ckan(pkg, site_url)
        if not named and not engine.in_scope(record):
            continue  # "all" means all datasets in HVD scope
        records.append(record)
        by_uri[record.uri] = pkg
        catalogue_records[record.uri] = [eu_reporting.ckan_catalogue_record(pkg, record)]
        partner_catalogues[record.uri] = partner_catalogue(pkg.get("owner_org"), seen)
    catalogue = Catalogue(
        uri=site_url or None,
        title=None,
        datasets=records,
        node=eu_reporting.catalogue_node(site_url or None, settings.hvd_country()),
        records=catalogue_records,
        catalogue_of=partner_catalogues,
    )
    return catalogue, by_uri


def ckan_fields(pkg: dict) -> dict:
    """What the report adds to a checked dataset: its CKAN id, name, type and owner."""
    org = pkg.get("organization") or {}
    return {
        "ckan_id": pkg["id"],
        "ckan_name": pkg["name"],
        "ckan_type": pkg.get("type"),
        "owner": {"name": org.get("name"), "title": org.get("title")},
    }


def partner_catalogue(org_id: str | None, seen: dict):
    """A partner reference is counted in its partner city's country (EU reporting view):
    the partner's portal stands for its catalogue, its country for dct:spatial. ``seen``
    keeps one catalogue per partner for the run."""
    if org_id not in seen:
        org = {}
        if org_id:
            org = tk.get_action("organization_show")(
                site_context(), {"id": org_id, "include_datasets": False}
            )
        uri = org.get("portal_url") or org.get("name")
        seen[org_id] = eu_reporting.catalogue_node(uri, org.get("country"))
    return seen[org_id]


def probe_with_portal_client() -> Prober:
    """Probes go out through the portal's one partner client: its URL policy, agent, retries."""
    return Prober(client=http_client(), timeout=PROBE_TIMEOUT)  # only shortens the client's


def per_owner(datasets: list[dict]) -> list[dict]:
    """In-scope and compliant counts per partner city, to compare across the partnership."""
    rows: dict[str, dict] = {}
    for ds in datasets:
        owner = ds.get("owner") or {}
        row = rows.setdefault(
            owner.get("name") or "",
            {"name": owner.get("name"), "title": owner.get("title"), "datasets": 0},
        )
        row["datasets"] += 1
        row["in_scope"] = row.get("in_scope", 0) + ds["in_scope"]
        row["compliant"] = row.get("compliant", 0) + (ds["status"] == "compliant")
        row["needs_attestation"] = row.get("needs_attestation", 0) + (
            ds["status"] == "needs_attestation"
        )
    for row in rows.values():
        row["percent_compliant"] = (
            round(100 * row["compliant"] / row["in_scope"], 1) if row["in_scope"] else None
        )
    return sorted(rows.values(), key=lambda r: r["name"] or "")


def queue_run(scope: str, rule_set: str, probe: bool, ids, user_id) -> HvdCheckRun:
    run = HvdCheckRun(
        scope=scope, rule_set=rule_set, probe=probe, dataset_ids=ids or None, user_id=user_id
    )
    model.Session.add(run)
    model.Session.commit()
    return run


def execute(run: HvdCheckRun) -> HvdCheckRun:
    """Carry out a queued run; a failure is recorded on the run, never raised past it."""
    run.status, run.started_at = "running", utcnow()
    model.Session.commit()
    try:
        report = build_report(run)
    except Exception as exc:  # noqa: BLE001 - the run row must say what went wrong
        model.Session.rollback()
        log.exception("HVD check run %s failed", run.id)
        run = model.Session.get(HvdCheckRun, run.id)
        run.status, run.error = "failed", f"{exc.__class__.__name__}: {exc}"
    else:
        run.status, run.report, run.summary = "succeeded", report, short_summary(report)
    run.finished_at = utcnow()
    model.Session.commit()
    return run


def short_summary(report: dict) -> dict:
    """What the run list and the trend chart need, without the per-rule detail."""
    s = report["summary"]
    keep = (
        "datasets", "in_scope", "compliant", "non_compliant", "needs_attestation",
        "percent_compliant",
    )  # fmt: skip
    out = {key: s.get(key, 0) for key in keep}
    row_keys = ("category", "label", "in_scope", "compliant", "needs_attestation")
    out["categories"] = [
        {**{k: row.get(k, 0) for k in row_keys}, "percent_compliant": row["percent_compliant"]}
        for row in s["categories"]
    ]
    if "partners" in s:
        out["partners"] = s["partners"]
    return out


def enqueue(run: HvdCheckRun) -> HvdCheckRun:
    job = tk.enqueue_job(
        "ckanext.partnercity.jobs.hvd_check",
        [run.id],
        title=JOB_TITLE.format(run.scope),
        rq_kwargs={"timeout": settings.run_timeout_minutes() * 60},
    )
    run.job_id = job.id
    model.Session.commit()
    return run


def latest(scope: str) -> HvdCheckRun | None:
    return latest_succeeded(HvdCheckRun, HvdCheckRun.scope == scope)


def history(scope: str, limit: int = 20) -> list[HvdCheckRun]:
    """The newest runs of a scope, newest first."""
    return (
        model.Session.query(HvdCheckRun)
        .filter(HvdCheckRun.scope == scope)
        .order_by(HvdCheckRun.queued_at.desc())
        .limit(limit)
        .all()
    )
