"""Action API of the extension: everything the UI does is also an action.

One module per capability; each names its actions in ``__all__``, and the plugin's
``tk.blanket.actions`` registers what :func:`get_actions` collects from them.
"""

from __future__ import annotations

from types import ModuleType

from ckanext.partnercity.logic.action import (
    counterparts,
    dcat,
    detect,
    harvest,
    hvd,
    hvd_attest,
    hvd_duties,
    pages,
    partners,
    status,
    themes,
)

MODULES: tuple[ModuleType, ...] = (
    status,
    partners,
    detect,
    harvest,
    themes,
    pages,
    hvd,
    hvd_duties,
    hvd_attest,
    counterparts,
)


def get_actions() -> dict:
    """Every ``partnercity_*`` action, and the ckanext-dcat chains whose plugin is loaded."""
    actions = {name: getattr(module, name) for module in MODULES for name in module.__all__}
    return {**actions, **dcat.loaded_actions()}
