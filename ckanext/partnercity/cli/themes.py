"""``ckan partnercity themes …``: vocabularies, mappings, export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
import click

from ckanext.partnercity.cli.output import call, echo_json, fail, listing
from ckanext.partnercity.harvesters.urls import is_http_url
from ckanext.partnercity.partners.lookup import get_partner
from ckanext.partnercity.themes import mappings as themes_mappings


@click.group()
def themes() -> None:
    """Shared themes: load vocabularies, list them, refresh and export mappings."""


@themes.command("load")
@click.argument("source", required=False)
@click.option("--bundled", is_flag=True, help="(Re)load the bundled EU and HVD vocabularies.")
def themes_load(source: str | None, bundled: bool) -> None:
    """Load SKOS concept schemes from FILE or URL (Turtle, RDF/XML, JSON-LD)."""
    if bool(source) == bundled:
        raise click.UsageError("give a FILE or URL, or --bundled")
    data: dict[str, Any] = {"bundled": True}
    if source and is_http_url(source):
        data = {"url": source}
    elif source:
        try:
            data = {"content": Path(source).read_bytes(), "filename": source}
        except OSError as exc:
            raise click.BadParameter(str(exc)) from None
    try:
        loaded = call("partnercity_scheme_load", data)
    except tk.ValidationError as exc:
        fail(exc)
    for scheme in loaded:
        click.echo(f"loaded {scheme['uri']}: {scheme['concepts']} concepts")


@themes.command("list")
@listing("partnercity_scheme_list")
def themes_list(schemes: list) -> None:
    """List loaded concept schemes."""
    for scheme in schemes:
        title = scheme["titles"].get("en") or next(iter(scheme["titles"].values()), "")
        click.echo(f"{scheme['concepts']:>5} concepts  {scheme['uri']}  {title}")


@themes.command("refresh")
@click.argument("partner_name", required=False)
def themes_refresh(partner_name: str | None) -> None:
    """Recompute automatic mappings (decisions are kept) and re-index affected datasets."""
    if partner_name:
        partner = get_partner(partner_name)
        owner, categories = partner["id"], themes_mappings.partner_categories(partner["id"])
        lang = (partner.get("languages") or [""])[0]
    else:
        owner, categories, lang = (
            None,
            themes_mappings.own_categories(),
            tk.config.get("ckan.locale_default", "en"),
        )
    counts = themes_mappings.refresh_mappings(owner, dict.fromkeys(categories, lang))
    affected = themes_mappings.affected_dataset_ids
    ids = sorted({i for category in categories for i in affected(owner, category)})
    themes_mappings.reindex(ids)
    echo_json({"categories": len(categories), "mappings": counts, "datasets_reindexed": len(ids)})


@themes.command("export")
@click.option("--format", "fmt", type=click.Choice(["turtle", "json-ld", "xml"]), default="turtle")
def themes_export(fmt: str) -> None:
    """Print every current mapping as SKOS."""
    click.echo(call("partnercity_mapping_export", {"format": fmt}))
