"""partnercity_status: what admins read first when something looks wrong."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.partnercity import __version__, settings
from ckanext.partnercity.logic import schema
from ckanext.partnercity.migration import state as migrations

__all__ = ["partnercity_status"]

COMPANION_PLUGINS = ("dcat", "scheming_datasets", "scheming_organizations")


@tk.side_effect_free
def partnercity_status(context: dict, data_dict: dict) -> dict[str, Any]:
    """Report the extension's version and what it is configured with.

    It shows whether the companion plugins are loaded and whether
    ``ckan db upgrade -p partnercity`` still has to run.
    """
    tk.check_access("partnercity_status", context, data_dict)
    schema.check("partnercity_status", data_dict, context)
    return {
        "version": __version__,
        "ckan_version": tk.ckan.__version__,
        "companion_plugins": {name: p.plugin_loaded(name) for name in COMPANION_PLUGINS},
        "config": settings.effective(),
        "database": migrations.state(),
    }
