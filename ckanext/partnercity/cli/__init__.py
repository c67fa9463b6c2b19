"""``ckan partnercity ...`` commands for open-data teams."""

from __future__ import annotations

import click

from ckanext.partnercity.cli.hvd import hvd
from ckanext.partnercity.cli.output import listing
from ckanext.partnercity.cli.partners import harvest, partner
from ckanext.partnercity.cli.themes import themes


@click.group(short_help="Partner cities, shared themes and HVD checks.")
def partnercity() -> None:
    """Manage partner cities, shared themes and HVD compliance checks."""


@partnercity.command()
@listing("partnercity_status")
def status(result: dict) -> None:
    """Show the extension's version, settings and database state."""
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


for command in (partner, harvest, themes, hvd):
    partnercity.add_command(command)
