"""Candidates of a whole DCAT catalogue: its datasets not declared HVD, with suggestions.

Used by ``partnercity-hvd duties``; works on the checker's normalized model, so any catalogue
the checker reads (DCAT-AP RDF in any syntax, JSON-LD, CKAN JSON) can be searched.
"""

from __future__ import annotations

from ..rules.engine import in_scope
from ..rules.model import Catalogue, DatasetRecord, Lit, ident
from .suggest import suggest


def _texts(record: DatasetRecord, prop: str) -> list[Lit]:
    return [v for v in record.node.values(prop) if isinstance(v, Lit)]


def item_of(record: DatasetRecord) -> dict:
    """The finder's input for one dataset: title and notes in one language, the keywords.

    The title's language is the item's language; when titles exist in several languages the
    first non-English one wins (a municipal catalogue's own language), English otherwise.
    """
    titles = _texts(record, "dct:title")
    own = next((t for t in titles if t.lang and t.lang != "en"), None)
    title = own or next((t for t in titles if t.lang == "en"), None) or (titles or [None])[0]
    lang = title.lang if title else ""
    notes = [n for n in _texts(record, "dct:description") if n.lang == lang] or _texts(
        record, "dct:description"
    )
    return {
        "title": title.value if title else "",
        "notes": notes[0].value if notes else "",
        "tags": [ident(k) for k in record.node.values("dcat:keyword")],
        "lang": lang,
    }


def candidates(catalogue: Catalogue, min_confidence: float = 0.5, limit: int = 3) -> list[dict]:
    """Datasets not declared HVD whose best suggestion reaches ``min_confidence``, best first.

    Each row: ``{"dataset", "title", "lang", "suggestions"}`` (suggestions as :func:`suggest`
    gives them, those under ``min_confidence`` dropped). Declared HVD datasets (ELI or HVD
    category) are skipped: they are the checker's business.
    """
    records = [r for r in catalogue.datasets if not in_scope(r)]
    items = [item_of(r) for r in records]
    rows = []
    for record, item, found in zip(records, items, suggest(items, limit), strict=True):
        kept = [s for s in found if s["confidence"] >= min_confidence]
        if kept:
            rows.append(
                {
                    "dataset": record.uri,
                    "title": item["title"],
                    "lang": item["lang"],
                    "suggestions": kept,
                }  # fmt: skip
            )
    rows.sort(key=lambda r: (-r["suggestions"][0]["confidence"], r["title"]))
    return rows
