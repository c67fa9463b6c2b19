"""What every ``ckan partnercity`` command shares: call an action as the site user, print
JSON for machines, turn CKAN's errors into a red message and exit status 1."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
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


def listing(action: str) -> Callable[[Callable[[Any], None]], Callable[..., None]]:
    """A read-only command: the action's result as JSON with ``--json``, else as the
    decorated function prints it for people."""

    def decorate(show: Callable[[Any], None]) -> Callable[..., None]:
        @click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
        @functools.wraps(show)
        def command(as_json: bool) -> None:
            result = call(action, {})
            echo_json(result) if as_json else show(result)

        return command

    return decorate
