"""Citizen pages: a partner's profile and references, shared themes, the compare matrix.

Every page is made of Action API calls (organization_show, package_search,
partnercity_partner_list, partnercity_concept_show, partnercity_compare), so what a
page shows can also be had through the API.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.lib.pagination import Page
from flask import Blueprint, Response, g, request, send_file

from ckanext.partnercity.harvesters.values import phrase
from ckanext.partnercity.language import ui_language
from ckanext.partnercity.pages import cache as page_cache
from ckanext.partnercity.pages import data as page_data
from ckanext.partnercity.pages import lists as page_lists
from ckanext.partnercity.pages import search_text
from ckanext.partnercity.pages import titles as page_titles
from ckanext.partnercity.pages.cache import cached_page
from ckanext.partnercity.partners import images as partner_images
from ckanext.partnercity.partners.references import DATASET_TYPE, PARTNER_TYPE

pages = Blueprint("partnercity_pages", __name__)

ROWS = 20
BLOCK = 5  # result pages per Solr query of a partner profile
THEME_GROUP_ROWS = 5
SORTS = (
    "score desc, metadata_modified desc",
    "title_string asc",
    "title_string desc",
    "metadata_modified desc",
)


def facet_titles() -> dict[str, str]:
    titles = {
        "partnercity_theme": tk._("Shared themes"),
        "res_format": tk._("Formats"),
        "license_id": tk._("Licences"),
        "partnercity_hvd_category": tk._("HVD categories"),
    }
    return {name: titles[name] for name in page_lists.PROFILE_FACETS}


def _partner_or_404(name: str) -> dict:
    try:
        # The profile needs the organization's fields and extras only: no users, followers,
        # tags, groups or dataset count (a Solr query of its own; the search below counts).
        org = tk.get_action("organization_show")(
            {},
            {
                "id": name,
                "include_datasets": False,
                "include_dataset_count": False,
                "include_users": False,
                "include_followers": False,
                "include_tags": False,
                "include_groups": False,
            },
        )
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Partner city not found"))
    if org.get("type") != PARTNER_TYPE or org.get("state") != "active":
        return tk.abort(404, tk._("Partner city not found"))
    return org


def _profile(name: str) -> dict:
    """The partner's organization with what every language's profile shows of it (its
    image on our portal, its description as sanitized HTML): made once per generation."""
    partner = _partner_or_404(name)
    partner["partnercity_image"] = partner_images.public_url(partner)
    description = partner.get("description")
    partner["partnercity_description_html"] = (
        str(tk.h.render_markdown(description)) if description else ""
    )
    return partner


def _search_parts(
    partner: dict, q: str, fields: list[tuple[str, str]], sort: str, page_number: int
) -> tuple[dict, dict]:
    """The search's facets and this result page, from the page cache or one package_search.

    Result pages, sort orders and both languages of a search share its facets. Rows are
    asked for ``BLOCK`` result pages at a time and shared by those pages in both languages:
    a visitor who pages on, or switches language, is not another Solr query."""
    filters = sorted(f"{k}={v}" for k, v in fields)
    block, index = divmod(page_number - 1, BLOCK)
    facet_parts = [partner["id"], q, ui_language(), *filters]
    result_parts = [partner["id"], q, sort, str(block), *filters]
    facets = page_cache.recall("partner-facets", facet_parts)
    found = page_cache.recall("partner-rows", result_parts)
    if facets is not None and found is not None:
        return facets, _page_of(found, index)
    fq = " ".join(
        [f"+dataset_type:{DATASET_TYPE}", f"+owner_org:{phrase(partner['id'])}"]
        + [f"+{key}:{phrase(value)}" for key, value in fields]
    )
    search: dict = {"q": q, "fq": fq, "include_private": False}
    if found is None:
        search.update(
            fl=page_lists.LIST_FIELDS, rows=BLOCK * ROWS, start=block * BLOCK * ROWS, sort=sort
        )
    else:
        search["rows"] = 0
    if facets is None:
        search["facet.field"] = list(facet_titles())
    else:
        search["facet"] = "false"
    query = tk.get_action("package_search")({}, search)
    if facets is None:
        facets = query["search_facets"]
        page_cache.keep("partner-facets", facet_parts, facets)
    if found is None:
        results = page_titles.with_language_versions(query["results"])
        found = {"count": query["count"], "results": results}
        page_cache.keep("partner-rows", result_parts, found)
    return facets, _page_of(found, index)


def _page_of(found: dict, index: int) -> dict:
    """One result page of a block of rows."""
    return {"count": found["count"], "results": found["results"][index * ROWS : (index + 1) * ROWS]}


@pages.route("/partner-cities/<name>")
@cached_page(reads=page_lists.profile_reads)
def partner_read(name: str) -> str:
    """A partner's profile and its references: CKAN search with paging and facets."""
    partner = page_cache.remembered("partner-profile", [name], lambda: _profile(name))
    titles = facet_titles()
    q = request.args.get("q", "")
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else SORTS[0]
    page_number = search_text.bounded_page(tk.h.get_page_number(request.args))
    params = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]
    fields = search_text.bounded_filters(
        [(key, value) for key, value in params if key in titles and value]
    )
    search_facets, query = _search_parts(
        partner, search_text.plain_query(q), fields, sort, page_number
    )
    base = tk.h.url_for("partnercity_pages.partner_read", name=partner["name"])

    def pager_url(q=None, page=None):  # noqa: ARG001  (CKAN's pager passes q)
        return page_lists.url_with(base, [*params, ("page", page)])

    page = Page(
        collection=query["results"],
        page=page_number,
        url=pager_url,
        item_count=query["count"],
        items_per_page=ROWS,
    )
    page.items = query["results"]
    fields_grouped: dict[str, list[str]] = {}
    for key, value in fields:
        fields_grouped.setdefault(key, []).append(value)
    return tk.render(
        "partnercity/partner_read.html",
        extra_vars={
            "partner": partner,
            "q": q,
            "sort_by_selected": sort,
            "page": page,
            "fields": fields,
            "fields_grouped": fields_grouped,
            "search_facets": search_facets,
            "facet_titles": titles,
            "facet_blocks": page_lists.facet_blocks(search_facets, titles, params, base),
            "references": page_lists.reference_items(
                query["results"],
                page_lists.dataset_url_maker(tk.h.url_for, f"{DATASET_TYPE}.read"),
                lambda text: tk.h.markdown_extract(text, extract_length=page_lists.NOTES_LENGTH),
                lambda result, field: page_titles.partnercity_title(
                    result, field, partner.get("languages") or []
                ),
            ),
            "remove_field": _remove_field,
            "count": query["count"],
        },
    )


def _remove_field(key, value=None, replace=None):
    return tk.h.remove_url_param(key, value=value, replace=replace)


def _partners() -> list[dict]:
    """partnercity_partner_list, once per request (the cards and the matrix both need it)."""
    if "partnercity_partners" not in g:
        # The same public list for every page and language until something changes.
        g.partnercity_partners = page_cache.remembered(
            "partner-list", [], lambda: tk.get_action("partnercity_partner_list")({}, {})
        )
    return g.partnercity_partners


def _compare() -> dict:
    """What partnercity_compare answers, built on this request's partner list."""
    tk.check_access("partnercity_compare", {}, {})
    return page_data.compare(_partners(), ui_language())


@pages.route("/partner-cities/<name>/image")
def partner_image(name: str) -> Response:
    """The local copy of a partner's flag or coat of arms (partner_images)."""
    found = partner_images.stored(name)
    if found is None:
        return tk.abort(404, tk._("Partner city not found"))
    path, mimetype = found
    response = send_file(path, mimetype=mimetype, max_age=86400)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response


@pages.route("/partner-cities/compare")
@cached_page
def compare() -> str:
    """Shared themes × cities: who publishes what, and where the gaps are."""
    return tk.render("partnercity/compare.html", extra_vars={"matrix": _compare()})


@pages.route("/partner-cities/compare.csv")
def compare_csv() -> Response:
    body = page_data.compare_csv(_compare())
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="partner-cities-compare.csv"'},
    )


@pages.route("/themes")
@cached_page
def themes() -> str:
    """The shared themes with how many datasets each city files under them."""
    return tk.render("partnercity/themes.html", extra_vars={"matrix": _compare()})


@pages.route("/themes/<key>")
@cached_page
def theme_read(key: str) -> str:
    """One shared theme: our datasets and each partner's, side by side, grouped by city."""
    concept = page_data.concept_for_key(key)
    if concept is None:
        return tk.abort(404, tk._("Theme not found"))
    theme = tk.get_action("partnercity_concept_show")(
        {}, {"uri": concept.uri, "lang": ui_language()}
    )
    theme_fq = f"partnercity_theme:{phrase(concept.uri)}"
    groups = [
        _theme_group(
            theme_fq,
            page_data.OWN_FQ,
            {"key": page_data.OWN_KEY, "name": None, "title": page_data.site_title()},
            tk.h.url_for("dataset.search", partnercity_theme=concept.uri),
        )
    ]
    partners = _partners()
    for partner in sorted(partners, key=lambda p: (p.get("title") or p["name"]).lower()):
        groups.append(
            _theme_group(
                theme_fq,
                f"{page_data.REFERENCES_FQ} +organization:{phrase(partner['name'])}",
                dict(partner, key=partner["name"]),
                tk.h.url_for(
                    "partnercity_pages.partner_read",
                    name=partner["name"],
                    partnercity_theme=concept.uri,
                ),
            )
        )
    return tk.render(
        "partnercity/theme_read.html",
        extra_vars={"theme": theme, "groups": groups, "theme_key": key},
    )


def _theme_group(theme_fq: str, city_fq: str, city: dict, all_url: str) -> dict:
    found = tk.get_action("package_search")(
        {},
        {
            "fq": f"+{theme_fq} {city_fq}",
            "rows": THEME_GROUP_ROWS,
            "sort": "metadata_modified desc",
            "include_private": False,
        },
    )
    return {
        "city": city,
        "own": city["key"] == page_data.OWN_KEY,
        "count": found["count"],
        "datasets": found["results"],
        "all_url": all_url,
    }


TOP_THEMES = 3


def partner_cards() -> list[dict]:
    """The partners for the cards of /partner-cities: public profile, count, top themes."""
    partners = _partners()
    matrix = _compare() if partners else {"themes": []}
    cards = []
    for partner in sorted(partners, key=lambda p: (p.get("title") or p["name"]).lower()):
        ranked = sorted(
            (t for t in matrix["themes"] if t["counts"].get(partner["name"])),
            key=lambda t: (-t["counts"][partner["name"]], t["label"].casefold()),
        )
        # Shared themes first: those our portal publishes too.
        shared = [t for t in ranked if t["counts"].get(page_data.OWN_KEY)]
        others = [t for t in ranked if not t["counts"].get(page_data.OWN_KEY)]
        cards.append(dict(partner, top_themes=(shared + others)[:TOP_THEMES]))
    return cards
