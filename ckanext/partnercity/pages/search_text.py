"""What a citizen types into a search box, made plain words before it reaches Solr.

CKAN hands ``q`` to Solr as a query: a colon switches it from dismax to the standard
parser, so ``title:"unclosed`` is a syntax error, ``{!xmlparser …}`` a refused local
parameter and 2,000 ORs too many clauses, and each was an anonymous HTTP 500. A citizen
searches for words, so only words go on: no field names, operators, quotes, brackets,
wildcards or local parameters, and a bounded number of them (dismax weighs each word over
a handful of fields, well under Solr's clause limit).
"""

from __future__ import annotations

import re

#: Characters of the visitor's text that are looked at; the rest is not searched.
QUERY_MAX_CHARS = 200
#: Words searched for (dismax makes one clause per word and query field).
QUERY_MAX_WORDS = 20
#: Facet filters of one page (each is a clause of the filter query).
FILTERS_MAX = 20
#: Result pages that can be asked for: Solr's ``start`` stays a small int.
PAGE_MAX = 1000

_WORD = re.compile(r"\w+")
# Syntax whose words are not the visitor's search: local parameters ({!parser …}) and field
# names (title:"…", a colon directly followed by the value).
_SYNTAX = re.compile(r"\{![^}]*\}?|\b\w+:(?=\S)")
# The standard parser's words for operators; as search words they would only narrow.
_OPERATORS = frozenset({"AND", "OR", "NOT", "TO"})


def plain_query(q: str) -> str:
    """``q`` as space-separated words, without Solr syntax; "" searches everything."""
    text = _SYNTAX.sub(" ", q[:QUERY_MAX_CHARS])
    words = [w for w in _WORD.findall(text) if w not in _OPERATORS]
    return " ".join(words[:QUERY_MAX_WORDS])


def bounded_filters(fields: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The first ``FILTERS_MAX`` facet filters, without repeats: more narrow nothing a
    visitor can click to, and only lengthen the filter query."""
    return list(dict.fromkeys(fields))[:FILTERS_MAX]


def bounded_page(number: int) -> int:
    """A result page number Solr can be asked for (a page past the results is empty)."""
    return min(max(number, 1), PAGE_MAX)
