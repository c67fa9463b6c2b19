"""Shared bits of the browser tests: the citizen pages, the accessibility check, forms."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

AIR_QUALITY = "Calitatea aerului în municipiul Alba Iulia – 2023"
#: the German title Alba Iulia publishes for it (ckanext-fluent's title_translated)
GERMAN_AIR_QUALITY = "Luftqualität in der Stadt Alba Iulia – 2023"
OUR_AIR_QUALITY = "Luftqualität: Messwerte"  # scripts/demo_seed.py, our city "arnsberg"
ENVIRONMENT = "ENVI"  # theme keys: the EU data-theme notation

# name -> path of the pages a citizen sees (the reference page's path is looked up).
CITIZEN_PAGES = {
    "partner-cities": "/partner-cities",
    "partner-alba-iulia": "/partner-cities/alba-iulia",
    "compare": "/partner-cities/compare",
    "themes": "/themes",
    "theme-environment": f"/themes/{ENVIRONMENT}",
    "reference": None,
}

ADMIN_PAGES = (
    "/ckan-admin/partner-cities",
    "/ckan-admin/partner-cities/mappings",
    "/ckan-admin/partner-cities/alba-iulia",
)

BLOCKING_IMPACTS = ("serious", "critical")
_axe = Axe()  # axe-core's axe.min.js as shipped inside the axe-playwright-python wheel


def axe_violations(page: Page) -> list[dict]:
    """axe-core run inside the page; the serious and critical violations, one line each."""
    page.wait_for_load_state("networkidle")  # CKAN's JavaScript modules have started
    results = _axe.run(page, options={"resultTypes": ["violations"]})
    violations = results.response["violations"]
    return [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["html"][:160] for n in v["nodes"][:3]],
        }
        for v in violations
        if v["impact"] in BLOCKING_IMPACTS
    ]


def csrf_token(page: Page) -> str:
    """The CSRF token CKAN put into a form of the current page (tied to the session)."""
    field = page.locator("input[type=hidden][name$=csrf_token]").first
    return field.get_attribute("value") or ""


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)
