"""Remote JSON-LD contexts, fetched through the HttpClient and inlined.

rdflib would otherwise fetch them itself, past the partner URL policy.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

from ckanext.partnercity.harvesters.base import HarvestError, brief
from ckanext.partnercity.harvesters.values import loads

MAX_REMOTE_CONTEXTS = 10


def inline_contexts(data: bytes, url: str, get_json: Callable[[str], Any]) -> bytes:
    """The JSON-LD document ``data`` with every remote ``@context`` replaced by its content."""
    try:
        document = loads(data)
    except ValueError as exc:
        raise HarvestError(f"malformed JSON-LD: {brief(exc)}", url) from None
    cache: dict[str, Any] = {}

    def resolve(context: Any, base: str) -> Any:
        if isinstance(context, str):
            target = urljoin(base, context)
            if target not in cache:
                if len(cache) >= MAX_REMOTE_CONTEXTS:
                    raise HarvestError("too many remote JSON-LD contexts", target)
                cache[target] = {}
                fetched = get_json(target)
                inner = fetched.get("@context", {}) if isinstance(fetched, dict) else {}
                cache[target] = walk(resolve(inner, target), target)
            return cache[target]
        if isinstance(context, list):
            return [resolve(item, base) for item in context]
        if isinstance(context, dict) and isinstance(context.get("@import"), str):
            imported = resolve(context["@import"], base)
            rest = {k: v for k, v in context.items() if k != "@import"}
            return {**(imported if isinstance(imported, dict) else {}), **rest}
        return context

    def walk(node: Any, base: str) -> Any:
        if isinstance(node, dict):
            for key, value in node.items():
                node[key] = resolve(value, base) if key == "@context" else value
                walk(node[key], base)
        elif isinstance(node, list):
            for item in node:
                walk(item, base)
        return node

    return json.dumps(walk(document, url)).encode("utf-8")
