"""piveau end to end: real hub-search responses served with piveau's paging, harvested into
CKAN, shown on reference pages in the partner's language, every language version stored."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from ckan.tests.helpers import call_action

from tests.integration.harvest_support import harvest, references, searchable
from tests.support.http_server import LocalServer, serve
from tests.support.piveau_portal import SEARCH_PATH, load_documents, piveau_portal

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

VIA = "medarbejdere-ved-via-university-college"
VIA_URI = f"http://data.europa.eu/88u/dataset/{VIA}"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


@contextmanager
def piveau_instance(documents: list[dict] | None = None) -> Iterator[LocalServer]:
    """A piveau instance on 127.0.0.1 whose documents a test may change."""
    docs = copy.deepcopy(documents if documents is not None else load_documents())
    with serve(piveau_portal(docs)) as server:
        server.documents = docs  # type: ignore[attr-defined]
        server.good_handler = server.handler  # type: ignore[attr-defined]
        yield server


def register_piveau(name: str, url: str, languages: list[str], source_filter: str = "") -> dict:
    return call_action(
        "partnercity_partner_create",
        name=name,
        title=name.title(),
        country="DK",
        languages=languages,
        portal_url=url,
        portal_type="piveau",
        source_filter=source_filter,
    )


def _text(html: str) -> str:
    """A page's visible text on one line (tags dropped, whitespace collapsed)."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.ckan_config("ckanext.partnercity.page_size", "1")
def test_harvest_shows_references_in_the_partner_language(app):
    with piveau_instance() as portal:
        register_piveau("aarhus", portal.url, ["da", "de"])
        run = harvest("aarhus")
        pages = [r.param("page") for r in portal.requests if r.path == SEARCH_PATH]
    assert run["status"] == "succeeded", run["errors"]
    assert run["counts"]["created"] == 3
    assert pages == ["0", "1", "2"]
    stored = references("aarhus")
    assert searchable("aarhus") == {"1", "2", VIA}
    assert {key: ref["title"] for key, ref in stored.items()} == {
        "2": "beispiel title 2",  # German, the partner's second language
        "1": "example title 1",  # neither Danish nor German: English
        VIA: "Medarbejdere ved VIA University College",
    }
    assert json.loads(stored["1"]["partner_translations"]) == {
        "title": {"en": "example title 1", "es": "título de ejemplo 1"},
        "description": {"en": "example description 1", "es": "descripción de ejemplo 1"},
    }
    via = stored[VIA]
    assert json.loads(via["partner_translations"])["title"] == {
        "da": "Medarbejdere ved VIA University College",
        "en": "Staff at VIA University College",
        "it": "Personale del VIA University College",
    }
    assert via["partner_uri"] == VIA_URI and via["partner_landing_page"] == VIA_URI
    assert via["publisher_name"] == "Aarhus Kommune"
    assert via["partner_keywords"] == ["Campus", "Køn"]
    assert via["partner_license_url"] == CC_BY
    assert [(r["format"], r["url"]) for r in via["resources"]] == [
        ("CSV", "https://admin.opendata.dk/dataset/.../download/file.csv")
    ]

    body = app.get(f"/partner_dataset/{via['name']}").body
    text = _text(body)
    assert "Medarbejdere ved VIA University College" in text
    assert "Medarbejdere ved VIA University College fordelt på Campus..." in text
    # data.europa.eu's English title is its machine translation, and the page says so
    assert '<span lang="en" data-partnercity="title-text">Staff at VIA University College' in body
    assert 'data-lang="en">English (machine translation)<' in body
    assert "CSV" in text
    assert f'href="{CC_BY}"' in body
    assert f'href="{VIA_URI}"' in body
    assert 'href="https://admin.opendata.dk/dataset/.../download/file.csv"' in body
    # the partner offers both: each reader gets the version in the UI language (issue 15 §4)
    english = app.get(f"/partner_dataset/{stored['2']['name']}").body
    assert "example description 2" in _text(english)
    german = app.get(f"/de/partner_dataset/{stored['2']['name']}").body
    assert "beispiel beschreibung 2" in _text(german)


def test_partner_html_is_sanitized_on_page_and_in_every_translation(app):
    docs = load_documents()
    via = next(doc for doc in docs if doc["id"] == VIA)
    via["description"] = {
        "da": '<p onclick="x()">Antal <b>medarbejdere</b></p><script>alert(1)</script>',
        "en": "<img src=x onerror=alert(2)>Number of staff",
    }
    with piveau_instance(docs) as portal:
        register_piveau("aarhus", portal.url, ["da"])
        run = harvest("aarhus")
    assert run["status"] == "succeeded", run["errors"]
    stored = references("aarhus")[VIA]
    descriptions = json.loads(stored["partner_translations"])["description"]
    assert set(descriptions) == {"da", "en"}
    for text in [stored["notes"], *descriptions.values()]:
        assert "<script" not in text and "onerror" not in text and "onclick" not in text
    assert "alert(" not in descriptions["da"] and "medarbejdere" in descriptions["da"]
    assert "Number of staff" in descriptions["en"]
    body = app.get(f"/partner_dataset/{stored['name']}").body
    assert "Antal" in _text(body) and "medarbejdere" in _text(body)
    assert "<script>alert(1)" not in body and "onerror=alert" not in body


def test_source_filter_selects_one_publisher_on_a_shared_instance():
    with piveau_instance() as portal:
        register_piveau("aarhus", portal.url, ["da"], source_filter="publisher:Aarhus Kommune")
        run = harvest("aarhus")
        (request,) = [r for r in portal.requests if r.path == SEARCH_PATH]
    assert run["status"] == "succeeded", run["errors"]
    assert set(references("aarhus")) == {VIA}
    assert request.param("facets") == '{"publisher":["Aarhus Kommune"]}'


@pytest.mark.ckan_config("ckanext.partnercity.page_size", "1")
def test_dataset_gone_from_the_instance_is_withdrawn():
    with piveau_instance() as portal:
        register_piveau("aarhus", portal.url, ["de"])
        assert harvest("aarhus")["status"] == "succeeded"
        portal.documents[:] = [d for d in portal.documents if d["id"] != "1"]
        run = harvest("aarhus")
    assert run["status"] == "succeeded", run["errors"]
    assert run["counts"]["withdrawn"] == 1
    assert references("aarhus")["1"]["reference_status"] == "withdrawn"
    assert searchable("aarhus") == {"2", VIA}
