"""Server-side semantics of the partner APIs our harvesters read, over fixture datasets.

A portal fixture is a JSON file ``{"datasets": [...]}`` of full CKAN package dicts or
Explore v2.1 dataset objects. These responders page, sort and filter them the way CKAN's
``package_search`` and Opendatasoft's ``catalog/datasets`` do for the parameters the
harvesters send, so a local HTTP server can stand in for a partner portal (unit tests,
integration tests, the demo). Queries the real portal would refuse are refused here too,
with the same status, rather than silently answered.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CKAN_SEARCH_PATH = "/api/3/action/package_search"
ODS_CATALOG_PATH = "/api/explore/v2.1/catalog/datasets"
CKAN_ROWS_MAX = 1000
ODS_LIMIT_MAX = 100
ODS_OFFSET_WINDOW = 10_000

Params = Mapping[str, Any]
Handler = Callable[[str, str, dict[str, list[str]]], tuple[int, dict[str, str], Any]]


class PortalQueryError(ValueError):
    """A query the portal refuses; ``status`` is what the real portal answers with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def load_datasets(name: str) -> list[dict]:
    """The datasets of a portal fixture, e.g. ``load_datasets("ckan/alba-iulia.json")``."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))["datasets"]


# ------------------------------------------------------------------------------------ CKAN


def ckan_package_search(datasets: list[dict], params: Params) -> dict:
    """A ``package_search`` answer: ``fq`` (organization, dates, fields), ``sort``, paging."""
    rows = min(_int(params, "rows", 10, status=409), CKAN_ROWS_MAX)
    start = _int(params, "start", 0, status=409)
    q = _one(params, "q")
    if q not in (None, "", "*:*"):
        raise PortalQueryError(f"free-text q is not supported by the fake portal: {q!r}", 409)
    matching = [d for d in datasets if _state(d) == "active"]
    fq = _one(params, "fq") or ""
    for clause in _split_and(fq, "AND") if fq.strip() else []:
        test = _solr_clause(clause)
        matching = [d for d in matching if test(d)]
    sort = _one(params, "sort") or "metadata_modified desc"
    for name, descending in reversed(_sort_keys(sort, status=409)):
        matching.sort(key=lambda d, n=name: _ckan_key(d, n), reverse=descending)
    return {
        "help": "/api/3/action/help_show?name=package_search",
        "success": True,
        "result": {
            "count": len(matching),
            "facets": {},
            "results": matching[start : start + rows],
            "sort": sort,
            "search_facets": {},
        },
    }


def ckan_error(message: str, kind: str = "Search Query Error") -> dict:
    return {
        "help": "/api/3/action/help_show?name=package_search",
        "success": False,
        "error": {"__type": kind, "message": message},
    }


def ckan_portal(datasets: list[dict], prefix: str = "") -> Handler:
    """A handler for ``tests.support.http_server`` answering as a CKAN portal at ``prefix``."""

    def handle(method: str, path: str, query: dict[str, list[str]]):
        if path != prefix + CKAN_SEARCH_PATH:
            return 404, {}, ckan_error("Not found", "Not Found Error")
        try:
            return 200, {}, ckan_package_search(datasets, query)
        except PortalQueryError as exc:
            return exc.status, {}, ckan_error(f"Search Query is invalid: {exc}")

    return handle


def _state(dataset: dict) -> str:
    state = dataset.get("state")
    return state.lower() if isinstance(state, str) else "active"


def _solr_clause(clause: str) -> Callable[[dict], bool]:
    match = re.fullmatch(
        r'\+?(?P<field>[\w.]+):(?P<value>"(?:[^"\\]|\\.)*"|[\[{].*[\]}]|\S+)', clause
    )
    if not match:
        raise PortalQueryError(f"cannot parse fq clause {clause!r}", 409)
    name, value = match["field"], match["value"]
    if value[0] in "[{":
        low, high = _solr_range(value)
        low_inclusive, high_inclusive = value[0] == "[", value[-1] == "]"

        def in_range(d: dict) -> bool:
            have = _ckan_key(d, name)
            if have == (0, ""):
                return False
            if low is not None:
                bound = _ckan_bound(name, low)
                if have < bound or (have == bound and not low_inclusive):
                    return False
            if high is not None:
                bound = _ckan_bound(name, high)
                if have > bound or (have == bound and not high_inclusive):
                    return False
            return True

        return in_range
    wanted = _unquote(value)
    return lambda d: _ckan_key(d, name) == _ckan_bound(name, wanted)


def _solr_range(value: str) -> tuple[str | None, str | None]:
    parts = value[1:-1].split(" TO ")
    if len(parts) != 2:
        raise PortalQueryError(f"cannot parse range {value!r}", 409)
    low, high = (p.strip() for p in parts)
    return (None if low == "*" else _unquote(low)), (None if high == "*" else _unquote(high))


def _ckan_key(dataset: dict, name: str) -> tuple:
    """A comparable value of a package field; missing values sort first."""
    if name == "organization":
        organization = dataset.get("organization")
        value = organization.get("name") if isinstance(organization, dict) else None
    else:
        value = dataset.get(name)
    if value in (None, ""):
        return (0, "")
    if name in ("metadata_modified", "metadata_created"):
        return (1, _instant(str(value), status=409))
    return (1, str(value))


def _ckan_bound(name: str, value: str) -> tuple:
    if name in ("metadata_modified", "metadata_created"):
        return (1, _instant(value, status=409))
    return (1, value)


# -------------------------------------------------------------------------- Opendatasoft


def ods_catalog_datasets(
    datasets: list[dict], params: Params, *, offset_window: int = ODS_OFFSET_WINDOW
) -> dict:
    """A v2.1 ``catalog/datasets`` answer: ``where``, ``refine``, ``order_by``, limit/offset."""
    limit = _int(params, "limit", 10)
    offset = _int(params, "offset", 0)
    if not -1 <= limit <= ODS_LIMIT_MAX:
        raise PortalQueryError(
            f"Invalid value for limit API parameter: {limit} was found but -1 <= limit <= "
            f"{ODS_LIMIT_MAX} is expected."
        )
    if offset + max(limit, 0) > offset_window:
        raise PortalQueryError(
            f"Invalid value for sum of offset + limit API parameter: {offset + limit} was "
            f"found but <= {offset_window} is expected."
        )
    matching = list(datasets)
    where = _one(params, "where") or ""
    for clause in _split_and(where, "and") if where.strip() else []:
        test = _odsql_clause(clause)
        matching = [d for d in matching if test(d)]
    for refine in _all(params, "refine"):
        test = _refine(refine)
        matching = [d for d in matching if test(d)]
    order_by = _one(params, "order_by")
    if order_by:
        for name, descending in reversed(_sort_keys(order_by)):
            matching.sort(key=lambda d, n=name: _ods_key(d, n), reverse=descending)
    page = matching[offset:] if limit == -1 else matching[offset : offset + limit]
    return {"total_count": len(matching), "results": page}


def ods_error(message: str) -> dict:
    return {"error_code": "ODSQLError", "message": message}


def ods_portal(
    datasets: list[dict], prefix: str = "", *, offset_window: int = ODS_OFFSET_WINDOW
) -> Handler:
    """A handler for ``tests.support.http_server`` answering as an Opendatasoft portal."""

    def handle(method: str, path: str, query: dict[str, list[str]]):
        if path != prefix + ODS_CATALOG_PATH:
            return 404, {}, {"error_code": "NotFound", "message": f"Unknown path {path}"}
        try:
            return 200, {}, ods_catalog_datasets(datasets, query, offset_window=offset_window)
        except PortalQueryError as exc:
            return exc.status, {}, ods_error(str(exc))

    return handle


_ODSQL_CLAUSE = re.compile(r"(?P<field>[\w.]+)\s*(?P<op>>=|<=|!=|=|:|>|<)\s*(?P<value>.+)")
_DATE_FIELDS = {"modified", "default.modified", "metas.default.modified"}


def _odsql_clause(clause: str) -> Callable[[dict], bool]:
    match = _ODSQL_CLAUSE.fullmatch(clause.strip())
    if not match:
        raise PortalQueryError(f"ODSQL query is malformed: {clause}")
    name, op, raw = match["field"], match["op"], match["value"].strip()
    if name in _DATE_FIELDS:
        literal = re.fullmatch(r"date'([^']+)'", raw, re.IGNORECASE)
        if not literal:
            raise PortalQueryError(f"expected a date literal for {name}: {raw}")
        bound = _instant(literal[1])
        return lambda d: _compare(_ods_key(d, "modified"), op, (1, bound))
    if name == "dataset_id":
        return lambda d: _compare(_ods_key(d, "dataset_id"), op, (1, _unquote(raw)))
    if op in ("=", ":"):
        return lambda d: _unquote(raw) in _ods_values(d, name)
    raise PortalQueryError(f"unsupported comparison on {name}: {clause}")


def _refine(refine: str) -> Callable[[dict], bool]:
    facet, sep, value = refine.partition(":")
    if not sep:
        raise PortalQueryError(f"refine must be facet:value, not {refine!r}")
    wanted = _unquote(value.strip())
    return lambda d: wanted in _ods_values(d, facet.strip())


def _ods_values(dataset: dict, name: str) -> list[str]:
    """All values of a facet or meta of an Explore dataset object."""
    if name == "features":
        value = dataset.get("features")
    else:
        default = (dataset.get("metas") or {}).get("default") or {}
        value = default.get(name.removeprefix("metas.").removeprefix("default."))
    values = value if isinstance(value, list) else [value]
    return [str(v) for v in values if v is not None]


def _ods_key(dataset: dict, name: str) -> tuple:
    if name == "dataset_id":
        value = dataset.get("dataset_id")
        return (1, value) if isinstance(value, str) else (0, "")
    values = _ods_values(dataset, name)
    if not values:
        return (0, "")
    if name.endswith("modified"):
        return (1, _instant(values[0]))
    return (1, values[0])


# --------------------------------------------------------------------------------- shared


def _compare(have: tuple, op: str, want: tuple) -> bool:
    if have[0] == 0:
        return False
    return {
        "=": have == want,
        ":": have == want,
        "!=": have != want,
        ">": have > want,
        ">=": have >= want,
        "<": have < want,
        "<=": have <= want,
    }[op]


def _split_and(text: str, keyword: str) -> list[str]:
    """Split on a boolean AND outside quotes and brackets (case-insensitive for ODSQL)."""
    parts, depth, quote, current, i = [], 0, "", "", 0
    token = f" {keyword} "
    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\" and i + 1 < len(text):
                current += text[i : i + 2]
                i += 2
                continue
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "[{(":
            depth += 1
        elif char in "]})":
            depth -= 1
        elif depth == 0:
            candidate = text[i : i + len(token)]
            if keyword.islower() and candidate.lower() == token or candidate == token:
                parts.append(current.strip())
                current, i = "", i + len(token)
                continue
        current += char
        i += 1
    parts.append(current.strip())
    if any(not p for p in parts):
        raise PortalQueryError(f"empty clause in {text!r}")
    return parts


def _sort_keys(text: str, status: int = 400) -> list[tuple[str, bool]]:
    keys = []
    for part in text.split(","):
        words = part.split()
        if (
            not words
            or len(words) > 2
            or (len(words) == 2 and words[1].lower() not in ("asc", "desc"))
        ):
            raise PortalQueryError(f"cannot sort by {part.strip()!r}", status)
        keys.append((words[0], len(words) == 2 and words[1].lower() == "desc"))
    return keys


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def _instant(text: str, status: int = 400) -> datetime.datetime:
    """A UTC instant from an ISO date or datetime; naive values are UTC (as CKAN stores)."""
    try:
        value = datetime.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise PortalQueryError(f"cannot read date {text!r}", status) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC)


def _one(params: Params, name: str) -> str | None:
    value = params.get(name)
    if isinstance(value, (list, tuple)):
        return str(value[-1]) if value else None
    return None if value is None else str(value)


def _all(params: Params, name: str) -> list[str]:
    value = params.get(name)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


def _int(params: Params, name: str, default: int, status: int = 400) -> int:
    value = _one(params, name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError:
        raise PortalQueryError(f"{name} must be an integer, not {value!r}", status) from None
