"""A read-only SPARQL endpoint over the partnership graph (pyoxigraph), with a time limit
and a result cap.

Each query runs in a child Python process (``python -m ckanext.partnercity.lod.sparql``) on
an in-memory pyoxigraph store of the graph: the parent kills it at the time limit (a query
cannot be interrupted inside pyoxigraph) and the child limits its own CPU time and memory.
Only queries (SELECT, ASK, CONSTRUCT, DESCRIBE) exist in this API; ``SERVICE`` is refused
before anything runs, because pyoxigraph would fetch the URL it names (a request from our
server to anywhere). SELECT and ASK answer SPARQL 1.1 JSON results, CONSTRUCT and DESCRIBE
N-Triples; at most ``max_results`` solutions or triples, and the answer says when more were
cut (``"partnercity:truncated": true`` in JSON, a trailing comment in N-Triples).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass

QUERY_MAX_CHARS = 10_000
MEMORY_BYTES = 1024 * 1024 * 1024
JSON_RESULTS = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"

_STRINGS = re.compile(
    r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|<[^<>\s\"{}|^`\\]*>|#[^\n]*",
    re.S,
)
_SERVICE = re.compile(r"\bSERVICE\b", re.I)
# SPARQL lets a query spell any character as \\uXXXX or \\UXXXXXXXX: undone before the check.
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescaped(query: str) -> str:
    def char(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else " "

    return _CODEPOINT.sub(char, query)


class QueryError(ValueError):
    """A query we refuse or that failed: the message is for the client (HTTP 400)."""


class QueryTimeout(QueryError):
    """The query ran out of time (HTTP 503)."""


@dataclass
class Answer:
    media_type: str
    body: str
    truncated: bool


def check_query(query: str) -> str:
    """The query if we may run it; QueryError with the reason otherwise."""
    if not query or not query.strip():
        raise QueryError("no query: pass it as ?query=")
    if len(query) > QUERY_MAX_CHARS:
        raise QueryError(f"the query is longer than {QUERY_MAX_CHARS} characters")
    if _SERVICE.search(_STRINGS.sub(" ", _unescaped(query))):
        raise QueryError("SERVICE (federated queries) is not allowed on this endpoint")
    return query


def run(ntriples: str, query: str, *, timeout: float, max_results: int) -> Answer:
    """Answer ``query`` over the graph given as N-Triples, in a child process."""
    check_query(query)
    header = json.dumps({"query": query, "max_results": max_results, "cpu": int(timeout) + 1})
    try:
        done = subprocess.run(
            [sys.executable, "-m", __name__],
            input=(header + "\n" + ntriples).encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise QueryTimeout(f"the query took longer than {timeout:g} s") from None
    try:
        result = json.loads(done.stdout)
    except ValueError:
        raise QueryTimeout("the query was stopped (time or memory limit)") from None
    if not result.get("ok"):
        raise QueryError(result.get("error") or "the query failed")
    return Answer(result["media_type"], result["body"], result["truncated"])


# The child process


def _term(term) -> dict:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def _answer(store, query: str, max_results: int) -> dict:
    import pyoxigraph as ox

    results = store.query(query)
    if isinstance(results, ox.QueryBoolean):
        body = json.dumps({"head": {}, "boolean": bool(results)})
        return {"media_type": JSON_RESULTS, "body": body, "truncated": False}
    if isinstance(results, ox.QuerySolutions):
        names = [v.value for v in results.variables]
        bindings, truncated = [], False
        for solution in results:
            if len(bindings) == max_results:
                truncated = True
                break
            bindings.append({n: _term(solution[n]) for n in names if solution[n] is not None})
        data = {"head": {"vars": names}, "results": {"bindings": bindings}}
        if truncated:
            data["partnercity:truncated"] = True
        return {"media_type": JSON_RESULTS, "body": json.dumps(data), "truncated": truncated}
    lines, truncated = [], False
    for triple in results:
        if len(lines) == max_results:
            truncated = True
            break
        lines.append(f"{triple.subject} {triple.predicate} {triple.object} .")
    if truncated:
        lines.append(f"# truncated: more than {max_results} triples")
    return {"media_type": N_TRIPLES, "body": "\n".join(lines) + "\n", "truncated": truncated}


def _child() -> None:
    import resource

    import pyoxigraph as ox

    header, _, data = sys.stdin.buffer.read().partition(b"\n")
    job = json.loads(header)
    resource.setrlimit(resource.RLIMIT_CPU, (job["cpu"], job["cpu"]))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    store = ox.Store()
    store.load(data, format=ox.RdfFormat.N_TRIPLES)
    try:
        out = {"ok": True, **_answer(store, job["query"], job["max_results"])}
    except (SyntaxError, ValueError, OSError, TypeError) as exc:
        out = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    sys.stdout.write(json.dumps(out))


if __name__ == "__main__":
    _child()
