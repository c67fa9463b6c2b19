"""Say where a catalogue stops being readable (format, line, column), and which kind of
JSON document it is: a CKAN API answer, JSON-LD, or neither.

An auditor handed "Unexpected text event: '2025-01-01'" cannot find the broken element in a
40 KB export. pyoxigraph gives a position for Turtle, TriG and N-Triples but none for
RDF/XML, so on that (error-only) path the document is parsed once more with rdflib, whose
SAX-based RDF/XML parser reports the line and column of the element it rejects.
"""

from __future__ import annotations

import json
import re

#: rdflib prefixes its RDF/XML errors with ``<system id>:<line>:<column>: ``
_RDFLIB_POSITION = re.compile(r"^[^:]*:(\d+):(\d+): ")
#: pyoxigraph repeats the position in its message; we say it once, in our own words
_OXI_POSITION = re.compile(
    r"^Parser error at line \d+(?: between columns \d+ and \d+| column \d+)?: "
)


def one_line(text: str) -> str:
    """Parser messages sometimes span lines; a CLI error is one line."""
    return " ".join(str(text).split())


def _rdfxml_position(data: bytes) -> tuple[int, int] | None:
    """Line and column of the first RDF/XML error, as rdflib reports it (None if it has none).

    Only called after pyoxigraph refused the document and after entity declarations were
    refused, so rdflib never expands entities here.
    """
    try:
        import rdflib
        from rdflib.exceptions import ParserError
    except ImportError:  # pragma: no cover - rdflib is a declared dependency
        return None
    try:
        rdflib.Graph().parse(data=data, format="xml")
    except ParserError as exc:
        found = _RDFLIB_POSITION.match(str(exc))
        return (int(found.group(1)), int(found.group(2))) if found else None
    except Exception as exc:  # noqa: BLE001 - XML well-formedness errors carry a position
        line, col = getattr(exc, "getLineNumber", None), getattr(exc, "getColumnNumber", None)
        if callable(line) and callable(col):
            return line(), col()
    return None


def position(exc: BaseException, data: bytes, fmt_name: str) -> tuple[int, int] | None:
    """(line, column) of a parse error, 1-based, or None where no parser can tell."""
    if isinstance(exc, json.JSONDecodeError):
        return exc.lineno, exc.colno
    lineno = getattr(exc, "lineno", None)
    if isinstance(exc, SyntaxError) and lineno:
        return lineno, getattr(exc, "offset", None) or 1
    if fmt_name in ("RDF/XML", "RDF_XML"):
        return _rdfxml_position(data)
    return None


def describe(exc: BaseException, data: bytes, fmt_name: str) -> str:
    """``not parseable as RDF/XML at line 49, column 3: <the parser's message>``.

    ``fmt_name`` is pyoxigraph's format name (``RDF/XML``, ``Turtle``, …) or ``JSON``.
    """
    label = "RDF/XML" if fmt_name == "RDF_XML" else fmt_name
    where = position(exc, data, fmt_name)
    at = f" at line {where[0]}, column {where[1]}" if where else ""
    message = exc.msg if isinstance(exc, (json.JSONDecodeError, SyntaxError)) else str(exc)
    message = _OXI_POSITION.sub("", str(message)) if where else message
    return one_line(f"not parseable as {label}{at}: {message}")


def ckan_packages(doc) -> list[dict] | None:
    """CKAN API answers (package_show, package_search, lists) → dataset dicts."""
    if isinstance(doc, dict) and "result" in doc:
        doc = doc["result"]
    if isinstance(doc, dict) and isinstance(doc.get("results"), list):
        doc = doc["results"]
    if isinstance(doc, dict) and isinstance(doc.get("datasets"), list):
        doc = doc["datasets"]
    if isinstance(doc, dict) and ("resources" in doc or "name" in doc) and "@context" not in doc:
        doc = [doc]
    if isinstance(doc, list) and all(
        isinstance(p, dict) and "@id" not in p and ("name" in p or "resources" in p) for p in doc
    ):
        return doc
    return None


def not_json_ld(doc) -> str | None:
    """Why JSON that is not a CKAN answer is not JSON-LD either (None when it is JSON-LD).

    JSON-LD names its context, graph or nodes with ``@`` keys; read as JSON-LD, other JSON
    (a JSON:API answer, a udata or dane.gov.pl document) gives no triples and would pass
    as an empty catalogue.
    """
    items = doc if isinstance(doc, list) else [doc]
    if any(isinstance(i, dict) and any(str(k).startswith("@") for k in i) for i in items):
        return None
    return (
        "JSON that is neither JSON-LD (no @context, @graph or @id) nor a CKAN API answer "
        "(package_show / package_search: datasets with name or resources)"
    )
