"""navl schema of ``partnercity_counterpart_decide`` (``schema.py`` adds it to its registry;
it lives apart because ``schema.py`` is near the structure guard's size limit)."""

from __future__ import annotations

from ckan.logic.schema import validator_args

from ckanext.partnercity.logic.navl import Schema, max_chars, stop_on_error, text

#: "undecided" removes an earlier decision.
COUNTERPART_DECISIONS = ("confirmed", "rejected", "undecided")
REASON_MAX_CHARS = 2000
NAME_MAX_CHARS = 200


@validator_args
def counterpart_decide(not_empty, ignore_missing, one_of) -> Schema:
    return {
        "dataset": [not_empty, text, stop_on_error, max_chars(NAME_MAX_CHARS)],
        "reference": [not_empty, text, stop_on_error, max_chars(NAME_MAX_CHARS)],
        "decision": [not_empty, text, stop_on_error, one_of(COUNTERPART_DECISIONS)],
        "reason": [ignore_missing, text, stop_on_error, max_chars(REASON_MAX_CHARS)],
    }


SCHEMAS = {"partnercity_counterpart_decide": counterpart_decide}
