"""HVD duties in the portal, on the real stack: the public suggest action (input checks,
caps, alignment), the duty list (our undeclared datasets only, never partner references,
never what was rejected), decisions (accept declares the dataset, reject is kept), who may
do what, and the admin page and report section."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.partnercity.hvd.rules.model import ELI_HVD
from ckanext.partnercity.hvd.rules.vocabulary import concept_index
from ckanext.partnercity.logic import schema_duties
from tests.integration.harvest_support import reference, register

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

ENVIRONMENT = "http://data.europa.eu/bna/c_dd313021"  # Earth observation and environment
GEOSPATIAL = "http://data.europa.eu/bna/c_ac64a52d"
AIR = "http://data.europa.eu/bna/c_63b37dd4"
SUGGEST = "/api/3/action/partnercity_hvd_suggest"
AUDITOR = "auditor-anna"

NOISE = {
    "name": "laermkarte",
    "title": "Lärmkarte Straßenverkehr",
    "notes": "Strategische Lärmkarte nach der Umgebungslärmrichtlinie: Lärmpegel L_DEN und "
    "L_Night an Hauptverkehrsstraßen.",
    "tags": [{"name": "Lärm"}, {"name": "Lärmkartierung"}],
    "language": ["http://publications.europa.eu/resource/authority/language/DEU"],
}
ADDRESSES = {
    "name": "adressen",
    "title": "Adressen mit Hauskoordinaten",
    "notes": "Alle Adressen der Stadt (Straße, Hausnummer, Postleitzahl) mit Koordinate.",
    "tags": [{"name": "Adressen"}],
    "language": ["de"],
}
LIBRARY = {
    "name": "bibliothek",
    "title": "Öffnungszeiten der Bibliothek",
    "notes": "Öffnungszeiten der Stadtbücherei und ihrer Zweigstellen, auch in den Ferien.",
    "tags": [{"name": "Bibliothek"}],
    "language": ["de"],
}


def top(uri: str) -> str:
    """The top-level HVD category of a concept (itself when it is one)."""
    ancestors = concept_index().ancestors(uri)
    return ancestors[-1] if ancestors else uri


def item(pkg: dict) -> dict:
    return {
        "title": pkg["title"],
        "notes": pkg["notes"],
        "tags": [t["name"] for t in pkg["tags"]],
        "lang": "de",
    }


@pytest.fixture
def org() -> str:
    return factories.Organization(name="arnsberg")["id"]


def ours(org: str, data: dict, **extra) -> dict:
    resources = [{"url": f"https://example.org/{data['name']}.csv", "format": "CSV"}]
    return call_action(
        "package_create", owner_org=org, license_id="cc-by", resources=resources, **data, **extra
    )


def token(**kwargs) -> dict:
    user = (
        factories.SysadminWithToken if kwargs.pop("sysadmin", False) else factories.UserWithToken
    )(**kwargs)
    return {"Authorization": user["token"]}


# -- partnercity_hvd_suggest ------------------------------------------------------------------


def test_suggest_is_public_and_its_answer_is_aligned_with_the_input(app):
    items = [item(NOISE), item(LIBRARY), item(ADDRESSES)]
    answer = app.post(SUGGEST, json={"datasets": items})
    assert answer.status_code == 200, answer.body
    result = answer.json["result"]
    assert len(result) == 3
    noise, library, addresses = (entry["suggestions"] for entry in result)
    assert noise and top(noise[0]["category"]) == ENVIRONMENT, noise
    assert addresses and top(addresses[0]["category"]) == GEOSPATIAL, addresses
    assert all(s["confidence"] < 0.5 for s in library), library
    for s in noise + addresses:
        assert set(s) >= {"category", "confidence", "annex", "evidence"}
        assert 0 <= s["confidence"] <= 1 and s["annex"] and s["evidence"]
    assert noise[0]["confidence"] >= 0.5

    backwards = app.post(SUGGEST, json={"datasets": items[::-1]}).json["result"]
    assert [entry["suggestions"] for entry in backwards] == [addresses, library, noise]
    limited = app.post(SUGGEST, json={"datasets": items[:1], "limit": 1}).json["result"]
    assert limited == [{"suggestions": noise[:1]}]


def test_tags_may_come_as_package_dict_tags(app):
    as_objects = {**item(NOISE), "tags": [{"name": t} for t in item(NOISE)["tags"]]}
    plain = app.post(SUGGEST, json={"datasets": [item(NOISE)]}).json["result"]
    objects = app.post(SUGGEST, json={"datasets": [as_objects]}).json["result"]
    assert objects == plain


@pytest.mark.parametrize(
    ("datasets", "expected"),
    [
        ("noise map", "Expecting a list of objects"),
        ([{"title": "a"}, {"title": 5}], "item 1: title: Must be a string"),
        ([{"notes": "no title"}], "item 0: title: Missing value"),
        ([{"title": "a", "tags": "Lärm"}], "item 0: tags: Expecting a list of strings"),
        ([{"title": "a", "tags": ["x" * 101]}], "item 0: tags: At most 100 characters per tag"),
        ([{"title": "a", "lang": ["de"]}], "item 0: lang: Must be a string"),
        ([{"title": "x" * 1001}], "item 0: title: At most 1000 characters"),
        ([{"title": "a", "notes": "x" * 20_001}], "item 0: notes: At most 20000 characters"),
    ],
)
def test_bad_input_is_a_409_naming_the_item_and_field(app, datasets, expected):
    answer = app.post(SUGGEST, json={"datasets": datasets})
    assert answer.status_code == 409, answer.body
    assert expected in answer.json["error"]["datasets"], answer.json["error"]


def test_many_bad_items_are_listed_up_to_a_bound(app):
    answer = app.post(SUGGEST, json={"datasets": [{"title": n} for n in range(30)]})
    assert answer.status_code == 409
    lines = answer.json["error"]["datasets"]
    assert len(lines) == schema_duties.ERRORS_SHOWN + 1
    assert lines[0] == "item 0: title: Must be a string"
    assert lines[-1] == "… and 10 more"


def test_a_thousand_datasets_are_answered_and_one_more_is_refused(app):
    items = [{**item(NOISE), "title": f"Lärmkarte {n}"} for n in range(1000)]
    answer = app.post(SUGGEST, json={"datasets": items})
    assert answer.status_code == 200, answer.body[:300]
    assert len(answer.json["result"]) == 1000
    assert all(entry["suggestions"] for entry in answer.json["result"])

    refused = app.post(SUGGEST, json={"datasets": [*items, item(LIBRARY)]})
    assert refused.status_code == 409
    assert refused.json["error"]["datasets"] == ["At most 1000 datasets per request"]


def test_the_total_text_of_a_request_is_bounded(app):
    notes = "Lärm " * 3_999  # under the per-item cap
    items = [{"title": "Lärmkarte", "notes": notes}] * 101
    answer = app.post(SUGGEST, json={"datasets": items})
    assert answer.status_code == 409
    assert answer.json["error"]["datasets"] == [
        "At most 2000000 characters in all datasets together"
    ]


# -- who may see and decide -------------------------------------------------------------------


@pytest.mark.ckan_config("ckanext.partnercity.hvd.auditors", AUDITOR)
@pytest.mark.ckan_config("ckanext.partnercity.hvd.report_visibility", "public")
def test_duties_are_for_sysadmins_and_auditors_and_decisions_for_sysadmins(app, org):
    pkg = ours(org, NOISE)
    decide = {"dataset": pkg["name"], "category": ENVIRONMENT, "decision": "reject", "reason": "x"}
    headers = {
        "anonymous": {},
        "user": token(),
        "auditor": token(name=AUDITOR),
        "sysadmin": token(sysadmin=True),
    }
    expected = {
        "anonymous": (403, 403),
        "user": (403, 403),
        "auditor": (200, 403),
        "sysadmin": (200, 200),
    }
    for who, header in headers.items():
        listed = app.post("/api/3/action/partnercity_hvd_duty_list", json={}, headers=header)
        decided = app.post("/api/3/action/partnercity_hvd_duty_decide", json=decide, headers=header)
        assert (listed.status_code, decided.status_code) == expected[who], who
        page = app.get("/ckan-admin/partner-cities/hvd-duties", headers=header)
        assert page.status_code == expected[who][0], who
        if who == "auditor":
            assert "Lärmkarte Straßenverkehr" in page.body
            assert 'name="decision"' not in page.body  # read only
            assert "Only sysadmins may accept or reject" in page.body


# -- the duty list and decisions --------------------------------------------------------------


def test_duty_list_names_our_undeclared_datasets_only(org):
    noise = ours(org, NOISE)
    ours(org, LIBRARY)
    ours(org, {**ADDRESSES, "name": "adressen-hvd"}, hvd_category=[GEOSPATIAL])
    partner = register("alba-iulia", "http://127.0.0.1:9/")
    reference(
        partner,
        "alba-noise",
        "noise",
        title="Lärmkarte Straßenverkehr",
        notes=NOISE["notes"],
        resources=[{"url": "https://alba-iulia.example/noise.csv", "format": "CSV"}],
    )
    listed = call_action("partnercity_hvd_duty_list", lang="de")
    assert [c["dataset"]["name"] for c in listed] == [noise["name"]]
    best = listed[0]["suggestions"][0]
    assert top(best["category"]) == ENVIRONMENT
    assert best["confidence"] >= 0.5 and best["annex"] and best["evidence"]
    assert best["label"] in ("Lärm", "Erdbeobachtung und Umwelt")  # the label in German
    assert all(s["confidence"] >= 0.5 for s in listed[0]["suggestions"])


def test_accept_declares_the_dataset_and_the_eli_follows(org):
    pkg = ours(org, NOISE)
    category = call_action("partnercity_hvd_duty_list")[0]["suggestions"][0]["category"]
    decision = call_action(
        "partnercity_hvd_duty_decide", dataset=pkg["name"], category=category, decision="accept"
    )
    assert (decision["decision"], decision["dataset_name"]) == ("accepted", pkg["name"])
    shown = call_action("package_show", id=pkg["id"])
    assert shown["hvd_category"] == [category]
    assert shown["applicable_legislation"] == [ELI_HVD]
    assert shown["resources"][0]["applicable_legislation"] == [ELI_HVD]
    assert shown["notes"] == NOISE["notes"]  # the rest of the dataset is untouched
    assert call_action("partnercity_hvd_duty_list") == []  # declared now
    history = call_action("partnercity_hvd_duty_decision_list")
    assert [(d["dataset_id"], d["category"], d["decision"]) for d in history] == [
        (pkg["id"], category, "accepted")
    ]


def test_reject_keeps_the_reason_and_the_pair_is_not_suggested_again(org):
    pkg = ours(org, NOISE)
    suggested = call_action("partnercity_hvd_duty_list")[0]["suggestions"]
    first = suggested[0]["category"]
    with pytest.raises(tk.ValidationError) as no_reason:
        call_action(
            "partnercity_hvd_duty_decide", dataset=pkg["id"], category=first, decision="reject"
        )
    assert "reason" in no_reason.value.error_dict

    call_action(
        "partnercity_hvd_duty_decide",
        dataset=pkg["id"],
        category=first,
        decision="reject",
        reason="Only a sketch, not the strategic noise map",
    )
    shown = call_action("package_show", id=pkg["id"])
    assert not shown.get("hvd_category") and not shown.get("applicable_legislation")
    # Listed again later, after the dataset changed: the rejected category stays away.
    call_action("package_patch", id=pkg["id"], notes=NOISE["notes"] + " Stand 2024.")
    again = call_action("partnercity_hvd_duty_list")
    categories = [s["category"] for c in again for s in c["suggestions"]]
    assert first not in categories
    assert [s["category"] for s in suggested[1:] if s["confidence"] >= 0.5] == categories
    history = call_action("partnercity_hvd_duty_decision_list")
    assert [(d["decision"], d["reason"]) for d in history] == [
        ("rejected", "Only a sketch, not the strategic noise map")
    ]


def test_decisions_on_what_is_not_ours_or_not_a_category_are_refused(app, org):
    partner = register("alba-iulia", "http://127.0.0.1:9/")
    reference(partner, "alba-noise", "noise", title="Zgomot")
    pkg = ours(org, NOISE)
    headers = token(sysadmin=True)
    url = "/api/3/action/partnercity_hvd_duty_decide"
    cases = [
        ({"dataset": "alba-noise", "category": ENVIRONMENT, "decision": "accept"}, 409, "dataset"),
        ({"dataset": "nowhere", "category": ENVIRONMENT, "decision": "accept"}, 404, None),
        (
            {"dataset": pkg["name"], "category": "http://x.example/c", "decision": "accept"},
            409,
            "category",
        ),
        ({"dataset": pkg["name"], "category": AIR, "decision": "maybe"}, 409, "decision"),
        (
            {"dataset": pkg["name"], "category": AIR, "decision": "reject", "reason": " "},
            409,
            "reason",
        ),
    ]
    for data, status, field in cases:
        answer = app.post(url, json=data, headers=headers)
        assert answer.status_code == status, (data, answer.body[:300])
        if field:
            assert field in answer.json["error"], answer.json["error"]
    assert call_action("partnercity_hvd_duty_decision_list") == []
    assert not call_action("package_show", id="alba-noise").get("hvd_category")


# -- the pages -------------------------------------------------------------------------------


def test_admin_page_lists_candidates_with_forms_and_the_report_has_the_section(app, org):
    ours(org, NOISE)
    ours(org, LIBRARY)
    headers = token(sysadmin=True)
    page = app.get("/ckan-admin/partner-cities/hvd-duties", headers=headers)
    assert page.status_code == 200
    assert 'data-dataset="laermkarte"' in page.body
    assert 'data-dataset="bibliothek"' not in page.body
    assert 'value="accept"' in page.body and 'name="reason"' in page.body
    assert 'href="/ckan-admin/partner-cities/hvd-duties"' in page.body  # the tab

    german = app.get("/de/ckan-admin/partner-cities/hvd-duties", headers=headers)
    assert "HVD-Pflichten" in german.body and "Punkt des Anhangs" in german.body

    report = app.get("/hvd/report", headers=headers)
    assert report.status_code == 200
    assert "Possibly in scope, not declared" in report.body
    assert 'data-dataset="laermkarte"' in report.body
    partners = app.get("/hvd/report?scope=partners", headers=headers)
    assert "Possibly in scope, not declared" not in partners.body


@pytest.mark.ckan_config("ckanext.partnercity.hvd.auditors", AUDITOR)
def test_auditors_see_private_datasets_only_where_ckan_lets_them(org):
    auditor = factories.User(name=AUDITOR)
    ours(org, NOISE, private=True)
    ours(org, ADDRESSES)
    as_auditor = {"user": auditor["name"], "ignore_auth": False}
    seen = call_action("partnercity_hvd_duty_list", context=dict(as_auditor))
    assert [c["dataset"]["name"] for c in seen] == ["adressen"]
    everything = call_action("partnercity_hvd_duty_list")
    assert {c["dataset"]["name"] for c in everything} == {"adressen", "laermkarte"}
    assert [
        c["dataset"]["private"] for c in everything if c["dataset"]["name"] == "laermkarte"
    ] == [True]
