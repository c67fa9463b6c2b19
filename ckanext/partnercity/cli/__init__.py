"""``ckan partnercity ...`` commands for open-data teams."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
import click

from ckanext.partnercity.harvesters.registry import portal_type_names
from ckanext.partnercity.harvesters.urls import is_http_url


def _call(action: str, data: dict) -> Any:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return tk.get_action(action)({"user": site_user["name"]}, data)


def _fail(exc: Exception) -> None:
    if isinstance(exc, tk.ValidationError):
        for field, messages in exc.error_dict.items():
            text = "; ".join(messages) if isinstance(messages, list) else str(messages)
            click.secho(f"{field}: {text}", fg="red", err=True)
    else:
        click.secho(str(exc) or exc.__class__.__name__, fg="red", err=True)
    sys.exit(1)


def _echo_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=str))


@click.group(short_help="Partner cities, shared themes and HVD checks.")
def partnercity() -> None:
    """Manage partner cities, shared themes and HVD compliance checks."""


@partnercity.command()
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def status(as_json: bool) -> None:
    """Show the extension's version, settings and database state."""
    result = _call("partnercity_status", {})
    if as_json:
        _echo_json(result)
        return
    click.echo(f"ckanext-partnercity {result['version']} on CKAN {result['ckan_version']}")
    for name, loaded in result["companion_plugins"].items():
        click.echo(f"  plugin {name}: {'loaded' if loaded else 'NOT LOADED'}")
    for key, value in result["config"].items():
        click.echo(f"  {key} = {value}")
    db = result["database"]
    if db["up_to_date"]:
        click.echo(f"  database: up to date (revision {db['revision']})")
    else:
        click.secho(
            f"  database: at {db['revision'] or 'no revision'}, head is {db['head']}: "
            "run `ckan db upgrade -p partnercity`",
            fg="yellow",
        )


@partnercity.group()
def partner() -> None:
    """Register, list, show and remove partner cities."""


@partner.command("add")
@click.argument("name")
@click.option("--title", required=True, help="The city's name, e.g. 'Alba Iulia'.")
@click.option("--country", required=True, help="ISO 3166-1 alpha-2 code, e.g. RO.")
@click.option("--portal-url", required=True, help="Portal base URL; for dcat the catalogue URL.")
@click.option("--portal-type", required=True, type=click.Choice(portal_type_names()))
@click.option("--language", "languages", multiple=True, help="ISO 639-1 code; repeatable.")
@click.option("--source-filter", default="", help="Organization on a shared regional portal.")
@click.option("--since", "partnership_since", type=int, help="Year the partnership began.")
@click.option("--description", default="")
@click.option("--image-url", default="")
@click.option("--json", "as_json", is_flag=True, help="Print the partner as JSON.")
def partner_add(name: str, as_json: bool, **fields: Any) -> None:
    """Register partner city NAME."""
    data = {k: v for k, v in fields.items() if v not in (None, "", ())}
    data["languages"] = list(fields["languages"])
    try:
        created = _call("partnercity_partner_create", {"name": name, **data})
    except (tk.ValidationError, tk.ObjectNotFound) as exc:
        _fail(exc)
    if as_json:
        _echo_json(created)
    else:
        click.echo(f"registered partner city {created['name']} ({created['title']})")


@partner.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def partner_list(as_json: bool) -> None:
    """List partner cities with their reference counts."""
    partners = _call("partnercity_partner_list", {})
    if as_json:
        _echo_json(partners)
        return
    if not partners:
        click.echo("no partner cities registered")
    for item in partners:
        last = item["last_successful_harvest"] or "never harvested"
        click.echo(
            f"{item['name']:<24} {item['country'] or '--':<3} "
            f"{item['references_active']:>6} references   last good harvest: {last}"
        )


@partner.command("show")
@click.argument("name")
def partner_show(name: str) -> None:
    """Show partner city NAME as JSON."""
    try:
        _echo_json(_call("partnercity_partner_show", {"id": name}))
    except tk.ObjectNotFound as exc:
        _fail(exc)


@partner.command("remove")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def partner_remove(name: str, yes: bool) -> None:
    """Remove partner city NAME and hide its references."""
    if not yes:
        click.confirm(f"Remove partner city {name} and its references?", abort=True)
    try:
        result = _call("partnercity_partner_delete", {"id": name})
    except tk.ObjectNotFound as exc:
        _fail(exc)
    click.echo(f"removed {result['name']} ({result['references_removed']} references hidden)")


def _progress(run, page_url: str) -> None:
    click.echo(
        f"\r{run.created} created  {run.updated} updated  {run.unchanged} unchanged  "
        f"{run.failed} failed   {page_url[:80]}",
        nl=False,
        err=True,
    )


@partnercity.command()
@click.argument("name", required=False)
@click.option("--all", "all_", is_flag=True, help="Enqueue a harvest of every partner.")
@click.option("--full", is_flag=True, help="Complete listing (detects deletions upstream).")
@click.option("--background", is_flag=True, help="Enqueue for `ckan jobs worker`.")
def harvest(name: str | None, all_: bool, full: bool, background: bool) -> None:
    """Harvest partner city NAME (or --all), printing progress and a JSON summary."""
    from ckanext.partnercity.partners import runs as harvests
    from ckanext.partnercity.partners.lookup import get_partner

    if bool(name) == all_:
        raise click.UsageError("give a partner NAME or --all")
    try:
        if all_:
            runs = []
            for item in _call("partnercity_partner_list", {}):
                try:
                    runs.append(harvests.enqueue(get_partner(item["name"]), full).as_dict())
                except tk.ValidationError as exc:
                    click.secho(f"{item['name']}: {exc.error_dict['partner'][0]}", fg="yellow")
            _echo_json(runs)
            return
        partner = get_partner(name)
        if background:
            _echo_json(harvests.enqueue(partner, full).as_dict())
            return
        run = harvests.run_now(partner, full, progress=_progress)
    except (tk.ValidationError, tk.ObjectNotFound) as exc:
        _fail(exc)
    result = run.as_dict()
    counts = result["counts"]
    click.echo(
        f"\r{name}: {result['status']} ({result['mode']}): {counts['created']} created, "
        f"{counts['updated']} updated, {counts['unchanged']} unchanged, "
        f"{counts['withdrawn']} withdrawn, {counts['failed']} failed "
        f"in {result['duration_seconds']:.1f}s",
        err=True,
    )
    _echo_json(result)
    if run.status == "failed":
        sys.exit(1)


@partnercity.group()
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
        loaded = _call("partnercity_scheme_load", data)
    except tk.ValidationError as exc:
        _fail(exc)
    for scheme in loaded:
        click.echo(f"loaded {scheme['uri']}: {scheme['concepts']} concepts")


@themes.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def themes_list(as_json: bool) -> None:
    """List loaded concept schemes."""
    schemes = _call("partnercity_scheme_list", {})
    if as_json:
        _echo_json(schemes)
        return
    for scheme in schemes:
        title = scheme["titles"].get("en") or next(iter(scheme["titles"].values()), "")
        click.echo(f"{scheme['concepts']:>5} concepts  {scheme['uri']}  {title}")


@themes.command("refresh")
@click.argument("partner_name", required=False)
def themes_refresh(partner_name: str | None) -> None:
    """Recompute automatic mappings (decisions are kept) and re-index affected datasets."""
    from ckanext.partnercity.partners.lookup import get_partner
    from ckanext.partnercity.themes import mappings as themes_mappings

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
    _echo_json({"categories": len(categories), "mappings": counts, "datasets_reindexed": len(ids)})


@themes.command("export")
@click.option("--format", "fmt", type=click.Choice(["turtle", "json-ld", "xml"]), default="turtle")
def themes_export(fmt: str) -> None:
    """Print every current mapping as SKOS."""
    click.echo(_call("partnercity_mapping_export", {"format": fmt}))


def _register_hvd() -> None:
    from ckanext.partnercity.cli.hvd import hvd

    partnercity.add_command(hvd)


_register_hvd()
