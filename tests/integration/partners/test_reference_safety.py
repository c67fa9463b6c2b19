"""Partner text is untrusted: payloads render inert; references stay out of our catalogue."""

from __future__ import annotations

import copy
import json
from html.parser import HTMLParser

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.integration.harvest_support import ckan_partner_portal, harvest, references, register
from tests.unit.harvesters.test_sanitize import PAYLOADS

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]


class _Page(HTMLParser):
    """What a browser would execute or follow on a rendered page."""

    def __init__(self) -> None:
        super().__init__()
        self.in_script = False
        self.in_data = False
        self.script_text: list[str] = []
        #: schema.org JSON-LD blocks: data, never executed (the page must keep them whole)
        self.data_blocks: list[str] = []
        self.handlers: list[tuple[str, str]] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        is_data = tag == "script" and ("type", "application/ld+json") in attrs
        self.in_script, self.in_data = tag == "script" and not is_data, is_data
        if is_data:
            self.data_blocks.append("")
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if name in ("href", "src", "action", "formaction", "data") and value:
                self.links.append(value.strip().lower())

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = self.in_data = False

    def handle_data(self, data):
        if self.in_script:
            self.script_text.append(data)
        elif self.in_data:
            self.data_blocks[-1] += data


def _poisoned(datasets: list[dict]) -> list[dict]:
    template = datasets[0]
    out = []
    for number, payload in enumerate(PAYLOADS):
        dataset = copy.deepcopy(template)
        dataset.update(
            id=f"xss-{number}",
            name=f"xss-{number}",
            title=f"T{number} {payload}",
            notes=f"Notes {payload} [link](javascript:alert({number}))",
            url=payload,
        )
        dataset["resources"] = [
            {"id": f"r{number}", "url": payload, "format": payload, "name": payload},
            {"id": f"s{number}", "url": "https://partner.example/ok.csv", "format": "CSV"},
        ]
        out.append(dataset)
    return out


def test_payloads_in_partner_metadata_render_inert(app):
    assert len(PAYLOADS) >= 30
    with ckan_partner_portal() as portal:
        portal.datasets[:] = _poisoned(portal.datasets)
        register("alba-iulia", portal.url)
        run = harvest("alba-iulia")
    assert run["counts"]["created"] == len(PAYLOADS), run["errors"]
    stored = references("alba-iulia")
    for reference in stored.values():
        assert [r["url"] for r in reference["resources"]] == ["https://partner.example/ok.csv"]
        page = _Page()
        page.feed(app.get(f"/partner_dataset/{reference['name']}").body)
        scripts = "".join(page.script_text)
        assert "alert(" not in scripts, reference["title"]
        # JSON-LD carries the title as a JSON string: it must stay one whole JSON document
        # (no "</script>" breaking out of it), with no markup left in it
        assert page.data_blocks, "no schema.org JSON-LD"
        for block in page.data_blocks:
            assert json.loads(block)["@type"] == "Dataset"
            assert "<" not in block and ">" not in block
        assert not any(
            link.startswith(("javascript:", "data:", "vbscript:")) for link in page.links
        )
        assert not [h for h in page.handlers if h[1] != "onload" or h[0] != "body"]


def test_references_are_not_in_our_dcat_catalogue(app):
    ours = factories.Dataset(title="Our own bus stops", owner_org=factories.Organization()["id"])
    with ckan_partner_portal() as portal:
        register("alba-iulia", portal.url)
        harvest("alba-iulia")
    stored = references("alba-iulia")
    assert stored
    catalogue = app.get("/catalog.ttl").body
    assert ours["title"] in catalogue
    for reference in stored.values():
        assert reference["name"] not in catalogue
        assert reference["title"] not in catalogue
    one = next(iter(stored.values()))
    assert app.get(f"/dataset/{one['name']}.ttl").status_code == 404
    # ...but a citizen's search of partner datasets finds them.
    found = call_action("package_search", fq="+dataset_type:partner_dataset", rows=100)
    assert found["count"] == len(stored)
