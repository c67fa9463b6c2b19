"""Tables of the extension; their DDL lives in migration/partnercity (alembic)."""

from __future__ import annotations

import datetime
import enum
import uuid

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.model import Session
from sqlalchemy.dialects import postgresql


def utcnow() -> datetime.datetime:
    """UTC without tzinfo: the extension's columns are ``timestamp without time zone``."""
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


class RunStatus(enum.StrEnum):
    """Of harvest runs and HVD check runs (these are never partial)."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    PARTIAL = "partial"  # some records failed: nothing was withdrawn
    FAILED = "failed"


class RunMode(enum.StrEnum):
    FULL = "full"  # a complete listing: the only kind that may withdraw
    INCREMENTAL = "incremental"


COUNTERS = ("created", "updated", "unchanged", "withdrawn", "failed")


class HarvestRun(tk.BaseModel):
    """One pass over one partner: counts, errors with the URL that caused them, timing."""

    __tablename__ = "partnercity_harvest_run"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=lambda: str(uuid.uuid4()))
    partner_id = sa.Column(
        sa.UnicodeText, sa.ForeignKey("group.id", ondelete="CASCADE"), nullable=False
    )
    mode = sa.Column(sa.UnicodeText, nullable=False, default="full")
    status = sa.Column(sa.UnicodeText, nullable=False, default=RunStatus.QUEUED.value)
    job_id = sa.Column(sa.UnicodeText)
    queued_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    started_at = sa.Column(sa.DateTime)
    finished_at = sa.Column(sa.DateTime)
    created = sa.Column(sa.Integer, nullable=False, default=0)
    updated = sa.Column(sa.Integer, nullable=False, default=0)
    unchanged = sa.Column(sa.Integer, nullable=False, default=0)
    withdrawn = sa.Column(sa.Integer, nullable=False, default=0)
    failed = sa.Column(sa.Integer, nullable=False, default=0)
    errors = sa.Column(postgresql.JSONB, nullable=False, default=list)

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "partner_id": self.partner_id,
            "mode": self.mode,
            "status": self.status,
            "job_id": self.job_id,
            "queued_at": _iso(self.queued_at),
            "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at),
            "duration_seconds": self.duration_seconds,
            "counts": {name: getattr(self, name) for name in COUNTERS},
            "errors": list(self.errors or []),
        }


def _iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


class Scheme(tk.BaseModel):
    """A loaded SKOS concept scheme (EU data themes, HVD categories, a partnership's own)."""

    __tablename__ = "partnercity_scheme"

    uri = sa.Column(sa.UnicodeText, primary_key=True)
    titles = sa.Column(postgresql.JSONB, nullable=False, default=dict)
    source = sa.Column(sa.UnicodeText, nullable=False, default="")
    loaded_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)


class Concept(tk.BaseModel):
    """A shared theme: one skos:Concept with its labels per language."""

    __tablename__ = "partnercity_concept"

    uri = sa.Column(sa.UnicodeText, primary_key=True)
    scheme_uri = sa.Column(
        sa.UnicodeText, sa.ForeignKey("partnercity_scheme.uri", ondelete="CASCADE"), nullable=False
    )
    notation = sa.Column(sa.UnicodeText)
    pref_labels = sa.Column(postgresql.JSONB, nullable=False, default=dict)
    alt_labels = sa.Column(postgresql.JSONB, nullable=False, default=dict)
    broader = sa.Column(postgresql.JSONB, nullable=False, default=list)
    narrower = sa.Column(postgresql.JSONB, nullable=False, default=list)

    def label(self, lang: str, fallback: str = "en") -> str:
        labels = self.pref_labels or {}
        return labels.get(lang) or labels.get(fallback) or next(iter(labels.values()), self.uri)


class MappingRelation(enum.StrEnum):
    EXACT = "exactMatch"
    CLOSE = "closeMatch"
    BROAD = "broadMatch"
    NARROW = "narrowMatch"


class MappingOrigin(enum.StrEnum):
    """Where a mapping comes from; a decision wins over every automatic origin."""

    SOURCE = "source"
    ALIGNMENT = "alignment"
    SUGGESTED = "suggested"
    DECIDED = "decided"


class Mapping(tk.BaseModel):
    """A local category (of a partner, or ours when partner_id is NULL) -> a shared concept."""

    __tablename__ = "partnercity_mapping"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=lambda: str(uuid.uuid4()))
    partner_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id", ondelete="CASCADE"))
    category = sa.Column(sa.UnicodeText, nullable=False)
    lang = sa.Column(sa.UnicodeText, nullable=False, default="")
    concept_uri = sa.Column(sa.UnicodeText, nullable=False)
    relation = sa.Column(sa.UnicodeText, nullable=False)
    origin = sa.Column(sa.UnicodeText, nullable=False)
    confidence = sa.Column(sa.Float)
    rejected = sa.Column(sa.Boolean, nullable=False, default=False)
    decided_by = sa.Column(sa.UnicodeText)
    updated_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "partner_id": self.partner_id,
            "category": self.category,
            "lang": self.lang,
            "concept": self.concept_uri,
            "relation": self.relation,
            "origin": self.origin,
            "confidence": self.confidence,
            "rejected": self.rejected,
            "decided_by": self.decided_by,
            "updated_at": _iso(self.updated_at),
        }


class HvdScope(enum.StrEnum):
    OWN = "own"  # our datasets: the regulation's obligations
    PARTNERS = "partners"  # partner references: peer learning only


class HvdCheckRun(tk.BaseModel):
    """One HVD check over our datasets (or partner references): the whole report, kept
    so auditors see the history and the trend."""

    __tablename__ = "partnercity_hvd_run"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=lambda: str(uuid.uuid4()))
    scope = sa.Column(sa.UnicodeText, nullable=False, default="own")
    rule_set = sa.Column(sa.UnicodeText, nullable=False)
    probe = sa.Column(sa.Boolean, nullable=False, default=False)
    dataset_ids = sa.Column(postgresql.JSONB)
    status = sa.Column(sa.UnicodeText, nullable=False, default="queued")
    job_id = sa.Column(sa.UnicodeText)
    user_id = sa.Column(sa.UnicodeText)
    queued_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    started_at = sa.Column(sa.DateTime)
    finished_at = sa.Column(sa.DateTime)
    summary = sa.Column(postgresql.JSONB)
    report = sa.Column(postgresql.JSONB)
    error = sa.Column(sa.UnicodeText)

    def as_dict(self, with_report: bool = False) -> dict:
        out = {
            "id": self.id,
            "scope": self.scope,
            "rule_set": self.rule_set,
            "probe": self.probe,
            "dataset_ids": self.dataset_ids,
            "status": self.status,
            "job_id": self.job_id,
            "queued_at": _iso(self.queued_at),
            "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at),
            "summary": self.summary,
            "error": self.error,
        }
        if with_report:
            out["report"] = self.report
        return out


class HvdAttestation(tk.BaseModel):
    """A person confirms an HVD rule that metadata cannot show (free of charge, granularity,
    a custom licence's terms). Revoked attestations stay, for the history."""

    __tablename__ = "partnercity_hvd_attestation"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=lambda: str(uuid.uuid4()))
    dataset_id = sa.Column(sa.UnicodeText, nullable=False)
    rule_id = sa.Column(sa.UnicodeText, nullable=False)
    attested_by = sa.Column(sa.UnicodeText, nullable=False)
    attested_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    evidence_url = sa.Column(sa.UnicodeText)
    note = sa.Column(sa.UnicodeText, nullable=False, default="")
    revoked_by = sa.Column(sa.UnicodeText)
    revoked_at = sa.Column(sa.DateTime)
    revoke_reason = sa.Column(sa.UnicodeText)

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "dataset_id": self.dataset_id,
            "rule": self.rule_id,
            "by": self.attested_by,
            "at": _iso(self.attested_at),
            "evidence_url": self.evidence_url,
            "note": self.note,
            "revoked_by": self.revoked_by,
            "revoked_at": _iso(self.revoked_at),
            "revoke_reason": self.revoke_reason,
            "active": self.active,
        }


class DutyDecision(enum.StrEnum):
    ACCEPTED = "accepted"  # the category was set on the dataset
    REJECTED = "rejected"  # kept with a reason; not suggested again


class HvdDutyDecision(tk.BaseModel):
    """An open-data team's answer to a suggested HVD category for one of our datasets."""

    __tablename__ = "partnercity_hvd_duty_decision"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=lambda: str(uuid.uuid4()))
    dataset_id = sa.Column(sa.UnicodeText, nullable=False)
    category = sa.Column(sa.UnicodeText, nullable=False)
    decision = sa.Column(sa.UnicodeText, nullable=False)
    reason = sa.Column(sa.UnicodeText, nullable=False, default="")
    decided_by = sa.Column(sa.UnicodeText, nullable=False)
    decided_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "dataset_id": self.dataset_id,
            "category": self.category,
            "decision": self.decision,
            "reason": self.reason,
            "decided_by": self.decided_by,
            "decided_at": _iso(self.decided_at),
        }


class CounterpartDecisionValue(enum.StrEnum):
    CONFIRMED = "confirmed"  # shown first, whatever the ranker says
    REJECTED = "rejected"  # never shown as a counterpart of this dataset again


class CounterpartDecision(tk.BaseModel):
    """An open-data team's answer to "is this partner dataset a counterpart of ours?".

    Keyed by the partner's own identifier of its dataset (``partner_identifier``, the
    reference's ``partner_identifier`` field), so the answer is kept across harvests."""

    __tablename__ = "partnercity_counterpart_decision"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=lambda: str(uuid.uuid4()))
    dataset_id = sa.Column(sa.UnicodeText, nullable=False)
    partner_id = sa.Column(sa.UnicodeText, nullable=False)
    partner_identifier = sa.Column(sa.UnicodeText, nullable=False)
    decision = sa.Column(sa.UnicodeText, nullable=False)
    reason = sa.Column(sa.UnicodeText, nullable=False, default="")
    decided_by = sa.Column(sa.UnicodeText, nullable=False)
    decided_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "dataset_id": self.dataset_id,
            "partner_id": self.partner_id,
            "partner_identifier": self.partner_identifier,
            "decision": self.decision,
            "reason": self.reason,
            "decided_by": self.decided_by,
            "decided_at": _iso(self.decided_at),
        }


def latest_succeeded(run_class: type, *where, by: str = "finished_at"):
    """The newest succeeded run of a run table (harvest or HVD check) matching ``where``."""
    return (
        Session.query(run_class)
        .filter(*where, run_class.status == RunStatus.SUCCEEDED.value)
        .order_by(getattr(run_class, by).desc())
        .first()
    )
