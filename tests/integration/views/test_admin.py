"""The partner-cities admin area: sysadmins only, harvest now, run history, mapping review."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from ckan import model
from ckan.lib import jobs
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.partnercity.model import HarvestRun, Mapping
from tests.integration.page_support import (
    ECON,
    ENVI,
    TRAN,
    assert_inert,
    fresh_store,
    logged_in,
    partner_portals,
    seed,
)
from tests.support.http_server import serve

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("with_plugins")]

ADMIN = "/ckan-admin/partner-cities"


def _maintenance_page(method, path, query):
    return 200, {"Content-Type": "text/html"}, "<html><body>Maintenance</body></html>"


@pytest.fixture(scope="module")
def data(reset_db, reset_index, reset_queues, migrate_db_for):
    fresh_store(reset_db, reset_index, migrate_db_for)
    reset_queues()
    with partner_portals() as urls, serve(_maintenance_page) as broken:
        seeded = seed(urls)
        call_action(
            "partnercity_partner_create",
            name="broken-city",
            title="Broken City",
            country="DE",
            portal_type="ckan",
            portal_url=broken.url,
        )
        failed = call_action("partnercity_harvest", partner="broken-city", wait=True)
        assert failed["status"] == "failed" and failed["errors"]
        seeded["failed_run"] = failed
        seeded["sysadmin_token"] = _token(seeded["sysadmin"]["name"])
        user = factories.User(name="pages-citizen")
        seeded["user_token"] = _token(user["name"])
        yield seeded


def _token(user: str) -> str:
    return call_action("api_token_create", context={"user": user}, user=user, name="pages")["token"]


def _as(token: str) -> dict:
    return {"headers": {"Authorization": token}}


@pytest.fixture
def sysadmin_app(app, data):
    """A sysadmin logged in through the login form: flash messages live in the session
    cookie, which CKAN does not keep for requests authenticated with an API token, and
    session-authenticated POSTs need the forms' CSRF token."""
    return logged_in(app, data["sysadmin"]["name"])


def _csrf(app, path: str = ADMIN) -> dict:
    """The CSRF token of the page's forms (CKAN refuses session-authenticated POSTs without)."""
    body = app.get(path).body
    form = re.search(
        r'<form method="post" action="/ckan-admin/partner-cities/.*?</form>', body, re.S
    )
    assert form, "no admin form on " + path
    token = re.search(r'<input type="hidden" name="_csrf_token" value="([^"]+)"', form.group(0))
    assert token, "the page's forms carry no CSRF token"
    return {"_csrf_token": token.group(1)}


def _themes_group(app, key: str, city: str) -> int:
    body = app.get(f"/themes/{key}").body
    group = body.split(f'data-city="{city}"')[1].split("</section>")[0]
    return int(re.search(r'partnercity-group-count">(\d+)', group).group(1))


# Who gets in


@pytest.mark.parametrize(
    "path", [ADMIN, f"{ADMIN}/alba-iulia", f"{ADMIN}/mappings", f"{ADMIN}/mappings?status=all"]
)
def test_anonymous_and_normal_users_are_refused(app, data, path):
    anonymous = app.get(path, status=None, follow_redirects=False)
    assert anonymous.status_code in (403, 302)
    if anonymous.status_code == 302:
        assert "/user/login" in anonymous.headers["Location"]
    app.get(path, status=403, **_as(data["user_token"]))


def test_normal_users_cannot_post(app, data):
    runs_before = model.Session.query(HarvestRun).count()
    mapping = model.Session.query(Mapping).filter(Mapping.origin == "suggested").first()
    app.post(f"{ADMIN}/alba-iulia/harvest", status=403, **_as(data["user_token"]))
    anonymous = app.post(f"{ADMIN}/alba-iulia/harvest", status=None, follow_redirects=False)
    assert anonymous.status_code in (403, 302)
    app.post(
        f"{ADMIN}/mappings/decide",
        data={"id": mapping.id, "decision": "reject"},
        status=403,
        **_as(data["user_token"]),
    )
    model.Session.expire_all()
    assert model.Session.query(HarvestRun).count() == runs_before
    assert model.Session.get(Mapping, mapping.id).origin == "suggested"


# Partners, runs, harvest now


def test_admin_tab_and_partner_list(app, data):
    ckan_admin = app.get("/ckan-admin/", **_as(data["sysadmin_token"])).body
    assert f'href="{ADMIN}"' in ckan_admin and "Partner cities" in ckan_admin
    body = app.get(ADMIN, **_as(data["sysadmin_token"])).body
    names = re.findall(r'data-partnercity="admin-partner-row" data-partner="([^"]+)"', body)
    assert names == ["alba-iulia", "broken-city", "mulhouse"]
    alba = body.split('data-partner="alba-iulia"')[1].split("</tr>")[0]
    assert 'data-status="succeeded"' in alba
    assert "8 new, 0 updated, 0 unchanged, 0 withdrawn, 0 failed" in alba
    broken = body.split('data-partner="broken-city"')[1].split("</tr>")[0]
    assert 'data-status="failed"' in broken and "1 error" in broken
    assert body.count('data-partnercity="harvest-now"') == 3
    assert 'data-partnercity="admin-tabs"' in body
    german = app.get(f"/de{ADMIN}", **_as(data["sysadmin_token"])).body
    assert "Jetzt abrufen" in german and "Zuordnungen prüfen" in german


def test_run_history_shows_error_details(app, data):
    body = app.get(f"{ADMIN}/broken-city", **_as(data["sysadmin_token"])).body
    run = data["failed_run"]
    row = body.split(f'id="run-{run["id"]}"')[1].split("</tr>")[0]
    assert 'data-partnercity="run-errors"' in row
    error = run["errors"][0]
    assert error["message"].split(":")[0] in row
    assert html.escape(error["url"]) in row
    assert_inert(body)


def test_warnings_are_counted_apart_from_errors(app, data):
    """A fallback taken or a record cut to a limit is a warning, not an error."""
    partner = call_action("partnercity_partner_show", id="broken-city")
    run = HarvestRun(
        partner_id=partner["id"],
        status="partial",
        queued_at=datetime.datetime(2020, 1, 1),  # older than the module's real run
        errors=[
            {"message": "connection reset", "url": "https://x.example/p2"},
            {
                "message": "DCAT export not used (HTTP 403)",
                "url": "https://x.example/e",
                "level": "warning",
            },
            {
                "message": "dataset d1 is too large",
                "url": "https://x.example/p1",
                "level": "warning",
            },
        ],
    )
    model.Session.add(run)
    model.Session.commit()
    try:
        body = app.get(f"{ADMIN}/broken-city", **_as(data["sysadmin_token"])).body
        row = body.split(f'id="run-{run.id}"')[1].split("</tr>")[0]
        assert "1 error · 2 warnings" in row
        assert row.count('data-partnercity="run-warning"') == 2
        german = app.get(f"/de{ADMIN}/broken-city", **_as(data["sysadmin_token"])).body
        assert "1 Fehler · 2 Warnungen" in german.split(f'id="run-{run.id}"')[1]
    finally:
        model.Session.delete(run)
        model.Session.commit()


@pytest.mark.ckan_config("WTF_CSRF_ENABLED", True)
def test_harvest_now_queues_a_run_and_shows_it(sysadmin_app):
    app = sysadmin_app
    queue = jobs.get_queue()
    before = set(queue.job_ids)
    refused = app.post(f"{ADMIN}/mulhouse/harvest", follow_redirects=False, status=None)
    assert refused.status_code in (400, 403)  # no CSRF token
    assert set(queue.job_ids) == before
    response = app.post(f"{ADMIN}/mulhouse/harvest", data=_csrf(app), follow_redirects=False)
    assert response.status_code == 302
    runs = call_action("partnercity_harvest_run_list", partner="mulhouse")
    queued = runs[0]
    assert queued["status"] == "queued" and queued["job_id"]
    assert response.headers["Location"].endswith(f"{ADMIN}/mulhouse#run-{queued['id']}")
    assert set(queue.job_ids) - before == {queued["job_id"]}
    page = app.get(f"{ADMIN}/mulhouse").body
    assert "Harvest queued" in page
    assert f'id="run-{queued["id"]}" data-partnercity="run-row" data-status="queued"' in page
    # A second click while it waits queues nothing and points at the waiting run.
    second = app.post(f"{ADMIN}/mulhouse/harvest", data=_csrf(app), follow_redirects=False)
    assert second.headers["Location"].endswith(f"{ADMIN}/mulhouse#run-{queued['id']}")
    again = app.get(f"{ADMIN}/mulhouse").body
    assert "A harvest is already queued" in again and "nothing was queued" in again
    assert len(call_action("partnercity_harvest_run_list", partner="mulhouse")) == len(runs)
    assert set(queue.job_ids) - before == {queued["job_id"]}
    app.post(f"{ADMIN}/no-such-city/harvest", data=_csrf(app), status=404)


# Mapping review


def _mapping(partner: str | None, category: str) -> dict:
    found = [
        m
        for m in call_action(
            "partnercity_mapping_list", **({"partner": partner} if partner else {})
        )
        if m["category"] == category
    ]
    assert found, category
    return found[0]


def test_review_lists_rows_with_filters(app, data):
    auth = _as(data["sysadmin_token"])
    suggested = app.get(f"{ADMIN}/mappings", **auth).body
    categories = [
        html.unescape(c)
        for c in re.findall(r'data-partnercity="mapping-row" data-category="([^"]+)"', suggested)
    ]
    pending = call_action("partnercity_mapping_list", origin="suggested")
    assert sorted(categories) == sorted(m["category"] for m in pending)
    one = app.get(f"{ADMIN}/mappings", query_string={"partner": "mulhouse"}, **auth).body
    assert "Transport și mobilitate" not in one
    german = app.get(f"/de{ADMIN}/mappings", **auth).body
    assert re.search(r"Konfidenz 0,\d\d<", german)  # German decimal comma
    assert "Annehmen" in german and "Ablehnen" in german
    unmapped = app.get(f"{ADMIN}/mappings", query_string={"status": "unmapped"}, **auth).body
    assert 'data-category="xyzzy"' in unmapped
    # the <script> hidden in the entities is removed at harvest; "Zgomot" is left to map
    assert "alert(3)" not in unmapped
    listed = call_action("partnercity_mapping_list", partner="alba-iulia")
    assert "Zgomot" in {m["category"] for m in listed}
    assert_inert(unmapped)


def test_accept_change_reject_and_map_change_the_theme_pages(sysadmin_app):
    app, auth = sysadmin_app, {}
    transport = _mapping("alba-iulia", "Transport și mobilitate")
    assert transport["origin"] == "suggested" and transport["concept"] == TRAN
    # Only the bus stops yet: their HVD category (Mobility) is aligned with Transport.
    assert _themes_group(app, "TRAN", "alba-iulia") == 1

    def decide(**form):
        form.update(return_status="all", **_csrf(app, f"{ADMIN}/mappings?status=all"))
        response = app.post(f"{ADMIN}/mappings/decide", data=form, follow_redirects=False, **auth)
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"{ADMIN}/mappings?status=all")
        return app.get(response.headers["Location"]).body

    assert "Accepted: Transport și mobilitate" in decide(id=transport["id"], decision="accept")
    assert _mapping("alba-iulia", "Transport și mobilitate")["origin"] == "decided"
    assert _themes_group(app, "TRAN", "alba-iulia") == 3

    mediu = _mapping("alba-iulia", "Mediu")
    assert _themes_group(app, "ENVI", "alba-iulia") == 2
    econ_before = _themes_group(app, "ECON", "alba-iulia")
    decide(id=mediu["id"], decision="change", concept=ECON)
    changed = _mapping("alba-iulia", "Mediu")
    assert changed["concept"] == ECON and changed["origin"] == "decided"
    # The air quality stays on Environment through its HVD category.
    assert _themes_group(app, "ENVI", "alba-iulia") == 1
    assert _themes_group(app, "ECON", "alba-iulia") == econ_before + 2

    environnement = _mapping("mulhouse", "Environnement")
    assert _themes_group(app, "ENVI", "mulhouse") == 2
    decide(id=environnement["id"], decision="reject")
    assert _mapping("mulhouse", "Environnement")["rejected"] is True
    assert _themes_group(app, "ENVI", "mulhouse") == 0

    assert _themes_group(app, "ENVI", "_site") == 1
    decide(category="xyzzy", partner="", concept=ENVI, decision="accept")
    assert _mapping(None, "xyzzy")["concept"] == ENVI
    assert _themes_group(app, "ENVI", "_site") == 2

    page = app.get(f"{ADMIN}/mappings", query_string={"status": "decided"}, **auth).body
    decided = re.findall(r'data-partnercity="mapping-row" data-category="([^"]+)"', page)
    assert sorted(decided) == sorted(["Transport și mobilitate", "Mediu", "Environnement", "xyzzy"])

    # A change to something that is not a concept is refused and changes nothing.
    page = decide(id=transport["id"], decision="change", concept="http://example.org/nope")
    assert "Not a loaded concept" in page
    assert _mapping("alba-iulia", "Transport și mobilitate")["concept"] == TRAN
