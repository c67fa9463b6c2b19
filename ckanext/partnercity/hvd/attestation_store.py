"""Attestations in the portal: an auditor confirms an HVD item only a person can judge
(free of charge, granularity, a custom licence's terms) for one of OUR datasets.

Rows live in ``partnercity_hvd_attestation`` and are never deleted: a revocation marks the
row (who, when, why), so the history of a dataset's attestations stays readable. The check
runs hand the active ones to the core (:func:`for_core`), keyed by the dataset URI the core
reports, exactly as the standalone CLI's ``--attestations FILE`` does.
"""

from __future__ import annotations

from collections.abc import Iterable

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.partnercity.hvd.rules import engine
from ckanext.partnercity.model import HvdAttestation, utcnow

#: Our own datasets only: a partner city's reference is its city's to attest, not ours.
OWN_TYPE = "dataset"


def known_rules() -> set[str]:
    """Every rule id of every rule set (an attestation outlives a change of rule set)."""
    return {rule_id for rs in engine.RULE_SETS for rule_id in engine.rules_by_id(rs)}


def own_dataset(ref: str) -> model.Package:
    """The active dataset of ours that ``ref`` (id or name) names, or a field error."""
    pkg = model.Package.get(ref)
    if pkg is None or pkg.state != "active":
        raise tk.ValidationError({"dataset": [tk._("Dataset not found: {}").format(ref)]})
    if pkg.type != OWN_TYPE:
        message = tk._("Only our own datasets can be attested; {} is a partner city's reference")
        raise tk.ValidationError({"dataset": [message.format(pkg.name)]})
    return pkg


def active(dataset_id: str, rule_id: str) -> HvdAttestation | None:
    return (
        model.Session.query(HvdAttestation)
        .filter_by(dataset_id=dataset_id, rule_id=rule_id, revoked_at=None)
        .first()
    )


def record(pkg: model.Package, rule_id: str, by: str, evidence_url, note: str) -> HvdAttestation:
    """Store a new attestation; one active attestation per dataset and rule."""
    if rule_id not in known_rules():
        raise tk.ValidationError({"rule": [tk._("Unknown HVD rule: {}").format(rule_id)]})
    existing = active(pkg.id, rule_id)
    if existing is not None:
        message = tk._("Already attested by {by} on {at}; revoke that attestation first")
        at = existing.attested_at.isoformat(timespec="minutes")
        raise tk.ValidationError({"rule": [message.format(by=existing.attested_by, at=at)]})
    row = HvdAttestation(
        dataset_id=pkg.id,
        rule_id=rule_id,
        attested_by=by,
        evidence_url=evidence_url or None,
        note=note or "",
    )
    model.Session.add(row)
    model.Session.commit()
    return row


def revoke(attestation_id: str, by: str, reason: str) -> HvdAttestation:
    """Mark an attestation revoked; the row stays, for the history."""
    row = model.Session.get(HvdAttestation, attestation_id)
    if row is None:
        raise tk.ObjectNotFound(tk._("Attestation not found"))
    if not row.active:
        message = tk._("Already revoked by {by} on {at}")
        at = row.revoked_at.isoformat(timespec="minutes")
        raise tk.ValidationError({"id": [message.format(by=row.revoked_by, at=at)]})
    row.revoked_by, row.revoked_at, row.revoke_reason = by, utcnow(), reason
    model.Session.commit()
    return row


def query(dataset_ids: Iterable[str] | None = None, rule_id=None, include_revoked=False):
    """Attestations, newest first; ``dataset_ids`` None means every dataset."""
    q = model.Session.query(HvdAttestation)
    if dataset_ids is not None:
        q = q.filter(HvdAttestation.dataset_id.in_(list(dataset_ids)))
    if rule_id:
        q = q.filter(HvdAttestation.rule_id == rule_id)
    if not include_revoked:
        q = q.filter(HvdAttestation.revoked_at.is_(None))
    return q.order_by(HvdAttestation.attested_at.desc(), HvdAttestation.id).all()


def for_core(uri_of: dict[str, str], rule_set: str) -> list[dict]:
    """The active attestations of these datasets (CKAN id -> the URI the core reports), in
    the core's form. Rules the run's rule set does not have are left out, so a rule set
    without one of them never turns a stored attestation into an error."""
    if not uri_of:
        return []
    rules = engine.rules_by_id(rule_set)
    return [
        {
            "dataset": uri_of[row.dataset_id],
            "rule": row.rule_id,
            "by": row.attested_by,
            "at": row.attested_at.isoformat(timespec="seconds"),
            "evidence_url": row.evidence_url,
            "note": row.note or "",
        }
        for row in query(uri_of)
        if row.rule_id in rules
    ]


def as_dicts(rows: list[HvdAttestation]) -> list[dict]:
    """Rows as the actions return them, with the dataset's name and title when it exists."""
    ids = {row.dataset_id for row in rows}
    packages = model.Session.query(model.Package).filter(model.Package.id.in_(ids)) if ids else []
    names = {pkg.id: (pkg.name, pkg.title) for pkg in packages}
    out = []
    for row in rows:
        name, title = names.get(row.dataset_id, (None, None))
        out.append({**row.as_dict(), "dataset_name": name, "dataset_title": title})
    return out
