"""The shared cache of rendered citizen pages (anonymous visitors, CKAN's Redis)."""

from __future__ import annotations

import copy
import datetime
import re
from contextlib import ExitStack

import pytest
import redis
from cachelib import RedisCache
from ckan.tests.helpers import call_action
from flask_wtf.csrf import validate_csrf
from werkzeug.test import Client
from wtforms import ValidationError

from ckanext.partnercity.pages import cache as page_cache
from tests.integration.page_support import ECON, fresh_store, logged_in, partner_portals, seed
from tests.support.fake_portals import ckan_portal, load_datasets
from tests.support.http_server import serve

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("with_plugins")]

HEADER = page_cache.HEADER
PAGES = [
    "/partner-cities",
    "/partner-cities/alba-iulia",
    "/partner-cities/alba-iulia?sort=title_string+asc&page=1",
    "/themes",
    "/themes/ENVI",
    "/partner-cities/compare",
]


@pytest.fixture(scope="module")
def data(reset_db, reset_index, migrate_db_for):
    """The page tests' two partners, plus a third whose portal's catalogue the tests change."""
    fresh_store(reset_db, reset_index, migrate_db_for)
    town = copy.deepcopy(load_datasets("ckan/alba-iulia.json"))[:2]
    with ExitStack() as stack:
        urls = stack.enter_context(partner_portals())
        seeded = seed(urls)
        portal = stack.enter_context(serve(ckan_portal(town)))
        call_action(
            "partnercity_partner_create",
            name="cache-town",
            title="Cache Town",
            country="RO",
            portal_type="ckan",
            portal_url=portal.url,
        )
        run = call_action("partnercity_harvest", partner="cache-town", full=True, wait=True)
        assert run["status"] == "succeeded", run["errors"]
        seeded["town_datasets"] = town
        yield seeded


def _state(response) -> str | None:
    return response.headers.get(HEADER)


TOKEN = re.compile(r'(name="_csrf_token" (?:value|content)=")([^"]+)"')


def _tokens(body: str) -> set[str]:
    return {m.group(2) for m in TOKEN.finditer(body)}


def _without_tokens(body: str) -> str:
    return TOKEN.sub(r'\1"', body)


def _token(body: str) -> str:
    form = re.search(r'<form class="lang-select".*?</form>', body, re.S)
    assert form, "no language switcher on the page"
    found = re.search(r'name="_csrf_token" value="([^"]+)"', form.group(0))
    assert found, "the language switcher carries no CSRF token"
    return found.group(1)


@pytest.mark.parametrize("path", PAGES)
def test_second_anonymous_request_is_served_from_the_cache(app, data, path):
    # two visitors, each with a cookie jar of their own (CKAN 2.12's app keeps one jar)
    first = app.test_client().get(path)
    second = app.test_client().get(path)
    assert first.status_code == second.status_code == 200
    assert (_state(first), _state(second)) == ("miss", "hit")
    # The same page, each with its own visitor's CSRF token.
    assert _without_tokens(second.body) == _without_tokens(first.body)
    assert _tokens(second.body).isdisjoint(_tokens(first.body))
    # CKAN's caching headers, as for a rendered page.
    assert second.headers.get("Cache-Control") == first.headers.get("Cache-Control")
    assert "Cookie" in second.headers.get("Vary", "")


def test_query_strings_are_keyed_in_any_order(app, data):
    base = "/partner-cities/alba-iulia"
    assert _state(app.get(base, query_string="sort=title_string+desc&page=1")) == "miss"
    assert _state(app.get(base, query_string="page=1&sort=title_string+desc")) == "hit"
    assert _state(app.get(base, query_string="page=2&sort=title_string+desc")) == "miss"


def test_cache_saves_the_action_calls(app, data, monkeypatch):
    app.get("/themes/ENVI")
    calls = []
    import ckan.logic

    original = ckan.logic.get_action

    def spy(name):
        calls.append(name)
        return original(name)

    monkeypatch.setattr(ckan.plugins.toolkit, "get_action", spy)
    assert _state(app.get("/themes/ENVI")) == "hit"
    assert "package_search" not in calls and "partnercity_partner_list" not in calls


def test_german_and_english_are_cached_separately(app, data):
    english, german = app.get("/themes"), app.get("/de/themes")
    assert (_state(english), _state(german)) == ("miss", "miss")
    assert "Umwelt" in german.body and "Umwelt" not in english.body
    again_en, again_de = app.get("/themes"), app.get("/de/themes")
    assert (_state(again_en), _state(again_de)) == ("hit", "hit")
    assert "Environment" in again_en.body and 'lang="de"' in again_de.body
    assert 'lang="en"' in again_en.body


def test_a_harvest_invalidates(app, data):
    path = "/partner-cities/cache-town"
    app.get(path)
    assert _state(app.get(path)) == "hit"
    added = copy.deepcopy(data["town_datasets"][0])
    now = datetime.datetime.utcnow().isoformat()
    added.update(
        id="0c0c0c0c-0000-4000-8000-00000000cafe",
        name="cache-town-new",
        title="Brand new dataset of Cache Town",
        metadata_modified=now,
        metadata_created=now,
    )
    data["town_datasets"].append(added)
    run = call_action("partnercity_harvest", partner="cache-town", full=True, wait=True)
    assert run["status"] == "succeeded" and run["counts"]["created"] == 1, run
    fresh = app.get(path)
    assert _state(fresh) == "miss"
    assert "Brand new dataset of Cache Town" in fresh.body


def test_a_dataset_update_invalidates(app, data):
    path = "/partner-cities/cache-town"
    app.get(path)
    assert _state(app.get(path)) == "hit"
    reference = call_action(
        "package_search", fq="+dataset_type:partner_dataset +organization:cache-town", rows=1
    )["results"][0]
    call_action("package_patch", id=reference["id"], title="Retitled by an editor")
    fresh = app.get(path)
    assert _state(fresh) == "miss"
    assert "Retitled by an editor" in fresh.body


def test_an_organization_edit_through_ckan_invalidates(app, data):
    """CKAN's own organization form (organization_patch), not the partner actions."""
    app.get("/partner-cities")
    assert _state(app.get("/partner-cities")) == "hit"
    call_action("organization_patch", id="cache-town", title="Cache Town on the Mureș")
    fresh = app.get("/partner-cities")
    assert _state(fresh) == "miss"
    assert "Cache Town on the Mureș" in fresh.body


def test_a_mapping_decision_invalidates(app, data):
    def alba_in(key: str) -> int:
        body = app.get(f"/themes/{key}").body
        group = body.split('data-city="alba-iulia"')[1].split("</section>")[0]
        return int(re.search(r'partnercity-group-count">(\d+)', group).group(1))

    envi, econ = alba_in("ENVI"), alba_in("ECON")
    assert envi > 0
    assert _state(app.get("/themes/ENVI")) == "hit"
    mediu = [
        m
        for m in call_action("partnercity_mapping_list", partner="alba-iulia")
        if m["category"] == "Mediu"
    ][0]
    call_action("partnercity_mapping_decide", id=mediu["id"], concept=ECON, decision="change")
    # Both "Mediu" datasets move to Economy; the air quality stays on Environment through
    # its HVD category (Earth observation and environment), a category of Alba Iulia too.
    assert alba_in("ENVI") == envi - 1 and alba_in("ECON") == econ + 2


def test_logged_in_users_never_get_cached_html(app, data):
    sysadmin = data["sysadmin"]["name"]
    anonymous = app.get("/partner-cities")
    assert _state(app.get("/partner-cities")) == "hit"
    for _ in range(2):
        client = logged_in(app, sysadmin)
        mine = client.get("/partner-cities")
        assert mine.status_code == 200 and _state(mine) is None
        assert "/user/_logout" in mine.body and "/user/_logout" not in anonymous.body
    token = call_action(
        "api_token_create", context={"user": sysadmin}, user=sysadmin, name="cache"
    )["token"]
    by_token = app.get("/partner-cities", headers={"Authorization": token})
    assert _state(by_token) is None
    # What a logged-in user saw is not served to anonymous visitors either.
    assert _state(app.get("/partner-cities")) == "hit"


@pytest.mark.ckan_config("WTF_CSRF_ENABLED", True)
def test_each_visitor_gets_their_own_csrf_token(app, data):
    alice, bob = app.test_client(), app.test_client()
    first = alice.get("/themes")
    second = bob.get("/themes")
    assert (_state(first), _state(second)) == ("miss", "hit")
    alice_token, bob_token = _token(first.body), _token(second.body)
    assert alice_token != bob_token
    assert page_cache.CSRF_MARKER not in second.body
    assert f'<meta name="_csrf_token" content="{bob_token}"' in second.body
    # Bob switches the language with the token of his cached page: it works.
    switched = bob.post(
        "/util/redirect",
        data={"url": "/de/themes", "_csrf_token": bob_token},
        follow_redirects=False,
    )
    assert switched.status_code == 302 and switched.headers["Location"].endswith("/de/themes")
    # The token is the one of Bob's session, and Alice's is not.
    cookie = second.headers["Set-Cookie"].split(";")[0]
    with app.flask_app.test_request_context("/", headers={"Cookie": cookie}):
        validate_csrf(bob_token)
        with pytest.raises(ValidationError):
            validate_csrf(alice_token)


class Stack:
    """CKAN's whole WSGI stack, IMiddleware included: CKAN 2.12's ``app`` fixture talks to
    the Flask app alone, but gunicorn and ``ckan run`` serve the whole stack."""

    def __init__(self, app, use_cookies: bool = True) -> None:
        self.client = Client(app.app, use_cookies=use_cookies)

    def get(self, path: str, **kwargs):
        response = self.client.get(path, **kwargs)
        response.body = response.get_data(as_text=True)
        return response


def test_hits_are_answered_before_ckans_request_cycle(app, data, monkeypatch):
    """A cached page for an anonymous visitor skips CKAN's request cycle (no user lookup, no
    config check in the database), with the body and headers CKAN gave the same page."""
    from ckan.lib import app_globals

    cycles: list[str] = []
    original = app_globals.app_globals._check_uptodate
    monkeypatch.setattr(
        app_globals.app_globals, "_check_uptodate", lambda: cycles.append("ckan") or original()
    )
    path = "/themes/ENVI"
    stack = Stack(app)
    miss = stack.get(path)
    assert (_state(miss), cycles) == ("miss", ["ckan"])
    hit = stack.get(path)
    assert (_state(hit), cycles) == ("hit", ["ckan"])
    assert _without_tokens(hit.body) == _without_tokens(miss.body)
    for name in ("Content-Type", "Cache-Control", "Vary"):
        assert hit.headers.get(name) == miss.headers.get(name), name
    # A first visit (no cookie) gets a session with its own token, and the token holds.
    first_visit = Stack(app, use_cookies=False).get(path)
    assert _state(first_visit) == "hit" and cycles == ["ckan"]
    (token,) = _tokens(first_visit.body)
    assert token not in _tokens(hit.body)
    cookie = first_visit.headers["Set-Cookie"].split(";")[0]
    with app.flask_app.test_request_context("/", headers={"Cookie": cookie}):
        validate_csrf(token)
    # The German page too (the language is part of the path).
    german = [stack.get("/de" + path) for _ in range(2)]
    assert [_state(r) for r in german] == ["miss", "hit"] and cycles == ["ckan"] * 2
    assert "Umwelt" in german[1].body and german[1].body.count("Umwelt") == german[0].body.count(
        "Umwelt"
    )
    # Not a cached path: CKAN's cycle as ever.
    assert stack.get("/dataset").status_code == 200 and cycles == ["ckan"] * 3


def _session_cookie(app, **values) -> str:
    """A session cookie as CKAN's session interface writes it, holding ``values``."""
    flask_app = app.flask_app
    with flask_app.test_request_context("/"):
        from flask import session

        session.update(values)
        response = flask_app.response_class("")
        flask_app.session_interface.save_session(flask_app, session, response)
    return response.headers["Set-Cookie"].split(";")[0]


def test_a_visitor_with_a_pending_message_gets_it_from_ckan(app, data):
    path = "/partner-cities"
    stack = Stack(app)
    assert _state(stack.get(path)) == "miss" and _state(stack.get(path)) == "hit"
    cookie = _session_cookie(app, _flashes=[("alert-success", "Your harvest has started")])
    mine = Stack(app, use_cookies=False).get(path, headers={"Cookie": cookie})
    assert _state(mine) is None and "Your harvest has started" in mine.body


def test_without_redis_hits_fall_back_to_ckan(app, data, monkeypatch):
    path = "/themes"
    stack = Stack(app)
    assert _state(stack.get(path)) == "miss" and _state(stack.get(path)) == "hit"

    def broken():
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(page_cache, "store", broken)
    rendered = stack.get(path)
    assert rendered.status_code == 200 and _state(rendered) is None
    assert 'href="/themes/ENVI"' in rendered.body


def test_an_unreachable_redis_renders_pages_and_bumps_quietly(app, data, monkeypatch):
    """Redis refusing connections inside cachelib's calls: no cache, and no error."""
    unreachable = RedisCache(redis.Redis(port=1), key_prefix="x:", default_timeout=60)
    monkeypatch.setattr(page_cache, "store", lambda: unreachable)
    for client in (Stack(app), app):
        rendered = client.get("/partner-cities/alba-iulia")
        assert rendered.status_code == 200 and _state(rendered) is None
        assert "Alba Iulia" in rendered.body
    page_cache.bump("test")


@pytest.mark.ckan_config("ckanext.partnercity.page_cache_seconds", "0")
def test_zero_switches_the_cache_off(app, data):
    for path in ("/partner-cities", "/themes/ENVI"):
        assert [_state(app.get(path)) for _ in range(3)] == [None, None, None]


def _facet_entries(body: str) -> list[tuple[str, str]]:
    """(label, count) of every facet entry of a partner profile."""
    facets = body.split('data-partnercity="partner-facets"')[1].split("</div>")[0]
    return re.findall(r'item-label">([^<]*)</span>.*?item-count badge">(\d+)</span>', facets, re.S)


@pytest.fixture
def searches(monkeypatch) -> list[dict]:
    """The parameters of every package_search the pages call, in order."""
    import ckan.logic

    seen: list[dict] = []
    original = ckan.logic.get_action

    def spy(name):
        action = original(name)
        if name != "package_search":
            return action
        return lambda context, data_dict: seen.append(dict(data_dict)) or action(context, data_dict)

    monkeypatch.setattr(ckan.plugins.toolkit, "get_action", spy)
    return seen


def test_result_pages_of_one_search_share_their_facets(app, data, searches):
    """Another result page or sort order is a new page, but its facets come from the cache;
    a new generation (any change to what pages show) asks Solr for them again."""
    path = "/partner-cities/alba-iulia"
    page_cache.bump("test")
    first = app.get(path, query_string="sort=title_string+asc")
    second = app.get(path, query_string="sort=title_string+desc")
    assert (_state(first), _state(second)) == ("miss", "miss")
    assert [("facet.field" in s, s.get("facet")) for s in searches] == [
        (True, None),
        (False, "false"),
    ]
    assert ("CSV", "5") in _facet_entries(second.body)
    assert _facet_entries(second.body) == _facet_entries(first.body)
    # A filter is another search: its own facets, with the filter active.
    filtered = app.get(path, query_string="res_format=CSV")
    assert "facet.field" in searches[-1] and 'class="nav-item  active"' in filtered.body
    page_cache.bump("test")
    app.get(path, query_string="sort=title_string+desc")
    assert "facet.field" in searches[-1]


def test_both_languages_of_a_result_page_share_its_rows(app, data, searches):
    """The German page of a search's result page renders the rows the English one found:
    with its facets kept too, it asks Solr nothing."""
    path = "/partner-cities/alba-iulia"
    page_cache.bump("test")
    app.get("/de" + path)  # the German facets of this search
    english = app.get(path, query_string="sort=title_string+asc")
    asked = len(searches)
    german = app.get("/de" + path, query_string="sort=title_string+asc")
    assert (_state(english), _state(german)) == ("miss", "miss")
    assert len(searches) == asked, searches[asked:]
    rows = re.compile(r'href="(?:/de)?(/partner_dataset/[^"]+)"')
    shown = rows.findall(english.body.split('data-partnercity="partner-results"')[1])
    assert shown
    assert rows.findall(german.body.split('data-partnercity="partner-results"')[1]) == shown
    assert "Datensätze von" in german.body
    # The rows of the next result pages came with the first: no query for page 2.
    second_page = app.get(path, query_string="sort=title_string+asc&page=2")
    assert _state(second_page) == "miss" and len(searches) == asked


def test_pages_share_the_partner_list_until_something_changes(app, data, monkeypatch):
    calls: list[str] = []
    import ckan.logic

    original = ckan.logic.get_action

    def spy(name):
        calls.append(name)
        return original(name)

    monkeypatch.setattr(ckan.plugins.toolkit, "get_action", spy)
    assert _state(app.get("/themes")) == "miss"
    assert calls.count("partnercity_partner_list") == 1
    # Another page, another language: rendered, but on the list the first one kept.
    assert _state(app.get("/de/themes/ENVI")) == "miss"
    assert calls.count("partnercity_partner_list") == 1
    call_action("partnercity_partner_update", id="cache-town", title="Cache Town again")
    fresh = app.get("/partner-cities")
    assert calls.count("partnercity_partner_list") == 2 and "Cache Town again" in fresh.body


@pytest.mark.parametrize(
    "path", ["/partner-cities/alba-iulia?utm_source=x", "/themes?q=air", "/partner-cities?page=2"]
)
def test_parameters_a_page_does_not_read_are_rendered_but_never_stored(app, data, path):
    first, second = app.get(path), app.get(path)
    assert first.status_code == second.status_code == 200
    assert HEADER not in first.headers and HEADER not in second.headers


def test_the_profile_still_caches_what_it_reads(app, data):
    path = "/partner-cities/alba-iulia?q=aer&_res_format_limit=0&res_format=CSV"
    assert (_state(app.get(path)), _state(app.get(path))) == ("miss", "hit")
