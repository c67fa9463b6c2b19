"""The CKAN plugin: wires the core into CKAN and stays thin."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.partnercity import cli, helpers, validators, views
from ckanext.partnercity.logic import action, auth
from ckanext.partnercity.references import DATASET_TYPE


@tk.blanket.config_declarations
class PartnercityPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IClick)
    p.implements(p.IActions)
    p.implements(p.IAuthFunctions)
    p.implements(p.IBlueprint)
    p.implements(p.IValidators)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IPackageController, inherit=True)

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

    # IValidators

    def get_validators(self) -> dict:
        return validators.get_validators()

    # ITemplateHelpers

    def get_helpers(self) -> dict:
        return helpers.get_helpers()

    # IPackageController

    def before_dataset_search(self, search_params: dict) -> dict:
        """Withdrawn references stay stored but leave search, unless asked for by status."""
        fq = search_params.get("fq") or ""
        if "reference_status" not in fq:
            search_params["fq"] = f"{fq} -reference_status:withdrawn".strip()
        return search_params

    def before_dataset_index(self, pkg_dict: dict) -> dict:
        if pkg_dict.get("type") == DATASET_TYPE and not pkg_dict.get("reference_status"):
            pkg_dict["reference_status"] = "active"
        return pkg_dict
