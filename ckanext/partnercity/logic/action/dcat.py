"""Chained ckanext-dcat actions: partner references are never part of our catalogue.

Each is registered only while the ckanext-dcat plugin that provides its original is
loaded (:func:`loaded_actions`); chaining an action nobody registered fails at startup.
"""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.partnercity.partners.references import DATASET_TYPE

__all__ = ["dcat_catalog_show", "dcat_catalog_search", "dcat_datasets_list", "dcat_dataset_show"]

#: The ckanext-dcat plugin that registers each action we chain.
DCAT_ACTIONS = {
    "dcat_catalog_show": "dcat",
    "dcat_catalog_search": "dcat",
    "dcat_dataset_show": "dcat",
    "dcat_datasets_list": "dcat_json_interface",
}


def _without_references(data_dict: dict) -> dict:
    fq = data_dict.get("fq") or ""
    return dict(data_dict, fq=f"{fq} -dataset_type:{DATASET_TYPE}".strip())


def _catalogue_without_references(name: str):
    """A chained catalogue action that asks ckanext-dcat's own for our datasets only."""

    @tk.chained_action
    @tk.side_effect_free
    def action(original, context, data_dict):
        return original(context, _without_references(data_dict))

    action.__name__ = action.__qualname__ = name
    return action


dcat_catalog_show = _catalogue_without_references("dcat_catalog_show")
dcat_catalog_search = _catalogue_without_references("dcat_catalog_search")
dcat_datasets_list = _catalogue_without_references("dcat_datasets_list")


@tk.chained_action
@tk.side_effect_free
def dcat_dataset_show(original, context, data_dict):
    package = model.Package.get(data_dict.get("id") or "")
    if package is not None and package.type == DATASET_TYPE:
        raise tk.ObjectNotFound(tk._("Partner references are not part of this catalogue"))
    return original(context, data_dict)


def loaded_actions() -> dict:
    """The chained actions whose ckanext-dcat plugin is loaded."""
    return {name: globals()[name] for name in __all__ if p.plugin_loaded(DCAT_ACTIONS[name])}
