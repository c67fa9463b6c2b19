"""Action API of the extension: everything the UI does is also an action."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.partnercity import __version__, migrations, settings

COMPANION_PLUGINS = ("dcat", "scheming_datasets", "scheming_organizations")


@tk.side_effect_free
def partnercity_status(context: dict, data_dict: dict) -> dict[str, Any]:
    """Report the extension's version and what it is configured with.

    Admins read this first when something looks wrong: it shows whether the
    companion plugins are loaded and whether ``ckan db upgrade -p partnercity``
    still has to run.
    """
    tk.check_access("partnercity_status", context, data_dict)
    return {
        "version": __version__,
        "ckan_version": tk.ckan.__version__,
        "companion_plugins": {name: p.plugin_loaded(name) for name in COMPANION_PLUGINS},
        "config": settings.effective(),
        "database": migrations.state(),
    }


def get_actions() -> dict:
    return {"partnercity_status": partnercity_status}
