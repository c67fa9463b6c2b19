"""Recorded attestations: a person confirms an item only they can judge.

An attestation is ``{"dataset": <dataset URI as in the report's "uri">, "rule": <rule id>,
"by": str, "at": ISO date or date-time, "evidence_url": http(s) URL or None, "note": str}``.
The standalone CLI reads a list of them from YAML or JSON (``--attestations FILE``); the portal
keeps them in its database. Either way they are validated here first, so a typo in a rule id
or a date is an error the auditor sees, not an attestation silently never applied.

Applying them (:func:`apply`) turns an ``attest`` result into ``attested``; it never turns a
``fail`` into anything else: an attestation cannot override a violation the metadata shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

import yaml

from .results import ATTEST, ATTESTED, FAIL

FIELDS = ("dataset", "rule", "by", "at", "evidence_url", "note")


class AttestationError(ValueError):
    """An attestation list or item is malformed (the message names the item)."""


def _parse_at(value) -> str:
    """ISO 8601 date or date-time (``Z`` allowed) → its ISO text; YAML may give a date."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        raise ValueError("needs an ISO 8601 date or date-time")
    text = value.strip()
    try:
        datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO 8601 date or date-time") from None
    return text


def _text(item: dict, key: str, required: bool) -> str:
    value = item.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValueError(f"missing {key!r}")
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{key!r} must be text")
    return value.strip()


def validate_item(item, known_rules: Iterable[str], strict: bool = True) -> dict:
    """One attestation, normalized; ValueError naming the field otherwise.

    ``strict`` refuses fields beyond :data:`FIELDS` (a typo in a file, e.g. ``evidence-url``);
    callers passing stored records (with an id, a revocation date …) turn it off.
    """
    if not isinstance(item, dict):
        raise ValueError("must be a mapping with dataset, rule, by, at")
    unknown = set(item) - set(FIELDS)
    if unknown and strict:
        raise ValueError(f"unknown field(s) {sorted(unknown)}; allowed: {list(FIELDS)}")
    rule = _text(item, "rule", True)
    if rule not in set(known_rules):
        raise ValueError(f"unknown rule id {rule!r}")
    url = _text(item, "evidence_url", False) or None
    if url is not None and not url.lower().startswith(("http://", "https://")):
        raise ValueError(f"evidence_url {url!r} is not an http(s) URL")
    return {
        "dataset": _text(item, "dataset", True),
        "rule": rule,
        "by": _text(item, "by", True),
        "at": _parse_at(item.get("at")),
        "evidence_url": url,
        "note": _text(item, "note", False),
    }


def validate(items, known_rules: Iterable[str], strict: bool = True) -> list[dict]:
    """A list of attestations (or ``{"attestations": [...]}``), each validated.

    Raises :class:`AttestationError` naming the first bad item (1-based) and field.
    """
    if isinstance(items, dict) and "attestations" in items:
        items = items["attestations"]
    if items is None:
        return []
    if not isinstance(items, list):
        raise AttestationError("attestations must be a list (or {'attestations': [...]})")
    known = frozenset(known_rules)
    out = []
    for n, item in enumerate(items, 1):
        try:
            out.append(validate_item(item, known, strict))
        except ValueError as exc:
            raise AttestationError(f"attestation {n}: {exc}") from None
    return out


def load_file(path: str | Path, known_rules: Iterable[str]) -> list[dict]:
    """Attestations from a YAML or JSON file (JSON is YAML, one parser reads both)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AttestationError(f"cannot read {path}: {exc}") from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise AttestationError(f"{path} is not YAML or JSON: {exc}") from None
    return validate(doc, known_rules)


def index(attestations: Iterable[dict]) -> dict[tuple[str, str], dict]:
    """(dataset, rule) → its newest attestation (by ``at``; later items win ties)."""
    out: dict[tuple[str, str], dict] = {}
    for a in attestations:
        key = (a["dataset"], a["rule"])
        if key not in out or a["at"] >= out[key]["at"]:
            out[key] = a
    return out


def _record(a: dict) -> dict:
    return {k: a[k] for k in ("by", "at", "evidence_url", "note")}


def apply(dataset_uri: str, results: list[dict], by_key: dict, used: set) -> list[dict]:
    """Results with the dataset's attestations applied; keys applied are added to ``used``.

    ``attest`` + attestation → ``attested`` with ``"attestation"``; ``fail`` + attestation →
    still ``fail``, with ``"ignored_attestation"`` saying why. Others are left as they are.
    """
    if not by_key:
        return results
    out = []
    for r in results:
        a = by_key.get((dataset_uri, r["rule"]))
        if a is None or r["outcome"] not in (ATTEST, FAIL):
            out.append(r)
            continue
        used.add((dataset_uri, r["rule"]))
        if r["outcome"] == ATTEST:
            out.append({**r, "outcome": ATTESTED, "attestation": _record(a)})
        else:
            reason = "the metadata shows a violation; an attestation cannot override it"
            out.append({**r, "ignored_attestation": {**_record(a), "reason": reason}})
    return out
