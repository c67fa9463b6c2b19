"""Jinja2 templates of the auditor report, usable outside CKAN.

Installed as ``ckanext.partnercity.report_templates``.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

TEMPLATE_DIR = Path(__file__).resolve().parent


def environment() -> jinja2.Environment:
    """A Jinja2 environment over this folder that escapes all HTML output.

    Report data quotes partner metadata, which is untrusted, so autoescape is
    always on and undefined variables fail loudly instead of rendering blank.
    """
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
