"""navl schemas of the HVD duties actions, and the extra checks of ``partnercity_hvd_suggest``.

``schema.py`` adds them to its :data:`schema.SCHEMAS` registry (the input tests walk it); they
live apart because ``schema.py`` is near the structure guard's size limit, and they use only
the generic helpers of ``navl.py``, so the import has no cycle.

``partnercity_hvd_suggest`` is public and its cost grows with the text it is given, so every
string has a length cap and the request a total one, as ``partnercity_theme_suggest`` has.
navl reports errors of a list of objects as a list of per-item dicts; callers get one line
per item and field instead ("item 3: title: Must be a string", items counted from 0).
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.logic.schema import validator_args

from ckanext.partnercity.logic import navl
from ckanext.partnercity.logic.navl import Schema, max_chars, stop_on_error, text

SUGGEST_DATASETS_MAX = 1000
SUGGEST_TITLE_MAX_CHARS = 1000
SUGGEST_NOTES_MAX_CHARS = 20_000
SUGGEST_TAGS_MAX = 100
SUGGEST_TAG_MAX_CHARS = 100
#: Some 2,000 characters per dataset on average when all 1,000 are sent.
SUGGEST_TOTAL_CHARS = 2_000_000
SUGGEST_LIMIT_MAX = 10
DUTY_DECISIONS = ("accept", "reject")
REASON_MAX_CHARS = 2000
DECISION_LIST_MAX = 500
#: At most this many item errors are listed; the rest are counted.
ERRORS_SHOWN = 20


def tag_names(value: Any) -> list[str]:
    """Tags as a list of strings (``{"name": …}`` objects, as package dicts hold them, are
    turned into their names before navl sees them)."""
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        raise tk.Invalid(tk._("Expecting a list of strings"))
    if len(value) > SUGGEST_TAGS_MAX:
        raise tk.Invalid(tk._("At most {} tags").format(SUGGEST_TAGS_MAX))
    if any(len(tag) > SUGGEST_TAG_MAX_CHARS for tag in value):
        raise tk.Invalid(tk._("At most {} characters per tag").format(SUGGEST_TAG_MAX_CHARS))
    return value


def _number(maximum: int, ignore_missing, int_validator, natural_number_validator) -> list:
    stop = stop_on_error
    number = [int_validator, stop, ignore_missing, natural_number_validator, stop]
    return [ignore_missing, *number, navl.at_most(maximum)]


@validator_args
def hvd_suggest(not_missing, ignore_missing, int_validator, natural_number_validator) -> Schema:
    def line(cap: int) -> list:
        return [text, stop_on_error, max_chars(cap)]

    return {
        "datasets": {
            "title": [not_missing, *line(SUGGEST_TITLE_MAX_CHARS)],
            "notes": [ignore_missing, *line(SUGGEST_NOTES_MAX_CHARS)],
            "tags": [ignore_missing, tag_names],
            "lang": [ignore_missing, *line(navl.LANG_MAX_CHARS)],
        },
        "limit": _number(
            SUGGEST_LIMIT_MAX, ignore_missing, int_validator, natural_number_validator
        ),
    }


@validator_args
def hvd_duty_list(ignore_missing) -> Schema:
    return {"lang": [ignore_missing, text, stop_on_error, max_chars(navl.LANG_MAX_CHARS)]}


@validator_args
def hvd_duty_decide(not_empty, ignore_missing, one_of) -> Schema:
    return {
        "dataset": [not_empty, text],
        "category": [not_empty, text],
        "decision": [not_empty, text, stop_on_error, one_of(DUTY_DECISIONS)],
        "reason": [ignore_missing, text, stop_on_error, max_chars(REASON_MAX_CHARS)],
        "lang": [ignore_missing, text, stop_on_error, max_chars(navl.LANG_MAX_CHARS)],
    }


@validator_args
def hvd_duty_decision_list(ignore_missing, int_validator, natural_number_validator) -> Schema:
    return {
        "limit": _number(
            DECISION_LIST_MAX, ignore_missing, int_validator, natural_number_validator
        ),
        "lang": [ignore_missing, text, stop_on_error, max_chars(navl.LANG_MAX_CHARS)],
    }


SCHEMAS = {
    "partnercity_hvd_suggest": hvd_suggest,
    "partnercity_hvd_duty_list": hvd_duty_list,
    "partnercity_hvd_duty_decide": hvd_duty_decide,
    "partnercity_hvd_duty_decision_list": hvd_duty_decision_list,
}


# -- partnercity_hvd_suggest ------------------------------------------------------------------


def suggest_input(data_dict: dict, context: dict) -> dict:
    """The validated request: the count is refused before any per-item work, tag objects
    become names, navl's per-item errors become lines, and the total size is bounded."""
    items = data_dict.get("datasets")
    if isinstance(items, list) and len(items) > SUGGEST_DATASETS_MAX:
        message = tk._("At most {} datasets per request").format(SUGGEST_DATASETS_MAX)
        raise tk.ValidationError({"datasets": [message]})
    if isinstance(items, list) and all(isinstance(item, dict) for item in items):
        data_dict = {**data_dict, "datasets": [_tag_names_of(item) for item in items]}
    try:
        data = navl.validate(data_dict, hvd_suggest(), context)
    except tk.ValidationError as exc:
        raise tk.ValidationError(_item_lines(exc.error_dict)) from exc
    data["datasets"] = [_with_defaults(item) for item in data["datasets"]]
    total = sum(
        len(item["title"]) + len(item["notes"]) + sum(map(len, item["tags"]))
        for item in data["datasets"]
    )
    if total > SUGGEST_TOTAL_CHARS:
        message = tk._("At most {} characters in all datasets together").format(SUGGEST_TOTAL_CHARS)
        raise tk.ValidationError({"datasets": [message]})
    return data


def _tag_names_of(item: dict) -> dict:
    tags = item.get("tags")
    if isinstance(tags, list) and tags and all(isinstance(tag, dict) for tag in tags):
        return {**item, "tags": [tag.get("name") for tag in tags]}
    return item


def _with_defaults(item: dict) -> dict:
    return {
        "title": item["title"],
        "notes": item.get("notes") or "",
        "tags": item.get("tags") or [],
        "lang": item.get("lang") or "",
    }


def _item_lines(errors: dict) -> dict:
    """``{"datasets": [{}, {"title": ["Must be a string"]}]}`` → one line per item field."""
    items = errors.get("datasets")
    if not isinstance(items, list) or not all(isinstance(e, dict) for e in items):
        return errors
    lines = [
        tk._("item {index}: {field}: {message}").format(index=index, field=field, message=msg)
        for index, fields in enumerate(items)
        for field, messages in fields.items()
        for msg in messages
    ]
    if len(lines) > ERRORS_SHOWN:
        rest = len(lines) - ERRORS_SHOWN
        lines = [*lines[:ERRORS_SHOWN], tk._("… and {} more").format(rest)]
    return {**errors, "datasets": lines}
