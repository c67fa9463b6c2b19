"""The report's Jinja2 environment escapes partner text and fails on missing data."""

from __future__ import annotations

import jinja2
import pytest

from ckanext.partnercity.hvd.report_templates import environment


def test_partner_text_is_escaped():
    template = environment().from_string("<td>{{ title }}</td>")
    html = template.render(title='<script>alert("x")</script>')
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_missing_values_raise_instead_of_rendering_blank():
    template = environment().from_string("{{ dataset.title }}")
    with pytest.raises(jinja2.UndefinedError):
        template.render()
