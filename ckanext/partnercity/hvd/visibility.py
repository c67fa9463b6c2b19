"""What of a stored HVD report a viewer may see.

Check runs read every dataset (private ones too) so that sysadmins get the whole picture, but
a report must show a visitor only what ``package_show`` would show them: the stored report is
filtered per viewer when it is read, and its summary counted again for what is left.
"""

from __future__ import annotations

from ckan import authz, model

from ckanext.partnercity.compat import ckan as compat
from ckanext.partnercity.hvd.checks import per_owner
from ckanext.partnercity.hvd.rules import eu_reporting
from ckanext.partnercity.hvd.rules.results import summarize


def sees_everything(context: dict) -> bool:
    """Sysadmins (the CLI's site user included) and internal calls see every dataset."""
    return bool(context.get("ignore_auth")) or authz.is_sysadmin(context.get("user"))


def hidden_ids(ids: list[str], context: dict) -> set[str]:
    """Ids among ``ids`` that package_show would refuse the viewer.

    package_show's own test (CKAN's permission labels, IPermissionLabels plugins included:
    a dataset label the viewer holds) over one query for all the run's datasets, so a run of
    thousands costs one SELECT and no Solr round trip; a dataset purged since is hidden.
    """
    if sees_everything(context) or not ids:
        return set()
    labels = compat.permission_labels()
    held = set(labels.get_user_dataset_labels(_user(context)))
    packages = model.Session.query(model.Package).filter(model.Package.id.in_(ids))
    shown = {pkg.id for pkg in packages if held.intersection(labels.get_dataset_labels(pkg))}
    return set(ids) - shown


def _user(context: dict) -> model.User | None:
    user = context.get("user")
    return context.get("auth_user_obj") or (model.User.get(user) if user else None)


def visible_report(report: dict, context: dict) -> dict:
    """The report without the datasets the viewer may not see, its summary counted again."""
    datasets = report.get("datasets") or []
    hidden = hidden_ids([ds["ckan_id"] for ds in datasets if ds.get("ckan_id")], context)
    if not hidden:
        return report
    shown = [ds for ds in datasets if ds.get("ckan_id") not in hidden]
    return {**report, "datasets": shown, "summary": recount(report["summary"], shown)}


def recount(summary: dict, datasets: list[dict]) -> dict:
    """The summary of fewer datasets: counts anew, the rules and services as they were."""
    fresh = summarize(datasets, [], summary.get("unattached_services") or ())
    keep = ("rules", "rule_list", "only_shapes")
    fresh.update({key: summary[key] for key in keep if key in summary})
    # attestations that matched nothing: only those naming a dataset the viewer sees
    shown = {ds["uri"] for ds in datasets}
    unused = (summary.get("attestations") or {}).get("unused") or []
    fresh["attestations"]["unused"] = [a for a in unused if a.get("dataset") in shown]
    if "partners" in summary:
        fresh["partners"] = per_owner(datasets)
    if "eu_reporting" in summary:
        fresh["eu_reporting"] = eu_reporting.recount(datasets, summary["eu_reporting"])
    return fresh
