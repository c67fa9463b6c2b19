"""The admin tab "Counterparts" on the real stack: sysadmins see our datasets with suggested
counterparts (reasons, score, partner), confirm / reject / undo them through the form (which
calls partnercity_counterpart_decide), bad input is a flash message, never a traceback;
everyone else gets 403. partnercity_counterpart_list pages through our datasets."""

from __future__ import annotations

import html
import re

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.lib import search
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.partnercity.model import CounterpartDecision
from tests.integration.page_support import (
    OWN_AIR,
    fresh_store,
    logged_in,
    own_air_quality,
    partner_portals,
    seed,
)

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("with_plugins")]

TAB = "/ckan-admin/partner-cities/counterparts"
DECIDE = f"{TAB}/decide"
OWN = OWN_AIR


@pytest.fixture(scope="module")
def data(reset_db, reset_index, migrate_db_for):
    fresh_store(reset_db, reset_index, migrate_db_for)
    with partner_portals() as urls:
        seeded = seed(urls)
        own = own_air_quality(seeded)
        factories.User(name="review-citizen", password="correct horse battery staple")
        yield {**seeded, "own": own}


@pytest.fixture
def admin(app, data):
    yield logged_in(app, data["sysadmin"]["name"])
    model.Session.query(CounterpartDecision).delete()
    model.Session.commit()


def _rows(body: str, hook: str) -> list[str]:
    return body.split(f'data-partnercity="{hook}"')[1:]


def _suggested(body: str, dataset: str) -> list[str]:
    """Reference names suggested for ``dataset`` on the page, in order."""
    return re.findall(
        rf'data-partnercity="counterpart-row" data-dataset="{dataset}" data-reference="([^"]+)"',
        body,
    )


def _flash(body: str) -> str:
    return html.unescape(" ".join(re.findall(r'class="alert[^"]*"[^>]*>(.*?)<', body, re.S)))


def _post(client, **form):
    return client.post(DECIDE, data=form, follow_redirects=True)


def test_sysadmin_sees_suggestions_with_reasons_score_and_partner(admin):
    body = admin.get(TAB).body
    assert 'aria-current="page"' in body and ">Counterparts</a>" in body
    suggested = _suggested(body, OWN)
    assert suggested and "calitatea" in suggested[0], suggested
    row = _rows(body, "counterpart-row")[0]
    assert "Same HVD category: Air" in row
    assert f'href="/partner_dataset/{suggested[0]}"' in row
    assert 'href="/partner-cities/alba-iulia"' in row and "Alba Iulia" in row
    assert re.search(r"<td>[01][.,]\d+</td>", row), row
    # a dataset without any counterpart is listed too, saying so
    assert 'data-partnercity="counterpart-none" data-dataset="arnsberg-budget"' in body


def test_confirm_reject_and_undo_through_the_form(admin, data):
    first = _suggested(admin.get(TAB).body, OWN)[0]
    body = _post(admin, dataset=OWN, reference=first, decision="confirmed", page="1").body
    assert "Confirmed:" in _flash(body) and "Luftqualität: Messwerte" in _flash(body)
    assert first not in _suggested(body, OWN)  # decided: listed with its decision instead
    decision = _rows(body, "counterpart-decision")[0]
    assert 'data-decision="confirmed"' in decision and data["sysadmin"]["name"] in decision
    related = call_action("partnercity_related", id=data["own"]["id"])["counterparts"]
    assert related[0]["reference"]["name"] == first
    assert related[0]["reasons"][0]["kind"] == "confirmed"

    body = _post(
        admin, dataset=OWN, reference=first, decision="rejected", reason="another pollutant"
    ).body
    assert "Rejected:" in _flash(body)
    decision = _rows(body, "counterpart-decision")[0]
    assert 'data-decision="rejected"' in decision and "another pollutant" in decision
    related = call_action("partnercity_related", id=data["own"]["id"])["counterparts"]
    assert first not in [c["reference"]["name"] for c in related]

    body = _post(admin, dataset=OWN, reference=first, decision="undecided").body
    assert "Undone:" in _flash(body)
    assert first in _suggested(body, OWN)
    assert model.Session.query(CounterpartDecision).count() == 0


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"dataset": "no-such-dataset", "decision": "confirmed"}, "Our dataset: Not found"),
        ({"reference": "no-such-reference", "decision": "confirmed"}, "Partner dataset: Not found"),
        ({"decision": "maybe"}, "Decision:"),
        ({"decision": "rejected", "reason": "x" * 2001}, "Reason:"),
        ({"reference": OWN, "decision": "confirmed"}, "Must be a partner reference"),
    ],
)
def test_bad_input_is_a_flash_message(admin, form, message):
    first = _suggested(admin.get(TAB).body, OWN)[0]
    answer = _post(admin, **{"dataset": OWN, "reference": first, **form})
    assert answer.status_code == 200
    assert message in _flash(answer.body), _flash(answer.body)
    assert "Traceback" not in answer.body
    assert model.Session.query(CounterpartDecision).count() == 0


def test_reference_deleted_meanwhile_is_a_flash_message(admin, data):
    ref = _suggested(admin.get(TAB).body, OWN)[-1]
    call_action("package_delete", {"user": data["sysadmin"]["name"]}, id=ref)
    try:
        body = _post(admin, dataset=OWN, reference=ref, decision="confirmed").body
        assert "Partner dataset: Deleted meanwhile" in _flash(body)
        assert model.Session.query(CounterpartDecision).count() == 0
    finally:
        pkg = model.Package.get(ref)
        pkg.state = "active"
        model.Session.commit()
        search.rebuild(pkg.id)


@pytest.mark.parametrize("page", ["abc", "-3", "0"])
def test_odd_page_numbers_show_the_first_page(admin, page):
    answer = admin.get(f"{TAB}?page={page}")
    assert answer.status_code == 200 and OWN in answer.body


def test_page_beyond_any_catalogue_is_a_flash_message(admin):
    answer = admin.get(f"{TAB}?page=99999", follow_redirects=True)
    assert answer.status_code == 200 and "Page:" in _flash(answer.body)


def test_others_get_403(app, data):
    citizen = logged_in(app, "review-citizen", "correct horse battery staple")
    for client in (citizen, app.test_client()):
        assert client.get(TAB).status_code == 403
        answer = client.post(
            DECIDE, data={"dataset": OWN, "reference": "x", "decision": "rejected"}
        )
        assert answer.status_code == 403
    assert model.Session.query(CounterpartDecision).count() == 0


def test_list_action_pages_and_checks_its_input(data):
    sysadmin = {"user": data["sysadmin"]["name"]}
    first = call_action("partnercity_counterpart_list", sysadmin, limit=1)
    second = call_action("partnercity_counterpart_list", sysadmin, limit=1, page=2)
    assert first["count"] == second["count"] == 3  # ours: air, budget, the HVD air dataset
    assert len(first["datasets"]) == len(second["datasets"]) == 1
    assert first["datasets"][0]["dataset"]["name"] != second["datasets"][0]["dataset"]["name"]
    with pytest.raises(tk.ValidationError):
        call_action("partnercity_counterpart_list", sysadmin, limit=51)
    with pytest.raises(tk.ValidationError):
        call_action("partnercity_counterpart_list", sysadmin, page="many")
    with pytest.raises(tk.NotAuthorized):
        call_action(
            "partnercity_counterpart_list",
            {"user": "review-citizen", "ignore_auth": False},
        )


def test_search_narrows_the_review_to_our_matching_datasets(admin):
    body = admin.get(f"{TAB}?q=Haushalt").body
    rows = _rows(body, "counterpart-row") + _rows(body, "counterpart-none")
    assert rows and all('data-dataset="arnsberg-budget"' in row for row in rows)
    assert 'name="q" value="Haushalt"' in body
    # the decision forms keep the search, so the team comes back to the same list
    air = admin.get(f"{TAB}?q=Luftqualität").body
    assert _suggested(air, OWN) and '<input type="hidden" name="q" value="Luftqualität">' in air
    none = admin.get(f"{TAB}?q=zzyzx-nothing").body
    assert "None of our datasets matches this search." in none
    assert 'data-partnercity="counterpart-row"' not in none


def test_a_search_solr_cannot_parse_is_a_flash_message_not_a_redirect_loop(admin):
    answer = admin.get(f"{TAB}?q=title:(unbalanced", follow_redirects=True)
    assert answer.status_code == 200
    assert "could not be read" in _flash(answer.body) and 'name="q" value=""' in answer.body


def test_a_decision_returns_to_the_same_search(admin):
    suggested = _suggested(admin.get(f"{TAB}?q=Luftqualität").body, OWN)
    answer = admin.post(
        DECIDE,
        data={"dataset": OWN, "reference": suggested[0], "decision": "rejected", "q": "Luft"},
        follow_redirects=False,
    )
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"{TAB}?page=1&q=Luft")


def test_list_action_searches_our_datasets_and_caps_the_words(data):
    sysadmin = {"user": data["sysadmin"]["name"]}
    found = call_action("partnercity_counterpart_list", sysadmin, q="Haushalt")
    assert found["count"] == 1 and found["q"] == "Haushalt"
    assert found["datasets"][0]["dataset"]["name"] == "arnsberg-budget"
    with pytest.raises(tk.ValidationError):
        call_action("partnercity_counterpart_list", sysadmin, q="x" * 201)
    with pytest.raises(tk.ValidationError) as unreadable:
        call_action("partnercity_counterpart_list", sysadmin, q="title:(unbalanced")
    assert "q" in unreadable.value.error_dict


def test_the_tab_speaks_german(admin):
    body = admin.get(f"/de{TAB}").body
    assert '<h1 class="page-heading">Gegenstücke</h1>' in body
    # the category in the reader's language, from the HVD vocabulary (24 languages)
    assert "Gleiche HVD-Kategorie: Luft" in body and ": Air" not in body
    # Alba Iulia's own German version of its title, marked as German (ckanext-fluent)
    german_title = '<span lang="de" data-partnercity="title-text">Luftqualität in der Stadt'
    assert german_title in body
    assert ">Bestätigen</button>" in body and "Begründung (freiwillig)" in body
    first = _suggested(body, OWN)[0]
    answer = admin.post(
        f"/de{DECIDE}",
        data={"dataset": OWN, "reference": first, "decision": "confirmed"},
        follow_redirects=True,
    )
    assert "Bestätigt:" in _flash(answer.body)


def test_undo_of_a_decision_whose_reference_was_purged(admin, data):
    ref = call_action("package_show", id=_suggested(admin.get(TAB).body, OWN)[0])
    _post(admin, dataset=OWN, reference=ref["name"], decision="rejected", reason="gone soon")
    sysadmin = {"user": data["sysadmin"]["name"]}
    call_action("dataset_purge", sysadmin, id=ref["id"])
    try:
        body = admin.get(TAB).body
        row = _rows(body, "counterpart-decision")[0]
        assert "No longer harvested:" in row and ref["partner_identifier"] in html.unescape(row)
        decision_id = model.Session.query(CounterpartDecision).one().id
        assert f'name="decision_id" value="{decision_id}"' in row
        # another dataset's decision id is refused, nothing is forgotten
        other = call_action("package_search", fq="-dataset_type:partner_dataset", rows=2)
        stranger = next(p["name"] for p in other["results"] if p["name"] != OWN)
        answer = _post(admin, dataset=stranger, decision_id=decision_id, decision="undecided")
        assert "Not found" in _flash(answer.body)
        assert model.Session.query(CounterpartDecision).count() == 1
        # only "undecided" may name a decision by its id
        answer = _post(admin, dataset=OWN, decision_id=decision_id, decision="confirmed")
        assert "Partner dataset: Missing value" in _flash(answer.body)
        body = _post(admin, dataset=OWN, decision_id=decision_id, decision="undecided").body
        assert "Undone:" in _flash(body) and ref["partner_identifier"] in _flash(body)
        assert model.Session.query(CounterpartDecision).count() == 0
        assert not _rows(body, "counterpart-decision")
    finally:
        partner = ref["organization"]["name"]
        run = call_action("partnercity_harvest", sysadmin, partner=partner, full=True, wait=True)
        assert run["status"] == "succeeded"
