"""navl schemas of the ``partnercity_*`` actions, one function per action.

Every action validates its input here first, so a wrong type, a missing field or an
absurd number is a ValidationError (HTTP 409) naming the field, never a crash (HTTP 500)
deep in SQLAlchemy or Solr. Only the fields a schema names are checked and converted;
other keys pass through untouched (partner_create hands them on to scheming's schema).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.logic.schema import validator_args

from ckanext.partnercity.logic import schema_counterparts, schema_duties
from ckanext.partnercity.logic.navl import (  # noqa: F401 - re-exported for the tests
    LANG_MAX_CHARS,
    Schema,
    at_most,
    count_field,
    flag,
    id_list,
    max_chars,
    one_of_keys,
    stop_on_error,
    text,
    text_or_bytes,
    validate,
)
from ckanext.partnercity.model import HvdScope, MappingRelation

HARVEST_RUN_LIMIT_MAX = 1000
HVD_RUN_LIMIT_MAX = 200
RELATED_LIMIT_MAX = 50
#: Far beyond any real run history, well inside PostgreSQL's bigint.
OFFSET_MAX = 1_000_000
MAPPING_DECISIONS = ("accept", "change", "reject")
EXPORT_FORMATS = ("turtle", "json-ld", "xml")
REPORT_FORMATS = ("json", "html", "csv", "ttl", "jsonld", "rdf")
# theme_suggest is public and costs some 0.03 ms of CPU per character of label: these bound
# one request to about a third of a second (it was 32 s for 11.5 MB of labels).
LABELS_MAX = 500
LABEL_MAX_CHARS = 200
LABELS_TOTAL_CHARS = 10_000
#: A pasted portal URL (browsers and servers stop near 2 000 characters anyway).
URL_MAX_CHARS = 2000
#: Dataset names, ids and rule ids (CKAN names are at most 100 characters).
NAME_MAX_CHARS = 200
#: An attestation's note or a revocation's reason: a paragraph, not a document.
NOTE_MAX_CHARS = 4000


def label_items(labels: Any) -> Any:
    """theme_suggest's labels as {label, lang} objects (plain strings are labels too); every
    item keeps its place, so the answer has one entry per label, in order. More than
    ``LABELS_MAX`` is refused, not cut: a caller must know which labels got no answer."""
    if not isinstance(labels, list):
        return labels
    if len(labels) > LABELS_MAX:
        message = tk._("At most {} labels per request").format(LABELS_MAX)
        raise tk.ValidationError({"labels": [message]})
    return [
        {"label": None, **item} if isinstance(item, dict) else {"label": item} for item in labels
    ]


def labels_within_budget(labels: list[dict]) -> list[dict]:
    """Validated labels, if all of them together are short enough to suggest for cheaply."""
    if sum(len(item["label"]) for item in labels) > LABELS_TOTAL_CHARS:
        message = tk._("At most {} characters in all labels together").format(LABELS_TOTAL_CHARS)
        raise tk.ValidationError({"labels": [message]})
    return labels


# Partners, status and harvests


def status() -> Schema:
    return {}


@validator_args
def partner_create(not_empty) -> Schema:
    return {"name": [not_empty, text]}


@validator_args
def partner_ref(ignore_missing) -> Schema:
    """Update, delete and show: the partner by ``id`` or ``name``."""
    return {"id": [one_of_keys("name"), ignore_missing, text], "name": [ignore_missing, text]}


def partner_list() -> Schema:
    return {}


@validator_args
def portal_detect(not_empty) -> Schema:
    return {"url": [not_empty, text, stop_on_error, max_chars(URL_MAX_CHARS)]}


@validator_args
def harvest(not_empty, ignore_missing) -> Schema:
    return {
        "partner": [not_empty, text],
        "full": [ignore_missing, flag],
        "wait": [ignore_missing, flag],
        "background": [ignore_missing, flag],  # deprecated: the opposite of wait
    }


@validator_args
def harvest_run_list(ignore_missing, int_validator, natural_number_validator) -> Schema:
    number = (ignore_missing, int_validator, natural_number_validator)
    return {
        "partner": [ignore_missing, text],
        "limit": count_field(*number, HARVEST_RUN_LIMIT_MAX),
        "offset": count_field(*number, OFFSET_MAX),
    }


@validator_args
def harvest_run_show(not_empty) -> Schema:
    return {"id": [not_empty, text]}


# Shared themes


def scheme_list() -> Schema:
    return {}


@validator_args
def scheme_load(ignore_missing) -> Schema:
    return {
        "bundled": [ignore_missing, flag],
        "url": [ignore_missing, text],
        "content": [ignore_missing, text_or_bytes],
        "filename": [ignore_missing, text],
    }


@validator_args
def concept_show(ignore_missing) -> Schema:
    return {
        "uri": [one_of_keys("id"), ignore_missing, text],
        "id": [ignore_missing, text],
        "lang": [ignore_missing, text],
    }


@validator_args
def theme_suggest(ignore_missing, default) -> Schema:
    return {
        "labels": {
            "label": [default(""), text, stop_on_error, max_chars(LABEL_MAX_CHARS)],
            "lang": [ignore_missing, text, stop_on_error, max_chars(LANG_MAX_CHARS)],
        },
        "scheme": [ignore_missing, text],
    }


@validator_args
def mapping_list(ignore_missing) -> Schema:
    return {
        "partner": [ignore_missing, text],
        "origin": [ignore_missing, text],
        "unmapped": [ignore_missing, flag],
        "lang": [ignore_missing, text],
    }


@validator_args
def mapping_decide(ignore_missing, default, one_of) -> Schema:
    return {
        "decision": [default("accept"), text, stop_on_error, one_of(MAPPING_DECISIONS)],
        "id": [ignore_missing, text],
        "category": [ignore_missing, text],
        "partner": [ignore_missing, text],
        "concept": [ignore_missing, text],
        "relation": [ignore_missing, text, stop_on_error, one_of(list(MappingRelation))],
        "lang": [ignore_missing, text],
    }


@validator_args
def mapping_export(default, one_of) -> Schema:
    return {"format": [default("turtle"), text, stop_on_error, one_of(EXPORT_FORMATS)]}


# Citizen pages


@validator_args
def compare(ignore_missing) -> Schema:
    return {"lang": [ignore_missing, text], "scheme": [ignore_missing, text]}


@validator_args
def related(not_empty, ignore_missing, int_validator, natural_number_validator) -> Schema:
    return {
        "id": [not_empty, text],
        "limit": count_field(
            ignore_missing, int_validator, natural_number_validator, RELATED_LIMIT_MAX
        ),
        "lang": [ignore_missing, text],
    }


@validator_args
def concept_list(ignore_missing) -> Schema:
    return {"scheme": [ignore_missing, text], "lang": [ignore_missing, text]}


# HVD checks


def _scope(default: Callable, one_of: Callable) -> list:
    return [default("own"), text, stop_on_error, one_of(list(HvdScope))]


@validator_args
def hvd_check(ignore_missing, default, one_of) -> Schema:
    return {
        "ids": [ignore_missing, id_list],
        "scope": _scope(default, one_of),
        "rule_set": [ignore_missing, text],
        "probe": [ignore_missing, flag],
        "background": [ignore_missing, flag],
    }


@validator_args
def hvd_run_list(
    default, one_of, ignore_missing, int_validator, natural_number_validator
) -> Schema:
    return {
        "scope": _scope(default, one_of),
        "limit": count_field(
            ignore_missing, int_validator, natural_number_validator, HVD_RUN_LIMIT_MAX
        ),
    }


@validator_args
def hvd_report(ignore_missing, default, one_of) -> Schema:
    return {
        "scope": _scope(default, one_of),
        "format": [default("json"), text, stop_on_error, one_of(REPORT_FORMATS)],
        "run_id": [ignore_missing, text],
        "lang": [ignore_missing, text],
    }


# HVD attestations


def http_url(value: str) -> str | None:
    """After text: an evidence link a reader can open (http or https), or None when empty."""
    value = value.strip()
    if not value:
        return None
    scheme, _, rest = value.partition("://")
    if scheme.lower() not in ("http", "https") or not rest.split("/")[0]:
        raise tk.Invalid(tk._("Must be an http or https URL"))
    return value


def _bounded(first: Callable, maximum: int) -> list:
    return [first, text, stop_on_error, max_chars(maximum)]


@validator_args
def hvd_attest(not_empty, ignore_missing) -> Schema:
    return {
        "rule": _bounded(not_empty, NAME_MAX_CHARS),
        "dataset": _bounded(not_empty, NAME_MAX_CHARS),
        "evidence_url": [*_bounded(ignore_missing, URL_MAX_CHARS), http_url],
        "note": _bounded(ignore_missing, NOTE_MAX_CHARS),
        "recheck": [ignore_missing, flag],
    }


@validator_args
def hvd_attestation_revoke(not_empty, ignore_missing) -> Schema:
    return {
        "id": _bounded(not_empty, NAME_MAX_CHARS),
        "reason": _bounded(not_empty, NOTE_MAX_CHARS),
        "recheck": [ignore_missing, flag],
    }


@validator_args
def hvd_attestation_list(ignore_missing) -> Schema:
    return {
        "dataset": _bounded(ignore_missing, NAME_MAX_CHARS),
        "rule": _bounded(ignore_missing, NAME_MAX_CHARS),
        "include_revoked": [ignore_missing, flag],
    }


#: The schema of each action; the input tests walk it for every registered action.
SCHEMAS: dict[str, Callable[[], Schema]] = {
    "partnercity_status": status,
    "partnercity_partner_create": partner_create,
    "partnercity_partner_update": partner_ref,
    "partnercity_partner_delete": partner_ref,
    "partnercity_partner_show": partner_ref,
    "partnercity_partner_list": partner_list,
    "partnercity_portal_detect": portal_detect,
    "partnercity_harvest": harvest,
    "partnercity_harvest_run_list": harvest_run_list,
    "partnercity_harvest_run_show": harvest_run_show,
    "partnercity_scheme_list": scheme_list,
    "partnercity_scheme_load": scheme_load,
    "partnercity_concept_show": concept_show,
    "partnercity_theme_suggest": theme_suggest,
    "partnercity_mapping_list": mapping_list,
    "partnercity_mapping_decide": mapping_decide,
    "partnercity_mapping_export": mapping_export,
    "partnercity_compare": compare,
    "partnercity_related": related,
    "partnercity_concept_list": concept_list,
    "partnercity_hvd_check": hvd_check,
    "partnercity_hvd_run_list": hvd_run_list,
    "partnercity_hvd_report": hvd_report,
    "partnercity_hvd_attest": hvd_attest,
    "partnercity_hvd_attestation_revoke": hvd_attestation_revoke,
    "partnercity_hvd_attestation_list": hvd_attestation_list,
    **schema_duties.SCHEMAS,
    **schema_counterparts.SCHEMAS,
}


def check(action: str, data_dict: dict, context: dict) -> dict:
    """Validate an action's input against its schema (see :data:`SCHEMAS`)."""
    return validate(data_dict, SCHEMAS[action](), context)
