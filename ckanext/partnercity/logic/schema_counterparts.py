"""navl schemas of the ``partnercity_counterpart_*`` actions (``schema.py`` adds them to its
registry; they live apart because ``schema.py`` is near the structure guard's size limit)."""

from __future__ import annotations

from ckan.logic.schema import validator_args

from ckanext.partnercity.logic.navl import Schema, count_field, max_chars, stop_on_error, text

#: "undecided" removes an earlier decision.
COUNTERPART_DECISIONS = ("confirmed", "rejected", "undecided")
REASON_MAX_CHARS = 2000
NAME_MAX_CHARS = 200
#: Own datasets per review page: each is ranked against the references (about 0.1 s each).
REVIEW_LIMIT_MAX = 50
#: Far beyond any city's catalogue; keeps Solr's ``start`` sane.
REVIEW_PAGE_MAX = 10_000


@validator_args
def counterpart_decide(not_empty, ignore_missing, one_of) -> Schema:
    return {
        "dataset": [not_empty, text, stop_on_error, max_chars(NAME_MAX_CHARS)],
        # a reference, or (to undo a decision whose reference was purged) the decision's id
        "reference": [ignore_missing, text, stop_on_error, max_chars(NAME_MAX_CHARS)],
        "decision_id": [ignore_missing, text, stop_on_error, max_chars(NAME_MAX_CHARS)],
        "decision": [not_empty, text, stop_on_error, one_of(COUNTERPART_DECISIONS)],
        "reason": [ignore_missing, text, stop_on_error, max_chars(REASON_MAX_CHARS)],
    }


@validator_args
def counterpart_list(ignore_missing, int_validator, natural_number_validator) -> Schema:
    number = (ignore_missing, int_validator, natural_number_validator)
    return {
        "page": count_field(*number, REVIEW_PAGE_MAX),
        "limit": count_field(*number, REVIEW_LIMIT_MAX),
        # words our datasets must match (CKAN's dataset search), to review a few of many
        "q": [ignore_missing, text, stop_on_error, max_chars(NAME_MAX_CHARS)],
    }


def counterpart_confirmed() -> Schema:
    """No input: the confirmed pairs the public may see, all of them."""
    return {}


SCHEMAS = {
    "partnercity_counterpart_decide": counterpart_decide,
    "partnercity_counterpart_list": counterpart_list,
    "partnercity_counterpart_confirmed": counterpart_confirmed,
}
