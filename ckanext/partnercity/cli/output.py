"""What every ``ckan partnercity`` command shares: call an action as the site user, print
JSON for machines, turn CKAN's errors into a red message and exit status 1."""

from __future__ import annotations

import json
import sys
from typing import Any

import ckan.plugins.toolkit as tk
import click


def call(action: str, data: dict) -> Any:
    """Run an action as the site user: the CLI is for whoever may run ckan on the host."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return tk.get_action(action)({"user": site_user["name"]}, data)


def fail(exc: Exception) -> None:
    if isinstance(exc, tk.ValidationError):
        for field, messages in exc.error_dict.items():
            text = "; ".join(messages) if isinstance(messages, list) else str(messages)
            click.secho(f"{field}: {text}", fg="red", err=True)
    else:
        click.secho(str(exc) or exc.__class__.__name__, fg="red", err=True)
    sys.exit(1)


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=str))
