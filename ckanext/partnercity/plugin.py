"""The CKAN plugin: wires the core into CKAN and stays thin."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.partnercity import cli, views
from ckanext.partnercity.logic import action, auth


@tk.blanket.config_declarations
class PartnercityPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IClick)
    p.implements(p.IActions)
    p.implements(p.IAuthFunctions)
    p.implements(p.IBlueprint)

    # IConfigurer

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")

    # IClick

    def get_commands(self) -> list:
        return [cli.partnercity]

    # IActions

    def get_actions(self) -> dict:
        return action.get_actions()

    # IAuthFunctions

    def get_auth_functions(self) -> dict:
        return auth.get_auth_functions()

    # IBlueprint

    def get_blueprint(self) -> list:
        return [views.partnercity]
