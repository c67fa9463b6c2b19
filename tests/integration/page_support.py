"""Data of the page tests: two partner portals harvested for real, and our own datasets.

Like the demo: Alba Iulia (CKAN, Romanian) and Mulhouse (Opendatasoft, French) served from
the fixtures on 127.0.0.1, registered and harvested through the actions; our own city with
a group and tags whose categories are mapped onto the shared themes. One partner record
carries HTML in its title and category, as a hostile partner portal could send.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from html.parser import HTMLParser

import ckan.plugins
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.partnercity.themes import mappings as themes_mappings
from tests.support.fake_portals import ckan_portal, load_datasets, ods_portal
from tests.support.http_server import serve

EU = "http://publications.europa.eu/resource/authority/data-theme"
ENVI, TRAN, ECON, EDUC = (f"{EU}/{code}" for code in ("ENVI", "TRAN", "ECON", "EDUC"))
SYSADMIN_PASSWORD = "pages-admin-password-1"
HVD_EARTH = "http://data.europa.eu/bna/c_dd313021"
HVD_AIR = "http://data.europa.eu/bna/c_63b37dd4"
#: Our air-quality dataset declared HVD "Air" (as Alba Iulia declares its own): the
#: counterpart tests' own dataset.
OWN_AIR = "arnsberg-luftqualitaet-hvd"
# Encoded twice: the sanitizer decodes until nothing changes, so the markup hidden in the
# entities is found and removed; what is left ("Zgomot") must render as plain text.
HOSTILE_TITLE = (
    "&amp;lt;img src=x onerror=alert(1)&amp;gt; Zgomot "
    "&amp;lt;script&amp;gt;alert(2)&amp;lt;/script&amp;gt;"
)
HOSTILE_CATEGORY = "&amp;lt;script&amp;gt;alert(3)&amp;lt;/script&amp;gt;Zgomot"


def _alba_datasets() -> list[dict]:
    datasets = copy.deepcopy(load_datasets("ckan/alba-iulia.json"))
    hostile = copy.deepcopy(datasets[0])
    hostile.update(
        id="9f0e0e0e-0000-4000-8000-00000000dead",
        name="zgomot",
        title=HOSTILE_TITLE,
        groups=[{"name": "zgomot", "display_name": HOSTILE_CATEGORY, "title": HOSTILE_CATEGORY}],
        extras=[e for e in hostile["extras"] if e["key"] != "hvd_category"],
    )
    for translated in ("title_translated", "notes_translated"):  # the hostile title alone
        hostile.pop(translated, None)
    return [*datasets, hostile]


def fresh_store(reset_db, reset_index, migrate_db_for) -> None:
    """An empty database (with the extension's tables) and index for a module's data."""
    ckan.plugins.load_all()
    reset_db()
    migrate_db_for("partnercity")
    reset_index()


@contextmanager
def partner_portals() -> Iterator[dict[str, str]]:
    with ExitStack() as stack:
        alba = stack.enter_context(serve(ckan_portal(_alba_datasets())))
        mulhouse = stack.enter_context(
            serve(ods_portal(copy.deepcopy(load_datasets("opendatasoft/mulhouse.json"))))
        )
        yield {"alba-iulia": alba.url, "mulhouse": mulhouse.url}


def seed(urls: dict[str, str]) -> dict:
    """Register and harvest both partners, create our own datasets, map our categories."""
    sysadmin = factories.Sysadmin(name="pages-admin", password=SYSADMIN_PASSWORD)
    call_action(
        "partnercity_partner_create",
        name="alba-iulia",
        title="Alba Iulia",
        country="RO",
        languages=["ro", "en"],
        portal_type="ckan",
        portal_url=urls["alba-iulia"],
        partnership_since=1997,
        image_url="http://127.0.0.1:9/stema-alba-iulia.png",
        description="Twin city in Romania.",
    )
    call_action(
        "partnercity_partner_create",
        name="mulhouse",
        title="Mulhouse",
        country="FR",
        languages=["fr"],
        portal_type="opendatasoft",
        portal_url=urls["mulhouse"],
        partnership_since=2001,
    )
    runs = {
        name: call_action("partnercity_harvest", partner=name, full=True, wait=True)
        for name in urls
    }
    for run in runs.values():
        assert run["status"] == "succeeded", run["errors"]

    org = factories.Organization(name="arnsberg", title="Stadt Arnsberg")
    umwelt = factories.Group(name="umwelt", title="Umwelt")
    ours = {
        "air": factories.Dataset(
            name="arnsberg-air-quality",
            title="Luftqualität Arnsberg",
            owner_org=org["id"],
            groups=[{"id": umwelt["id"]}],
            tags=[{"name": "environment"}],
            resources=[{"url": "https://example.org/air.csv", "format": "CSV"}],
        ),
        "budget": factories.Dataset(
            name="arnsberg-budget",
            title="Haushalt Arnsberg",
            owner_org=org["id"],
            tags=[{"name": "xyzzy"}],
        ),
    }
    categories = themes_mappings.own_categories()
    themes_mappings.refresh_mappings(None, dict.fromkeys(categories, "de"))
    themes_mappings.reindex(
        sorted({i for c in categories for i in themes_mappings.affected_dataset_ids(None, c)})
    )
    model.Session.remove()
    return {"sysadmin": sysadmin, "ours": ours, "runs": runs}


class Page(HTMLParser):
    """What a browser would run on a page: script bodies and on* handler attributes."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.in_script = False
        self.scripts: list[str] = []
        self.handlers: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.in_script = tag == "script"
        self.handlers += [(tag, name) for name, _ in attrs if name.startswith("on")]

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script:
            self.scripts.append(data)


def own_air_quality(seeded: dict) -> dict:
    """Create :data:`OWN_AIR` in our city's organization."""
    return factories.Dataset(
        name=OWN_AIR,
        title="Luftqualität: Messwerte",
        owner_org=seeded["ours"]["air"]["owner_org"],
        hvd_category=[HVD_AIR],
        tags=[{"name": "environment"}],
    )


def assert_inert(html: str) -> None:
    page = Page(html)
    assert page.handlers == []
    assert not any("alert(" in script for script in page.scripts)


def logged_in(app, name: str, password: str = SYSADMIN_PASSWORD):
    """A test client with its own cookie jar, logged in through CKAN's login form.

    CKAN 2.11 honours a REMOTE_USER test hook and 2.12 does not, so the real form is the
    one way that works on both.
    """
    client = app.test_client()
    page = client.get("/user/login").body
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    form = {"login": name, "password": password}
    if token:
        form["_csrf_token"] = token.group(1)
    answer = client.post("/user/login", data=form, follow_redirects=True)
    assert "/user/_logout" in answer.body, f"could not log in as {name}"
    return client
