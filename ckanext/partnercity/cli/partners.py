"""``ckan partnercity partner …`` and ``ckan partnercity harvest``."""

from __future__ import annotations

import sys
from typing import Any

import ckan.plugins.toolkit as tk
import click

from ckanext.partnercity.cli.output import call, echo_json, fail, listing
from ckanext.partnercity.harvesters.registry import portal_type_names
from ckanext.partnercity.partners import runs as harvests
from ckanext.partnercity.partners.lookup import get_partner


@click.group()
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
@click.option("--wikidata", default="", help="The city's Wikidata item, e.g. Q64 (Berlin).")
@click.option("--description", default="")
@click.option("--image-url", default="")
@click.option("--json", "as_json", is_flag=True, help="Print the partner as JSON.")
def partner_add(name: str, as_json: bool, **fields: Any) -> None:
    """Register partner city NAME."""
    data = {k: v for k, v in fields.items() if v not in (None, "", ())}
    data["languages"] = list(fields["languages"])
    try:
        created = call("partnercity_partner_create", {"name": name, **data})
    except (tk.ValidationError, tk.ObjectNotFound) as exc:
        fail(exc)
    if as_json:
        echo_json(created)
    else:
        click.echo(f"registered partner city {created['name']} ({created['title']})")


@partner.command("detect")
@click.argument("url")
@click.option("--json", "as_json", is_flag=True, help="Print the detection as JSON.")
def partner_detect(url: str, as_json: bool) -> None:
    """Tell which portal software URL runs (at most 8 requests), to fill in `partner add`."""
    try:
        found = call("partnercity_portal_detect", {"url": url})
    except tk.ValidationError as exc:
        fail(exc)
    if as_json:
        echo_json(found)
        return
    click.echo(f"portal type:  {found['portal_type']}")
    click.echo(f"portal URL:   {found['portal_url']}")
    click.echo(f"title:        {found['title'] or '-'}")
    for line in found["evidence"]:
        click.echo(f"  seen: {line}")
    for item in found["publishers"]:
        count = "" if item["datasets"] is None else f" ({item['datasets']} datasets)"
        click.echo(f"  publisher (--source-filter): {item['id']}  {item['name']}{count}")
    click.echo(
        f"next: ckan partnercity partner add NAME --portal-type {found['portal_type']} "
        f"--portal-url {found['portal_url']} --title ... --country ..."
    )


@partner.command("list")
@listing("partnercity_partner_list")
def partner_list(partners: list) -> None:
    """List partner cities with their reference counts."""
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
        echo_json(call("partnercity_partner_show", {"id": name}))
    except tk.ObjectNotFound as exc:
        fail(exc)


@partner.command("remove")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def partner_remove(name: str, yes: bool) -> None:
    """Remove partner city NAME and hide its references."""
    if not yes:
        click.confirm(f"Remove partner city {name} and its references?", abort=True)
    try:
        result = call("partnercity_partner_delete", {"id": name})
    except tk.ObjectNotFound as exc:
        fail(exc)
    click.echo(f"removed {result['name']} ({result['references_removed']} references hidden)")


def _progress(run, page_url: str) -> None:
    click.echo(
        f"\r{run.created} created  {run.updated} updated  {run.unchanged} unchanged  "
        f"{run.failed} failed   {page_url[:80]}",
        nl=False,
        err=True,
    )


@click.command()
@click.argument("name", required=False)
@click.option("--all", "all_", is_flag=True, help="Queue a harvest of every partner.")
@click.option("--full", is_flag=True, help="Complete listing (detects deletions upstream).")
@click.option(
    "--background", is_flag=True, help="Queue for `ckan jobs worker` instead of running now."
)
def harvest(name: str | None, all_: bool, full: bool, background: bool) -> None:
    """Harvest partner city NAME now, printing progress and a JSON summary.

    The CLI waits for the run (the API's ``wait: true``); --background and --all queue
    runs for ``ckan jobs worker``, returning a partner's active run instead of a second one.
    """
    if bool(name) == all_:
        raise click.UsageError("give a partner NAME or --all")
    try:
        if all_:
            runs = []
            for item in call("partnercity_partner_list", {}):
                run, existing = harvests.enqueue(get_partner(item["name"]), full)
                if existing:
                    click.secho(f"{item['name']}: already {run.status} (run {run.id})", fg="yellow")
                runs.append({**run.as_dict(), "existing": existing})
            echo_json(runs)
            return
        partner = get_partner(name)
        if background:
            run, existing = harvests.enqueue(partner, full)
            echo_json({**run.as_dict(), "existing": existing})
            return
        run = harvests.run_now(partner, full, progress=_progress)
    except (tk.ValidationError, tk.ObjectNotFound) as exc:
        fail(exc)
    result = run.as_dict()
    counts = result["counts"]
    click.echo(
        f"\r{name}: {result['status']} ({result['mode']}): {counts['created']} created, "
        f"{counts['updated']} updated, {counts['unchanged']} unchanged, "
        f"{counts['withdrawn']} withdrawn, {counts['failed']} failed "
        f"in {result['duration_seconds']:.1f}s",
        err=True,
    )
    echo_json(result)
    if run.status == "failed":
        sys.exit(1)
