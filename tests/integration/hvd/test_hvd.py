"""HVD checks in CKAN on the real stack: schema fields, stored runs, report, RDF export."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import ckan.plugins.toolkit as tk
import pytest
import rdflib
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action
from rdflib.namespace import DCAT, RDF

from ckanext.partnercity import settings
from ckanext.partnercity.hvd import checks
from ckanext.partnercity.hvd.rules.model import ELI_HVD
from ckanext.partnercity.hvd.rules.vocabulary import hvd_vocabulary_path
from tests.integration.harvest_support import register

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

ROOT = Path(__file__).resolve().parents[3]
SHAPES = ROOT / "tests" / "fixtures" / "hvd" / "shacl-3.0.0"
AIR = "http://data.europa.eu/bna/c_63b37dd4"  # Earth observation and environment / Air
METEO = "http://data.europa.eu/bna/c_164e0bf5"  # Meteorological
CCBY = "http://creativecommons.org/licenses/by/4.0/"
CONTACT = [{"name": "Open data team", "email": "opendata@example.org"}]


def _service(**extra) -> dict:
    svc = {
        "title": "Air quality API",
        "endpoint_url": ["https://example.org/api/air"],
        "endpoint_description": "https://example.org/api/air/openapi.json",
        "documentation": ["https://example.org/api/air/docs"],
        "license": CCBY,
        "contact": CONTACT,
    }
    svc.update(extra)
    return svc


def compliant(org: str, name: str = "air-quality", category: str = AIR, **extra) -> dict:
    """An own dataset that meets every violation-severity metadata rule."""
    data = {
        "name": name,
        "title": "Luftqualität: Messstationen",
        "title_en": "Air quality: measuring stations",
        "notes": "Stündliche Messwerte",
        "notes_en": "Hourly measurements",
        "owner_org": org,
        "license_id": "cc-by",
        "hvd_category": [category],
        "contact": CONTACT,
        "documentation": ["https://example.org/docs/air"],
        "resources": [
            {
                "url": "https://example.org/air.csv",
                "download_url": "https://example.org/air.csv",
                "name": "Bulk download",
                "format": "CSV",
                "license": CCBY,
            },
            {
                "url": "https://example.org/api/air",
                "access_url": "https://example.org/api/air",
                "name": "API",
                "format": "JSON",
                "license": CCBY,
                "access_services": [_service()],
            },
        ],
    }
    data.update(extra)
    return data


@pytest.fixture
def org():
    return factories.Organization(name="umweltamt")["id"]


def _create(data: dict) -> dict:
    return call_action("package_create", **data)


# -- schema fields ----------------------------------------------------------------


def test_a_category_puts_the_eli_on_dataset_distributions_and_services(org):
    pkg = _create(compliant(org))
    assert pkg["hvd_category"] == [AIR]
    assert pkg["applicable_legislation"] == [ELI_HVD]
    for res in pkg["resources"]:
        assert res["applicable_legislation"] == [ELI_HVD]
    service = pkg["resources"][1]["access_services"][0]
    assert service["applicable_legislation"] == [ELI_HVD]
    assert service["hvd_category"] == [AIR]  # taken from the dataset


def test_without_a_category_nothing_is_added(org):
    data = compliant(org, hvd_category=[])
    pkg = _create(data)
    assert not pkg.get("hvd_category")
    assert not pkg.get("applicable_legislation")
    assert not pkg["resources"][0].get("applicable_legislation")


def test_a_category_outside_the_hvd_vocabulary_is_refused(org):
    with pytest.raises(tk.ValidationError) as refused:
        _create(compliant(org, hvd_category=["http://data.europa.eu/bna/c_nonexistent"]))
    assert "Not an HVD category" in str(refused.value.error_dict["hvd_category"])


def test_category_choices_come_from_the_vocabulary_in_the_ui_language(app, org):
    from ckanext.partnercity.hvd.fields import category_label, partnercity_hvd_category_choices

    choices = partnercity_hvd_category_choices()
    assert len(choices) == 96
    assert {c["value"] for c in choices} >= {AIR, METEO}
    assert category_label(AIR, "de") == "Luft"
    assert category_label(AIR, "en") == "Air"
    page = app.get("/de/dataset/new", headers=_sysadmin_env())
    assert "Erdbeobachtung und Umwelt" in page.body


def _sysadmin_env() -> dict:
    admin = factories.SysadminWithToken()
    return {"Authorization": admin["token"]}


# -- checks and stored runs -------------------------------------------------------


def _three_datasets(org: str) -> dict[str, dict]:
    good = _create(compliant(org))
    bad_data = compliant(org, name="weather-stations", category=METEO)
    for res in bad_data["resources"]:
        res.pop("license")
    bad_data["license_id"] = ""
    bad = _create(bad_data)
    out = _create(compliant(org, name="benches", hvd_category=[]))
    return {"good": good, "bad": bad, "out": out}


def test_check_covers_datasets_in_scope_and_names_the_failed_rules(org):
    ds = _three_datasets(org)
    run = call_action("partnercity_hvd_check")
    assert run["status"] == "succeeded"
    assert run["summary"]["in_scope"] == 2
    # no violation, but free of charge and the Annex attributes wait for an attestation
    assert run["summary"]["needs_attestation"] == 1
    assert run["summary"]["compliant"] == 0
    assert run["summary"]["non_compliant"] == 1

    report = call_action("partnercity_hvd_report", format="json")["report"]
    by_name = {d["ckan_name"]: d for d in report["datasets"]}
    assert set(by_name) == {"air-quality", "weather-stations"}  # benches is out of scope
    assert by_name["air-quality"]["status"] == "needs_attestation"
    bad = by_name["weather-stations"]
    assert bad["status"] == "non_compliant"
    failed = {r["rule"] for r in bad["results"] if r["outcome"] == "fail"}
    assert "hvd.distribution.legal" in failed  # no licence or rights on the distributions
    assert bad["ckan_id"] == ds["bad"]["id"]


def test_check_of_named_datasets_includes_out_of_scope_ones(org):
    ds = _three_datasets(org)
    run = call_action("partnercity_hvd_check", ids=[ds["out"]["name"], ds["good"]["id"]])
    assert run["summary"]["datasets"] == 2
    report = call_action("partnercity_hvd_report", run_id=run["id"])["report"]
    status = {d["ckan_name"]: d["status"] for d in report["datasets"]}
    assert status == {"benches": "out_of_scope", "air-quality": "needs_attestation"}


def test_runs_are_kept_and_the_report_draws_the_trend(org):
    ds = _three_datasets(org)
    first = call_action("partnercity_hvd_check")
    fixed = call_action("package_patch", id=ds["bad"]["id"], license_id="cc-by")
    for res in fixed["resources"]:
        call_action("resource_patch", id=res["id"], license=CCBY)
    second = call_action("partnercity_hvd_check")
    assert second["summary"]["needs_attestation"] == 2
    assert (first["summary"]["non_compliant"], second["summary"]["non_compliant"]) == (1, 0)
    runs = call_action("partnercity_hvd_run_list")
    assert [r["id"] for r in runs] == [second["id"], first["id"]]
    assert "report" not in runs[0]
    html = call_action("partnercity_hvd_report", format="html")["content"]
    assert "Trend over check runs" in html
    # fully compliant needs recorded attestations: none yet, so 0 in both runs
    assert "% compliant per run: 0, 0" in html
    # the earlier run's report is still there, unchanged
    old = call_action("partnercity_hvd_report", run_id=first["id"], format="json")
    assert old["report"]["summary"]["needs_attestation"] == 1


def test_csv_and_json_downloads_hold_every_result(app, org):
    _three_datasets(org)
    call_action("partnercity_hvd_check")
    env = _sysadmin_env()
    answer = app.get("/hvd/report.csv", headers=env)
    assert answer.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.body)))
    assert {r["title"] for r in rows} == {"Air quality: measuring stations"}  # English first
    assert {r["status"] for r in rows} == {"needs_attestation", "non_compliant"}
    assert all(r["rule"] and r["outcome"] in ("pass", "fail", "n/a", "attest") for r in rows)
    assert "attested_by" in rows[0]
    doc = json.loads(app.get("/hvd/report.json", headers=env).body)
    assert len(doc["datasets"]) == 2
    assert sum(len(d["results"]) for d in doc["datasets"]) == len(rows)


def test_partner_text_in_the_report_is_escaped(app, org):
    _create(compliant(org, title_en='<script>alert("hvd")</script>'))
    call_action("partnercity_hvd_check")
    body = app.get("/hvd/report", headers=_sysadmin_env()).body
    assert '<script>alert("hvd")</script>' not in body
    assert "&lt;script&gt;" in body


# -- who sees the report ----------------------------------------------------------


def test_report_is_for_auditors_by_default(app, org):
    _create(compliant(org))
    call_action("partnercity_hvd_check")
    assert app.get("/hvd/report", status=403)
    user = factories.UserWithToken()
    app.get("/hvd/report", headers={"Authorization": user["token"]}, status=403)
    page = app.get("/hvd/report", headers=_sysadmin_env())
    assert "Air quality: measuring stations" in page.body
    with pytest.raises(tk.NotAuthorized):
        call_action("partnercity_hvd_report", context={"user": user["name"], "ignore_auth": False})


@pytest.mark.ckan_config("ckanext.partnercity.hvd.auditors", "auditor-anna")
def test_named_auditors_read_the_report_but_cannot_run_checks(app, org):
    _create(compliant(org))
    call_action("partnercity_hvd_check")
    anna = factories.UserWithToken(name="auditor-anna")
    env = {"Authorization": anna["token"]}
    assert "Air quality: measuring stations" in app.get("/hvd/report", headers=env).body
    ctx = {"user": "auditor-anna", "ignore_auth": False}
    assert call_action("partnercity_hvd_run_list", context=dict(ctx))
    with pytest.raises(tk.NotAuthorized):
        call_action("partnercity_hvd_check", context=dict(ctx))
    app.post("/hvd/check", data={"scope": "own"}, headers=env, status=403)


@pytest.mark.ckan_config("ckanext.partnercity.hvd.report_visibility", "public")
def test_a_public_report_is_open_to_everyone(app, org):
    _create(compliant(org))
    call_action("partnercity_hvd_check")
    page = app.get("/hvd/report")
    assert "Air quality: measuring stations" in page.body
    assert "Check now" not in page.body  # the button is for sysadmins
    assert app.get("/hvd/report.csv").headers["Content-Type"].startswith("text/csv")


def test_report_page_before_any_run_says_so(app):
    page = app.get("/hvd/report", headers=_sysadmin_env())
    assert "No HVD check has run yet" in page.body


# -- background checks ----------------------------------------------------------


def test_background_check_runs_on_the_worker(org, ckan_cli):
    _create(compliant(org))
    queued = call_action("partnercity_hvd_check", background=True)
    assert queued["status"] == "queued"
    assert queued["job_id"]
    worker = ckan_cli("jobs", "worker", "--burst")
    assert worker.returncode == 0, worker.stderr[-2000:]
    model.Session.expire_all()
    runs = call_action("partnercity_hvd_run_list")
    assert runs[0]["id"] == queued["id"]
    assert runs[0]["status"] == "succeeded"
    assert runs[0]["summary"]["needs_attestation"] == 1


def test_probe_checks_go_to_the_queue_by_default(org):
    _create(compliant(org))
    run = call_action("partnercity_hvd_check", probe=True)
    assert run["status"] == "queued"
    assert run["probe"] is True


def test_probes_go_out_through_the_portal_client():
    prober = checks.probe_with_portal_client()
    assert prober.client.user_agent == settings.user_agent()
    assert prober.client.allow_private == settings.allow_private_urls()
    assert prober.client.max_bytes == settings.max_response_bytes()


# -- partners ---------------------------------------------------------------------


def test_partner_references_are_checked_and_compared_per_partner(org):
    partner = register("alba-iulia", "http://127.0.0.1:9/")
    ref = {
        "type": "partner_dataset",
        "owner_org": partner["id"],
        "partner_identifier": "aq-1",
        "partner_landing_page": "https://alba-iulia.example/dataset/aq",
        "hvd_category": [AIR],
        "applicable_legislation": [ELI_HVD],
        "resources": [{"url": "https://alba-iulia.example/aq.csv", "format": "CSV"}],
    }
    _create({**ref, "name": "alba-aq", "title": "Calitatea aerului"})
    _create(
        {
            **ref,
            "name": "alba-buses",
            "title": "Autobuze",
            "hvd_category": [],
            "applicable_legislation": [],
        }
    )
    _create(compliant(org))
    run = call_action("partnercity_hvd_check", scope="partners")
    assert run["summary"]["datasets"] == 1
    assert run["summary"]["partners"] == [
        {
            "name": "alba-iulia",
            "title": partner["title"],
            "datasets": 1,
            "in_scope": 1,
            "compliant": 0,
            "needs_attestation": 0,
            "percent_compliant": 0.0,
        }
    ]
    ours = call_action("partnercity_hvd_check")
    assert ours["summary"]["datasets"] == 1  # partners' references never count as ours
    with pytest.raises(tk.ValidationError):
        call_action("partnercity_hvd_report", scope="partners", format="ttl")


# -- DCAT-AP HVD RDF for Art. 5 reporting --------------------------------------------


def _pyshacl(data: rdflib.Graph) -> tuple[bool, set[str]]:
    import pyshacl
    from rdflib.namespace import SH

    graph = rdflib.Graph()
    for triple in data:
        graph.add(triple)
    graph.parse(hvd_vocabulary_path(), format="xml")
    shapes = rdflib.Graph()
    for name in ("hvd-SHACL-base.ttl", "hvd-SHACL-usagenotes.ttl", "hvd-SHACL-ranges.ttl"):
        shapes.parse(SHAPES / name, format="turtle")
    conforms, report, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    focus = {
        str(report.value(r, SH.focusNode))
        for r in report.subjects(RDF.type, SH.ValidationResult)
        if report.value(r, SH.resultSeverity) == SH.Violation
    }
    return conforms, focus


def test_rdf_export_holds_only_in_scope_datasets_and_passes_the_official_shapes(app, org):
    _create(compliant(org))
    _create(compliant(org, name="weather", category=METEO, title="Wetter"))
    _create(compliant(org, name="benches", hvd_category=[]))
    turtle = app.get("/hvd/report.ttl", headers=_sysadmin_env()).body
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 2
    titles = {str(t) for d in datasets for t in graph.objects(d, rdflib.DCTERMS.title)}
    assert "Air quality: measuring stations" in titles and "Wetter" in titles
    assert len(set(graph.subjects(RDF.type, DCAT.DataService))) == 2
    conforms, focus = _pyshacl(graph)
    assert conforms, focus


def test_rdf_export_of_a_non_compliant_dataset_fails_the_shapes_where_the_check_does(app, org):
    data = compliant(org)
    data["resources"][1]["access_services"] = [_service(contact=[], documentation=[])]
    _create(data)
    run = call_action("partnercity_hvd_check")
    assert run["summary"]["non_compliant"] == 1
    turtle = call_action("partnercity_hvd_report", format="ttl")["content"]
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    conforms, focus = _pyshacl(graph)
    assert not conforms
    service = next(graph.subjects(RDF.type, DCAT.DataService))
    assert str(service) in focus


# -- CLI --------------------------------------------------------------------------


def test_cli_check_and_report(org, ckan_cli, tmp_path):
    _create(compliant(org))
    checked = ckan_cli("partnercity", "hvd", "check")
    assert checked.returncode == 0, checked.stderr[-2000:]
    assert (
        "1 datasets in HVD scope: 0 compliant, 1 need attestation, 0 non-compliant"
        in checked.stdout
    )
    out = tmp_path / "report.html"
    written = ckan_cli("partnercity", "hvd", "report", "--format", "html", "-o", str(out))
    assert written.returncode == 0, written.stderr[-2000:]
    assert "HVD compliance report" in out.read_text()
    ttl = ckan_cli("partnercity", "hvd", "report", "--format", "ttl")
    assert ttl.returncode == 0, ttl.stderr[-2000:]
    graph = rdflib.Graph().parse(data=ttl.stdout, format="turtle")
    assert len(set(graph.subjects(RDF.type, DCAT.Dataset))) == 1
    runs = ckan_cli("partnercity", "hvd", "runs")
    assert runs.stdout.count("succeeded") == 1


# -- admin tab --------------------------------------------------------------------


def test_admin_tab_shows_the_latest_checks_and_queues_a_new_one(app, org):
    _three_datasets(org)
    app.get("/ckan-admin/partner-cities/hvd", status=403)
    env = _sysadmin_env()
    empty = app.get("/ckan-admin/partner-cities/hvd", headers=env).body
    assert empty.count("No HVD check has run yet") == 2
    call_action("partnercity_hvd_check")
    page = app.get("/ckan-admin/partner-cities/hvd", headers=env).body
    assert "2 in HVD scope, 0 compliant, 1 not compliant" in page
    assert "(0.0&nbsp;%)" in page and "1 need an attestation." in page
    assert "Meteorological" in page and "Earth observation and environment" in page
    assert 'href="/hvd/report?scope=own"' in page
    queued = app.post(
        "/hvd/check", data={"scope": "own", "return_to": "admin"}, headers=env,
        follow_redirects=False,
    )  # fmt: skip
    assert queued.headers["Location"].endswith("/ckan-admin/partner-cities/hvd")
    runs = call_action("partnercity_hvd_run_list")
    assert runs[0]["status"] == "queued"
