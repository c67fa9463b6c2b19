"""Jinja2 templates of the auditor report, usable outside CKAN.

Installed as ``ckanext.partnercity.hvd.report_templates``. Their strings are in the extension's
gettext catalogue (``ckanext-partnercity``), so the report speaks the portal's languages
without CKAN.
"""

from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path

import jinja2

TEMPLATE_DIR = Path(__file__).resolve().parent
DOMAIN = "ckanext-partnercity"


def _i18n_dir() -> Path:
    import ckanext.partnercity

    return Path(ckanext.partnercity.__file__).resolve().parent / "i18n"


@lru_cache(maxsize=8)
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue for ``lang``; English (the msgids) when there is none."""
    return gettext.translation(DOMAIN, str(_i18n_dir()), languages=[lang], fallback=True)


@lru_cache(maxsize=8)
def environment(lang: str = "en") -> jinja2.Environment:
    """A Jinja2 environment over this folder that escapes all HTML output (one per
    language, kept so templates are compiled once per process).

    Report data quotes partner metadata, which is untrusted, so autoescape is
    always on and undefined variables fail loudly instead of rendering blank.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(lang), newstyle=True)
    return env
