"""The navl plumbing of the ``partnercity_*`` schemas: strict type validators and the
validation call (see :mod:`.schema`, which re-exports them for the schemas and the tests).

Kept apart from the schemas so that the list of actions can grow without the module
growing past the structure guard's size.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk

Schema = dict[str, Any]

_TRUE = ("true", "yes", "on", "y", "t", "1")
_FALSE = ("false", "no", "off", "n", "f", "0", "")


#: A BCP 47 language tag, with room for private-use subtags.
LANG_MAX_CHARS = 35


def validate(data_dict: dict, schema: Schema, context: dict) -> dict:
    """The input with the schema's fields validated and converted, or a ValidationError.

    navl flattens every list of dicts (and would drop one given where a plain value
    belongs) and raises DataError (HTTP 400, no field named) for anything but a list of
    dicts against a sub-schema, so those shapes are checked first.
    """
    shapes = {
        key: [tk._("Expecting a list of objects")]
        for key, sub in schema.items()
        if isinstance(sub, dict) and not _list_of_dicts(data_dict.get(key))
    }
    shapes.update(
        (key, [tk._("Must not be a list of objects")])
        for key, sub in schema.items()
        if not isinstance(sub, dict) and _list_of_dicts(data_dict.get(key)) and data_dict[key]
    )
    rest = {key: sub for key, sub in schema.items() if key not in shapes}
    fields = {key: value for key, value in data_dict.items() if key in rest}
    data, errors = tk.navl_validate(fields, rest, context)
    if errors or shapes:
        raise tk.ValidationError({**errors, **shapes})
    passed = {key: value for key, value in data_dict.items() if key not in schema}
    return {**passed, **{key: value for key, value in data.items() if key in schema}}


def _list_of_dicts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


# Validators only these schemas use (not registered with IValidators). CKAN's
# unicode_safe and boolean_validator turn any value into a string or a boolean (or fail
# with an AttributeError), so type checks need these strict variants.


def text(value: Any) -> str:
    """A string, nothing else: a list or a number where a name belongs is a client error."""
    if not isinstance(value, str):
        raise tk.Invalid(tk._("Must be a string"))
    return value


def text_or_bytes(value: Any) -> str | bytes:
    """Uploaded content: text from the API, bytes from the command line."""
    if not isinstance(value, (str, bytes)):
        raise tk.Invalid(tk._("Must be a string"))
    return value


def flag(value: Any) -> bool:
    """A boolean, also as "true"/"false" strings (forms, query strings) or 0/1."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
        return value.strip().lower() in _TRUE
    raise tk.Invalid(tk._("Must be true or false"))


def stop_on_error(key: tuple, data: dict, errors: dict, context: dict) -> None:
    """navl runs a field's next validators even after one failed: stop at the first error,
    so later ones need not guard against the wrong type and the field has one message."""
    if errors[key]:
        raise tk.StopOnError


def at_most(maximum: int) -> Callable[[Any], int]:
    """After natural_number_validator: a bound, so a huge limit or offset is refused
    rather than turned into a slow query or a database overflow."""

    def validator(value: int) -> int:
        if value > maximum:
            raise tk.Invalid(tk._("Must be at most {}").format(maximum))
        return value

    validator.maximum = maximum  # type: ignore[attr-defined]  # tests read the bound
    return validator


def id_list(value: Any) -> list[str]:
    """Ids or names as a list, or as one string separated by commas or spaces."""
    if isinstance(value, str):
        return [item for item in value.replace(",", " ").split() if item]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise tk.Invalid(tk._("Expecting a list of dataset ids or names"))
    return value


def max_chars(maximum: int) -> Callable[[str], str]:
    """After text: a length bound, so a huge string is refused rather than worked on."""

    def validator(value: str) -> str:
        if len(value) > maximum:
            raise tk.Invalid(tk._("At most {} characters").format(maximum))
        return value

    validator.max_chars = maximum  # type: ignore[attr-defined]  # tests read the bound
    return validator


def one_of_keys(*others: str) -> Callable[..., None]:
    """This key or one of ``others`` must be given (``id`` or ``name``, ``uri`` or ``id``)."""

    def validator(key: tuple, data: dict, errors: dict, context: dict) -> None:
        if any(data.get((name,)) not in (None, "", tk.missing) for name in (key[-1], *others)):
            return
        errors[key].append(tk._("Missing value"))
        raise tk.StopOnError

    validator.alternatives = others  # type: ignore[attr-defined]  # tests read it
    return validator


def count_field(ignore_missing: Callable, int_validator: Callable, natural: Callable, maximum: int):
    """Limits and offsets: a whole number from 0 to ``maximum``; empty means the default."""
    stop = stop_on_error
    return [ignore_missing, int_validator, stop, ignore_missing, natural, stop, at_most(maximum)]
