"""The partner profile's result list and facets, prepared in Python for a cheap render.

CKAN's ``package_item`` and ``facet_list`` snippets call ``url_for`` for every dataset,
format badge and facet entry and ``urlize`` on every description: more than half of an
uncached profile render with 20 references. Here every link is built from one base URL and
the request's own parameters, the list asks Solr only for the fields it shows, and the
templates (``partnercity/snippets/reference_list.html`` and ``facet_blocks.html``) keep
CKAN's markup and classes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import quote, urlencode

# What a result row shows: Solr's stored fields, not the whole stored dataset dict.
LIST_FIELDS = ["id", "name", "title", "notes", "res_format", "dataset_type"]
# The partner profile's facets, in the order the page shows them (titles: views/citizen.py).
PROFILE_FACETS = ("partnercity_theme", "res_format", "license_id", "partnercity_hvd_category")
FACET_ITEMS = 10  # as CKAN's facet lists: the ten biggest, all of them with _<name>_limit=0
NOTES_LENGTH = 180

Params = list[tuple[str, str]]


def url_with(base: str, params: Iterable[tuple[str, str]]) -> str:
    query = urlencode(list(params))
    return f"{base}?{query}" if query else base


def add_param(base: str, params: Params, key: str, value: str) -> str:
    """The page with one more filter, back on its first result page (CKAN's add_url_param)."""
    return url_with(base, [*(p for p in params if p[0] != "page"), (key, value)])


def remove_param(base: str, params: Params, key: str, value: str | None = None) -> str:
    """The page without a filter (or without every value of ``key``), on its first page."""
    kept = [(k, v) for k, v in params if k != "page" and not (k == key and value in (None, v))]
    return url_with(base, kept)


def facet_limit(params: Params, name: str) -> int | None:
    """How many entries a facet shows: CKAN's ``_<name>_limit`` parameter (0: all)."""
    raw = dict(params).get(f"_{name}_limit")
    try:
        return int(raw) if raw is not None else FACET_ITEMS
    except ValueError:
        return FACET_ITEMS


def facet_blocks(
    search_facets: dict, titles: dict[str, str], params: Params, base: str
) -> list[dict]:
    """One block per facet field, in ``titles`` order, with each entry's link ready."""
    active = {(k, v) for k, v in params}
    blocks = []
    for name, title in titles.items():
        # As CKAN's get_facet_items_dict: biggest first, then by name; no blank entries.
        items = sorted(
            (
                item
                for item in (search_facets.get(name) or {}).get("items") or []
                if str(item.get("name") or "").strip()
            ),
            key=lambda item: (-int(item["count"]), str(item.get("display_name") or "").lower()),
        )
        limit = facet_limit(params, name)
        shown = items[:limit] if limit else items
        entries = []
        for item in shown:
            value = str(item["name"])
            selected = (name, value) in active
            entries.append(
                {
                    "label": str(item.get("display_name") or value),
                    "count": int(item["count"]),
                    "active": selected,
                    "href": remove_param(base, params, name, value)
                    if selected
                    else add_param(base, params, name, value),
                }
            )
        more = None
        if limit and len(items) > limit:
            more = ("more", url_with(base, [*params, (f"_{name}_limit", "0")]))
        elif not limit:
            more = ("less", remove_param(base, params, f"_{name}_limit"))
        blocks.append({"name": name, "title": title, "items": entries, "more": more})
    return blocks


def dataset_url_maker(url_for: Callable[..., str], endpoint: str) -> Callable[[str], str]:
    """A function name -> URL of a dataset page, from one ``url_for`` call."""
    marker = "__partnercity_dataset__"
    template = url_for(endpoint, id=marker)
    return lambda name: template.replace(marker, quote(name, safe=""))


def as_published(result: dict, field: str) -> dict:
    """A field's text as stored, language unknown (``shown`` of a list without versions)."""
    text = str(result.get(field) or (result.get("name") or "" if field == "title" else ""))
    return {"text": text, "lang": "", "translated": False, "badge": ""}


def reference_items(
    results: list[dict],
    dataset_url: Callable[[str], str],
    extract: Callable[[str], str],
    shown: Callable[[dict, str], dict] = as_published,
) -> list[dict]:
    """The rows of the result list: title (as ``shown`` chooses its language version:
    text, lang, badge), link, short description and its language, formats."""
    rows = []
    for result in results:
        formats: list[str] = []
        for fmt in result.get("res_format") or []:
            if fmt and fmt not in formats:
                formats.append(str(fmt))
        name = str(result.get("name") or result.get("id") or "")
        title = shown(result, "title")
        notes = shown(result, "notes") if result.get("notes") else {"text": "", "lang": ""}
        rows.append(
            {
                "title": dict(title, text=title["text"] or name),
                "url": dataset_url(name),
                "notes": extract(notes["text"]) if notes["text"] else "",
                "notes_lang": notes["lang"],
                "formats": formats,
            }
        )
    return rows


def profile_reads(name: str) -> bool:
    """Whether the partner profile reads query parameter ``name`` (search, sort, paging, its
    facets and their ``_<facet>_limit``): the page cache keys on no other."""
    if name in ("q", "sort", "page", *PROFILE_FACETS):
        return True
    return name.startswith("_") and name.endswith("_limit") and name[1:-6] in PROFILE_FACETS
