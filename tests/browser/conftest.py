"""Browser tests: Debian's Chromium, driven by Playwright, against a real portal.

The session starts, on 127.0.0.1 and free ports:

- the demo's two partner portals (``scripts/fixture_portals.py``: a CKAN portal in Romanian,
  an Opendatasoft portal in French);
- a portal on its own store (``ckan_browser`` unless ``CKAN_SQLALCHEMY_URL`` /
  ``CKAN_SOLR_URL`` / ``CKAN_REDIS_URL`` say otherwise), emptied and migrated first, with the
  partners registered, the bundled vocabularies loaded, both partners harvested and their
  categories mapped through the real ``ckan partnercity`` command line; our own city
  ("arnsberg") with the demo's datasets (``scripts/demo_seed.py``, through the Action API),
  our own tags mapped, and a first HVD check of ours and of the partners' references;
- ``ckan run`` and a ``ckan jobs worker``, stopped at the end.

CKAN's pytest plugin is not used here (``-p no:ckan``): nothing runs in-process.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.support.live_portal import (
    PYTHON,
    ROOT,
    Portal,
    PortalError,
    Store,
    free_port,
    start_fixture_portals,
    stop,
    write_ini,
)

CHROMIUM = os.environ.get("PARTNERCITY_CHROMIUM", "/usr/bin/chromium")
WORK = ROOT / ".local" / "browser"
# `make test` keeps its screenshots out of the tree (test-results/ is ignored by git);
# `make screenshots` points this at docs/screenshots/ to refresh the documentation's pictures.
SCREENSHOTS = Path(
    os.environ.get("PARTNERCITY_SCREENSHOTS_DIR") or ROOT / "test-results" / "screenshots"
)
VIEWPORT = {"width": 1280, "height": 900}
ADMIN = "browser-admin"
CITIZEN = "browser-citizen"  # a registered user without any rights
PARTNERS = {
    "alba-iulia": (
        "Alba Iulia",
        ["--country", "RO", "--language", "ro", "--language", "en", "--portal-type", "ckan"],
        ["--since", "1997", "--description", "Twin city in Romania; its portal runs CKAN."],
    ),
    "mulhouse": (
        "Mulhouse",
        ["--country", "FR", "--language", "fr", "--portal-type", "opendatasoft"],
        ["--since", "2001", "--description", "Twin city in France; its portal runs Opendatasoft."],
    ),
}
# Chromium as the machine's probe starts it: no calls home on a closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--font-render-hinting=none",
]

# Settings over test.ini: a browser portal keeps CSRF protection on, as production does.
SETTINGS = {
    "WTF_CSRF_ENABLED": "true",
    "ckan.devserver.threaded": "true",
    "ckanext.partnercity.page_size": "100",
    "ckanext.partnercity.allow_private_urls": "true",
    "ckan.gravatar_default": "disabled",  # a closed network: no gravatar.com images
    "ckan.site_title": "Partner City Open Data",
}


@dataclass
class LivePortal:
    portal: Portal
    partners_url: str
    passwords: dict[str, str]
    admin_token: str

    @property
    def url(self) -> str:
        return self.portal.url

    def api(self, action: str, token: str | None = None, **params) -> object:
        """An Action API GET, anonymous or with ``token``, as a script would make it."""
        query = urllib.parse.urlencode(params)
        request = urllib.request.Request(f"{self.url}/api/3/action/{action}?{query}")
        if token:
            request.add_header("Authorization", token)
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.load(answer)["result"]

    def admin_api(self, action: str, **params) -> object:
        return self.api(action, token=self.admin_token, **params)


def prepare(portal: Portal, partners_url: str) -> None:
    """Empty store, migrated; partners registered, harvested and their categories mapped."""
    portal.reset()
    for name, (title, fields, extra) in PARTNERS.items():
        portal.ckan(
            *("partnercity", "partner", "add", name, "--title", title, *fields, *extra),
            *("--portal-url", f"{partners_url}/{name}"),
            *("--image-url", f"{partners_url}/{name}/flag.png"),
        )
    portal.ckan("partnercity", "themes", "load", "--bundled")
    for name in PARTNERS:
        portal.ckan("partnercity", "harvest", name)
    for name in PARTNERS:
        portal.ckan("partnercity", "themes", "refresh", name)


def seed_own(portal: Portal, token: str) -> None:
    """Our own city and its datasets (the demo's: four HVD, two of them not compliant),
    through the running portal's Action API; then our own tags mapped onto the themes, and
    the HVD checks of ours and of the partners' references stored as the first runs."""
    seed = subprocess.run(
        [str(PYTHON), str(ROOT / "scripts" / "demo_seed.py"), portal.url, token],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if seed.returncode != 0:
        raise PortalError(f"demo_seed.py exited {seed.returncode}:\n{seed.stderr[-3000:]}")
    portal.ckan("partnercity", "themes", "refresh")  # no partner name: our own categories
    portal.ckan("partnercity", "hvd", "check")
    portal.ckan("partnercity", "hvd", "check", "--partners")


@pytest.fixture(scope="session")
def live_portal() -> Iterator[LivePortal]:
    store = Store.from_env()
    port = free_port()
    ini = write_ini(
        WORK / "browser.ini",
        port=port,
        store=store,
        site_id="partnercity_browser",
        settings=SETTINGS,
    )
    portal = Portal(ini=ini, store=store, port=port, logs=WORK / "logs")
    fixtures, partners_url = start_fixture_portals(portal.logs)
    server = worker = None
    try:
        prepare(portal, partners_url)
        passwords = {ADMIN: secrets.token_urlsafe(12), CITIZEN: secrets.token_urlsafe(12)}
        portal.add_user(ADMIN, passwords[ADMIN], sysadmin=True)
        portal.add_user(CITIZEN, passwords[CITIZEN])
        token = portal.ckan("user", "token", "add", ADMIN, "browser-tests")
        token = token.strip().splitlines()[-1].strip()
        server = portal.start_server()
        seed_own(portal, token)
        worker = portal.start_worker()
        yield LivePortal(portal, partners_url, passwords, token)
    finally:
        stop(worker)
        stop(server)
        stop(fixtures)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def new_context(browser: Browser, **kwargs) -> BrowserContext:
    context = browser.new_context(
        viewport=VIEWPORT,
        locale="en-GB",
        timezone_id="Europe/Berlin",
        color_scheme="light",
        reduced_motion="reduce",
        **kwargs,
    )
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def anon(browser: Browser, live_portal: LivePortal) -> Iterator[Page]:
    """An anonymous citizen's page (no cookies)."""
    context = new_context(browser, base_url=live_portal.url)
    yield context.new_page()
    context.close()


def log_in(browser: Browser, live_portal: LivePortal, name: str) -> dict:
    """Log in through CKAN's own login form; return the cookies for reuse."""
    context = new_context(browser, base_url=live_portal.url)
    page = context.new_page()
    page.goto("/user/login")
    page.fill("#field-login", name)
    page.fill("#field-password", live_portal.passwords[name])
    page.locator("form:has(#field-login) button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(f"a[href='/user/{name}']").first).to_be_attached()
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture(scope="session")
def admin_state(browser: Browser, live_portal: LivePortal) -> dict:
    return log_in(browser, live_portal, ADMIN)


@pytest.fixture(scope="session")
def citizen_state(browser: Browser, live_portal: LivePortal) -> dict:
    return log_in(browser, live_portal, CITIZEN)


@pytest.fixture
def admin(browser: Browser, live_portal: LivePortal, admin_state: dict) -> Iterator[Page]:
    """A page of the logged-in sysadmin."""
    context = new_context(browser, base_url=live_portal.url, storage_state=admin_state)
    yield context.new_page()
    context.close()


@pytest.fixture
def citizen(browser: Browser, live_portal: LivePortal, citizen_state: dict) -> Iterator[Page]:
    """A page of a logged-in user who is neither sysadmin nor member of anything."""
    context = new_context(browser, base_url=live_portal.url, storage_state=citizen_state)
    yield context.new_page()
    context.close()


# Text that differs from run to run: the fixture portals' free ports, clock times, durations.
VOLATILE = r"127\.0\.0\.1:\d+|\b\d{1,2}:\d{2}\b|\b\d+(\.\d+)? ?(s|ms|seconds?)\b"
MASKED = "[data-screenshot-volatile], [data-volatile]"
MARK_VOLATILE = """pattern => {
  const re = new RegExp(pattern);
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('');
    if (re.test(own) && el.checkVisibility()) el.setAttribute('data-screenshot-volatile', '');
  }
}"""


def screenshot(page: Page, name: str, volatile: str = "") -> Path:
    """Save the viewport to SCREENSHOTS/NAME.png; rewrite only when the picture changed.

    Visible elements whose own text changes from run to run (ports, times, durations; see
    ``VOLATILE``) are covered by grey boxes (a hidden one, e.g. in a closed <details>, would
    leave a box over its neighbours), so a rerun of the same UI gives the same file;
    so are the elements the CSS selector ``volatile`` names (e.g. dates, run ids).
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    # CKAN starts its JavaScript modules (e.g. the footer's language picker) only after
    # fetching its translations: wait for the network to settle, then for the fonts.
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")
    page.evaluate(MARK_VOLATILE, VOLATILE)
    data = page.screenshot(
        animations="disabled",
        caret="hide",
        mask=[page.locator(", ".join(filter(None, (MASKED, volatile))))],
        mask_color="#d9d9d9",
    )
    old = path.read_bytes() if path.exists() else b""
    if old != data and not same_picture(page, old, data):
        path.write_bytes(data)
    return path


# Chromium's software rasterizer may shade an anti-aliased edge one level differently from
# one run to the next: such pictures are the same; any real change differs by far more.
SAME_PICTURE = """async ([a, b]) => {
  const pixels = async (png) => {
    const image = new Image();
    image.src = 'data:image/png;base64,' + png;
    await image.decode();
    const canvas = new OffscreenCanvas(image.width, image.height);
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    return [image.width, image.height, context.getImageData(0, 0, image.width, image.height).data];
  };
  const [wa, ha, da] = await pixels(a);
  const [wb, hb, db] = await pixels(b);
  if (wa !== wb || ha !== hb) return false;
  for (let i = 0; i < da.length; i++) if (Math.abs(da[i] - db[i]) > 8) return false;
  return true;
}"""


def same_picture(page: Page, old: bytes, new: bytes) -> bool:
    """Whether two PNGs show the same picture, up to anti-aliasing jitter (see above)."""
    if not old:
        return False
    blank = page.context.new_page()
    try:
        encoded = [base64.b64encode(old).decode(), base64.b64encode(new).decode()]
        return bool(blank.evaluate(SAME_PICTURE, encoded))
    finally:
        blank.close()
