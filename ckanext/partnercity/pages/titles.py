"""The partner-title helper of every page that shows a reference's title or description.

One helper (``partnercity_title``) so the reference page, the partner profile, the theme
pages and "In our partner cities" choose the language version the same way
(``partners.titles.shown``) and label it the same way: a ``lang`` attribute and a badge
naming the language in words (not only a colour), e.g. "Romanian (original)".
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from babel import Locale, UnknownLocaleError
from ckan import model

from ckanext.partnercity.compat.ckan import extras_select
from ckanext.partnercity.harvesters.values import json_list
from ckanext.partnercity.language import ui_language
from ckanext.partnercity.pages import cache as page_cache
from ckanext.partnercity.partners import titles
from ckanext.partnercity.partners.references import DATASET_TYPE


def language_name(tag: str) -> str:
    """A language tag's name in the UI language (``ro`` → "Rumänisch" in German)."""
    try:
        locale = Locale.parse(ui_language())
    except (UnknownLocaleError, ValueError, TypeError):
        locale = Locale("en")
    base = tag.split("-")[0]
    return locale.languages.get(tag.replace("-", "_")) or locale.languages.get(base) or tag


def badge(shown: titles.ShownText, reader: str) -> str:
    """The badge's words; "" when the text is an original in the reader's own language."""
    if not shown.lang:
        return ""
    name = language_name(shown.lang)
    if shown.machine:
        return tk._("{language} (machine translation)").format(language=name)
    if shown.translated:
        return tk._("{language} (partner's translation)").format(language=name)
    if shown.lang.split("-")[0] == titles.language_tag(reader).split("-")[0]:
        return ""
    return tk._("{language} (original)").format(language=name)


def partnercity_title(pkg: dict, field: str = "title", languages: Any = None) -> dict:
    """``{"text", "lang", "translated", "badge"}`` of a dataset's title (or ``notes``) for
    this reader. Our own datasets: CKAN's text, no badge. ``languages``: the partner city's
    languages, the last guess at the original's language (looked up when not given)."""
    original = str(pkg.get(field) or (pkg.get("name") if field == "title" else "") or "")
    if pkg.get("type") != DATASET_TYPE:
        text = tk.h.get_translated(pkg, field) or original
        return {"text": text, "lang": "", "translated": False, "badge": ""}
    if languages is None:
        languages = partner_languages(pkg.get("owner_org") or "")
    declared = list(json_list(pkg.get("language"))) + list(json_list(languages))
    reader = ui_language()
    shown = titles.shown(
        original,
        pkg.get("partner_translations"),
        declared,
        reader,
        "description" if field == "notes" else "title",
    )
    return {
        "text": shown.text,
        "lang": shown.lang,
        "translated": shown.translated,
        "badge": badge(shown, reader),
    }


def partner_languages(partner_id: str) -> list[str]:
    """The languages a partner city publishes in (its profile's ``languages``), remembered
    in the page cache: a list of references asks once, not once per title."""
    if not partner_id:
        return []

    def read() -> list[str]:
        try:
            org = tk.get_action("organization_show")(
                {"ignore_auth": True},
                {
                    "id": partner_id,
                    "include_datasets": False,
                    "include_dataset_count": False,
                    "include_users": False,
                    "include_groups": False,
                    "include_tags": False,
                    "include_followers": False,
                },
            )
        except (tk.ObjectNotFound, tk.NotAuthorized):
            return []
        return [str(v) for v in json_list(org.get("languages"))]

    return page_cache.remembered("partner-languages", [partner_id], read)


#: What a result list of ``fl`` fields lacks to choose a title's language version.
VERSION_KEYS = ("partner_translations", "language")


def with_language_versions(results: list[dict]) -> list[dict]:
    """Add each reference's stored language versions to ``fl``-limited search results, in
    one query (Solr keeps them only as search text)."""
    ids = [result["id"] for result in results if result.get("id")]
    if not ids:
        return results
    query = extras_select(VERSION_KEYS, model.package_table.c.id.in_(ids))
    stored = {row.id: row for row in model.Session.execute(query)}
    for result in results:
        row = stored.get(result.get("id"))
        result.setdefault("type", result.get("dataset_type"))
        for key in VERSION_KEYS:
            result[key] = (getattr(row, key, None) or "") if row is not None else ""
    return results
