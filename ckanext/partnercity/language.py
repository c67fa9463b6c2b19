"""The reader's UI language, the one answer every page, helper and action asks for."""

from __future__ import annotations

import ckan.plugins.toolkit as tk


def ui_language() -> str:
    """CKAN's locale of this request (``de``, ``pt_BR``); English outside a request."""
    try:
        return tk.h.lang() or "en"
    except (RuntimeError, AttributeError, TypeError):
        return "en"


def ui_language_code() -> str:
    """The language part of the locale (``pt`` of ``pt_BR``): what vocabularies tag labels with."""
    return ui_language().split("_")[0]
