"""Action API of HVD attestations: record, revoke and list what an auditor confirmed.

After an attestation is recorded or revoked, the latest check of our datasets is run again
(same datasets, rule set and probes), so the report shows the change at once. A new run,
not an edit of the stored one: a run's report is the record of what was true when it ran,
and the trend and history stay truthful. Small checks run inline (0.2–0.3 s for 200
datasets, docs/hvd.md); checks with probes or of more datasets go to the job queue, as
"Check now" does.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.partnercity.hvd import attestation_store as store
from ckanext.partnercity.hvd import checks as hvd_checks
from ckanext.partnercity.hvd import visibility
from ckanext.partnercity.logic import schema

__all__ = [
    "partnercity_hvd_attest",
    "partnercity_hvd_attestation_revoke",
    "partnercity_hvd_attestation_list",
]

#: Above this many datasets (or with probes) the check after an attestation is queued.
INLINE_MAX = 200


def _user(context: dict) -> model.User:
    """Who attests: the caller; an internal call without a user (a script, the CLI) acts as
    the site user, as CKAN's own jobs do."""
    user = context.get("auth_user_obj") or model.User.get(context.get("user") or "")
    if user is None and context.get("ignore_auth"):
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
        user = model.User.get(site_user["name"])
    if user is None:
        raise tk.NotAuthorized(tk._("Only sysadmins and HVD auditors may attest"))
    return user


def recheck(user_id: str | None) -> dict | None:
    """Run the latest check of our datasets again, inline or queued (see the module doc).

    Nothing to do before the first check: that one will apply the attestations."""
    base = hvd_checks.latest("own")
    if base is None:
        return None
    run = hvd_checks.queue_run("own", base.rule_set, base.probe, base.dataset_ids, user_id)
    size = len(base.dataset_ids or ()) or (base.summary or {}).get("datasets", 0)
    if base.probe or size > INLINE_MAX:
        return hvd_checks.enqueue(run).as_dict()
    return hvd_checks.execute(run).as_dict()


def partnercity_hvd_attest(context: dict, data_dict: dict) -> dict[str, Any]:
    """Record that a person confirmed an HVD rule for one of our datasets.

    ``rule`` (rule id), ``dataset`` (id or name of our dataset), ``evidence_url`` (http or
    https, optional), ``note``; who and when come from the caller and the clock.
    ``recheck`` (default true): run the latest check again so the report shows it.
    Returns the attestation and, under ``run``, the new check run (or None).
    """
    tk.check_access("partnercity_hvd_attest", context, data_dict)
    data = schema.check("partnercity_hvd_attest", data_dict, context)
    user = _user(context)
    pkg = store.own_dataset(data["dataset"])
    row = store.record(pkg, data["rule"], user.name, data.get("evidence_url"), data.get("note"))
    run = recheck(user.id) if data.get("recheck", True) else None
    return {**store.as_dicts([row])[0], "run": run}


def partnercity_hvd_attestation_revoke(context: dict, data_dict: dict) -> dict[str, Any]:
    """Revoke an attestation (``id``) with a ``reason``; the row stays in the history.

    ``recheck`` as for partnercity_hvd_attest."""
    tk.check_access("partnercity_hvd_attestation_revoke", context, data_dict)
    data = schema.check("partnercity_hvd_attestation_revoke", data_dict, context)
    user = _user(context)
    row = store.revoke(data["id"], user.name, data["reason"])
    run = recheck(user.id) if data.get("recheck", True) else None
    return {**store.as_dicts([row])[0], "run": run}


@tk.side_effect_free
def partnercity_hvd_attestation_list(context: dict, data_dict: dict) -> list[dict]:
    """Attestations, newest first: of one ``dataset`` (id or name) and/or one ``rule``;
    ``include_revoked`` gives the whole history. Only datasets the caller may see."""
    tk.check_access("partnercity_hvd_attestation_list", context, data_dict)
    data = schema.check("partnercity_hvd_attestation_list", data_dict, context)
    ids = None
    if data.get("dataset"):
        pkg = model.Package.get(data["dataset"])
        if pkg is None:
            message = tk._("Dataset not found: {}").format(data["dataset"])
            raise tk.ValidationError({"dataset": [message]})
        ids = [pkg.id]
    rows = store.query(ids, data.get("rule"), data.get("include_revoked", False))
    hidden = visibility.hidden_ids(sorted({row.dataset_id for row in rows}), context)
    return store.as_dicts([row for row in rows if row.dataset_id not in hidden])
