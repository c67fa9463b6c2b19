"""``partnercity-hvd duties`` output as JSON, CSV (formula-safe) or HTML (autoescaped)."""

from __future__ import annotations

import json

from jinja2 import Environment

from ckanext.partnercity.harvesters.csv_safe import csv_text

from ..rules.vocabulary import concept_index

CSV_COLUMNS = ("dataset", "title", "lang", "rank", "category", "category_label", "confidence",
               "annex", "evidence")  # fmt: skip

_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>HVD duties: {{ name }}</title>
<style>body{font-family:sans-serif;margin:2rem}table{border-collapse:collapse}
td,th{border:1px solid #999;padding:.3rem .5rem;vertical-align:top;text-align:left}</style>
</head><body>
<h1>Possibly in scope, not declared HVD</h1>
<p>Catalogue: {{ name }}. {{ rows|length }} of {{ total }} datasets not declared HVD have a
suggestion with confidence &ge; {{ min_confidence }}. A suggestion is a hint for a person to
check against the Annex of Implementing Regulation (EU) 2023/138, not a legal finding.</p>
<table><thead><tr><th scope="col">Dataset</th><th scope="col">HVD category</th>
<th scope="col">Confidence</th><th scope="col">Annex item</th><th scope="col">Evidence</th>
</tr></thead><tbody>
{% for row in rows %}{% for s in row.suggestions %}<tr>
{% if loop.first %}<td rowspan="{{ row.suggestions|length }}">{{ row.title }}<br>
<small>{{ row.dataset }}</small></td>{% endif %}
<td><a href="{{ s.category }}">{{ labels.get(s.category, s.category) }}</a></td>
<td>{{ "%.2f"|format(s.confidence) }}</td><td>{{ s.annex }}</td>
<td>{{ s.evidence|join(", ") }}</td></tr>
{% endfor %}{% endfor %}</tbody></table></body></html>
"""


def to_json(result: dict, pretty: bool = True) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2 if pretty else None)


def to_csv(result: dict) -> str:
    """One row per suggestion; titles and evidence come from the catalogue: formula-safe."""
    labels = concept_index().labels
    rows = [
        [row["dataset"], row["title"], row["lang"], rank, s["category"],
         labels.get(s["category"], ""), s["confidence"], s["annex"], " ".join(s["evidence"])]
        for row in result["candidates"]
        for rank, s in enumerate(row["suggestions"], 1)
    ]  # fmt: skip
    return csv_text([CSV_COLUMNS, *rows], lineterminator="\n")


def to_html(result: dict) -> str:
    env = Environment(autoescape=True)
    return env.from_string(_HTML).render(
        name=result["catalogue"], rows=result["candidates"], total=result["undeclared"],
        min_confidence=result["min_confidence"], labels=concept_index().labels,
    )  # fmt: skip


RENDERERS = {"json": to_json, "csv": to_csv, "html": to_html}
