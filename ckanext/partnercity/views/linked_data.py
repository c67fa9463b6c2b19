"""The partnership graph on the web: ``/partner-cities.ttl|.jsonld|.rdf`` and content
negotiation on ``/partner-cities`` (the CKAN adapter of ``lod/``).

Everything in the graph comes from public actions (``partnercity_partner_list``,
``package_search`` of active references, the SKOS mappings export); the serialised graph is
kept in the page cache, so it follows the same generations as the pages it describes.
"""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Response

from ckanext.partnercity import settings
from ckanext.partnercity.lod import graph as lod
from ckanext.partnercity.lod import sparql
from ckanext.partnercity.lod.negotiate import Serialisation
from ckanext.partnercity.pages import cache as page_cache
from ckanext.partnercity.pages import data as page_data
from ckanext.partnercity.partners.references import DATASET_TYPE
from ckanext.partnercity.themes import index as themes_index
from ckanext.partnercity.themes import mappings as themes_mappings
from ckanext.partnercity.themes import store as themes_store

ROWS = 1000  # references per Solr query
#: The action that lists confirmed counterparts (issue 15, §2), when a plugin provides it:
#: it answers ``[{"own_uri": …, "partner_uri": …}, …]`` for confirmed pairs only.
COUNTERPART_ACTION = "partnercity_counterpart_confirmed"


def _site() -> lod.Site:
    locale = tk.config.get("ckan.locale_default") or "en"
    return lod.Site(
        url=tk.config.get("ckan.site_url").rstrip("/"),
        title=page_data.site_title(),
        country=settings.city_country(),
        languages=[locale.split("_")[0]],
        wikidata=settings.city_wikidata(),
    )


def _languages(value: Any) -> list[str]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def _partners() -> list[dict]:
    partners = tk.get_action("partnercity_partner_list")({}, {})
    return [dict(p, languages=_languages(p.get("languages"))) for p in partners]


def _references() -> list[dict]:
    """Every active, public reference: the partner's URIs, our page, its shared themes."""
    references: list[dict] = []
    start = 0
    while True:
        found = tk.get_action("package_search")(
            {},
            {
                "fq": f"+dataset_type:{DATASET_TYPE}",
                "fl": ["name", "validated_data_dict", themes_index.INDEX_FIELD],
                "rows": ROWS,
                "start": start,
                "sort": "name asc",
                "include_private": False,
            },
        )
        for row in found["results"]:
            data = json.loads(row.get("validated_data_dict") or "{}")
            languages = data.get("language") or []
            references.append(
                {
                    "name": row["name"],
                    "partner": (data.get("organization") or {}).get("name"),
                    "uri": data.get("partner_uri"),
                    "landing_page": data.get("partner_landing_page"),
                    "title": data.get("title"),
                    "lang": languages[0] if len(languages) == 1 else None,
                    "themes": row.get(themes_index.INDEX_FIELD) or [],
                }
            )
        start += ROWS
        if start >= found["count"] or not found["results"]:
            return references


def _counterparts() -> list[tuple[str, str]]:
    """Confirmed counterparts, if the counterpart review is installed; none otherwise."""
    try:
        action = tk.get_action(COUNTERPART_ACTION)
    except KeyError:
        return []
    return [(row["own_uri"], row["partner_uri"]) for row in action({}, {})]


def build_graph():
    """The partnership graph as the public sees it now."""
    return lod.partnership_graph(
        site=_site(),
        partners=_partners(),
        references=_references(),
        themes=themes_mappings.export_graph(),
        counterparts=_counterparts(),
        theme_scheme=themes_store.default_scheme(),
    )


def graph_response(serialisation: Serialisation, negotiated: bool = False) -> Response:
    """The graph in one serialisation (kept per generation in the page cache)."""
    body = page_cache.remembered(
        "partnership-graph",
        [serialisation.extension],
        lambda: build_graph().serialize(format=serialisation.rdflib_format),
    )
    # Werkzeug adds "; charset=utf-8" to text/* types itself.
    response = Response(body, mimetype=serialisation.media_type)
    response.headers["Access-Control-Allow-Origin"] = "*"
    if negotiated:
        response.vary.add("Accept")
        response.headers["Content-Location"] = f"/partner-cities.{serialisation.extension}"
    return response


def _ntriples() -> str:
    return page_cache.remembered(
        "partnership-graph", ["nt"], lambda: build_graph().serialize(format="nt")
    )


def sparql_response(query: str) -> Response:
    """A read-only SPARQL query over the graph (lod/sparql.py), with the configured time
    limit and result cap; a refused or broken query is a 400 with the reason."""
    timeout = settings.sparql_timeout_seconds()
    if timeout <= 0:
        return tk.abort(404)
    try:
        answer = sparql.run(
            _ntriples(), query, timeout=timeout, max_results=settings.sparql_max_results()
        )
    except sparql.QueryTimeout as exc:
        return _problem(503, str(exc))
    except sparql.QueryError as exc:
        return _problem(400, str(exc))
    response = Response(answer.body, mimetype=answer.media_type)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _problem(status: int, message: str) -> Response:
    response = Response(message + "\n", status=status, mimetype="text/plain")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
