"""Small value shapes every portal type and the adapter meet: repeating fields stored as
lists or JSON text, and quoted phrases for Solr and ODSQL queries."""

from __future__ import annotations

import json
from typing import Any


def loads(text: str | bytes) -> Any:
    """json.loads for partner documents: nesting deeper than Python can follow is a plain
    ValueError ("nesting too deep") like any other malformed JSON, not a crash."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("JSON nesting too deep") from None


def json_list(value: Any) -> list:
    """A repeating field as CKAN stores it: a list (scheming), a JSON list in a string (extras)
    or one value. Empty items are dropped; text that only looks like JSON stays one value."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                parsed = loads(text)
            except ValueError:
                return [text]
            value = parsed if isinstance(parsed, list) else [text]
        else:
            return [text] if text else []
    if isinstance(value, (list, tuple)):
        return [item for item in value if item not in (None, "")]
    return [value]


def json_language_map(value: Any) -> dict[str, str]:
    """A translated field as ckanext-fluent stores it (``title_translated``): a dict of
    language → text, or that dict as JSON text in an extra; {} for anything else."""
    if isinstance(value, str):
        try:
            value = loads(value) if value.strip().startswith("{") else None
        except ValueError:
            return {}
    if not isinstance(value, dict):
        return {}
    return {str(k): v.strip() for k, v in value.items() if isinstance(v, str) and v.strip()}


def phrase(value: str) -> str:
    """A quoted phrase: Solr's and ODSQL's string literal, so user or partner text is never
    read as query syntax."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
