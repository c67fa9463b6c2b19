"""``ckan partnercity hvd ...``: HVD checks and reports of the portal (the standalone checker
for any catalogue is ``partnercity-hvd``)."""

from __future__ import annotations

from pathlib import Path

import click

from ckanext.partnercity.cli.output import call, echo_json, fail
from ckanext.partnercity.hvd.rules.engine import DEFAULT_RULE_SET, RULE_SETS
from ckanext.partnercity.hvd.rules.report import to_json


@click.group()
def hvd() -> None:
    """High-Value Dataset checks (Regulation (EU) 2023/138) and the auditor report."""


@hvd.command("check")
@click.argument("ids", nargs=-1)
@click.option("--partners", is_flag=True, help="Check partner references instead of ours.")
@click.option("--probe", is_flag=True, help="Also probe API, download and documentation URLs.")
@click.option(
    "--rule-set", type=click.Choice(RULE_SETS), default=DEFAULT_RULE_SET, show_default=True
)
@click.option("--background", is_flag=True, help="Enqueue for `ckan jobs worker`.")
@click.option("--json", "as_json", is_flag=True, help="Print the run as JSON.")
def hvd_check(ids, partners, probe, rule_set, background, as_json) -> None:
    """Check IDS (default: every dataset in HVD scope) and store the run."""
    data = {
        "ids": list(ids),
        "scope": "partners" if partners else "own",
        "probe": probe,
        "rule_set": rule_set,
        "background": background,
    }
    try:
        run = call("partnercity_hvd_check", data)
    except Exception as exc:  # noqa: BLE001 - shown to the user, exit 1
        fail(exc)
    if as_json:
        echo_json(run)
        return
    if run["status"] == "queued":
        click.echo(f"HVD check {run['id']} queued (job {run['job_id']})")
        return
    if run["status"] != "succeeded":
        click.secho(f"HVD check {run['id']} {run['status']}: {run['error']}", fg="red", err=True)
        raise SystemExit(1)
    s = run["summary"]
    click.echo(
        f"{s['in_scope']} datasets in HVD scope: {s['compliant']} compliant, "
        f"{s.get('needs_attestation', 0)} need attestation, "
        f"{s['non_compliant']} non-compliant (run {run['id']})"
    )
    for row in s["categories"]:
        click.echo(f"  {row['label']}: {row['compliant']}/{row['in_scope']} compliant")


@hvd.command("report")
@click.option("--partners", is_flag=True, help="The report over partner references.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "csv", "json", "ttl", "jsonld", "rdf"]),
    default="html",
    show_default=True,
    help="ttl/jsonld/rdf: DCAT-AP HVD RDF of our in-scope datasets (Art. 5 reporting).",
)
@click.option("--run", "run_id", help="A run id (default: the latest finished run).")
@click.option("--lang", type=click.Choice(["en", "de"]), default="en", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here, not stdout.")
def hvd_report(partners, fmt, run_id, lang, output) -> None:
    """Write the latest (or a given) check run's report."""
    data = {"scope": "partners" if partners else "own", "format": fmt, "lang": lang}
    if run_id:
        data["run_id"] = run_id
    try:
        result = call("partnercity_hvd_report", data)
    except Exception as exc:  # noqa: BLE001
        fail(exc)
    text = to_json(result["report"]) if fmt == "json" else result["content"]
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text)


@hvd.command("runs")
@click.option("--partners", is_flag=True)
@click.option("--limit", type=int, default=20, show_default=True)
def hvd_runs(partners, limit) -> None:
    """List check runs, newest first."""
    runs = call(
        "partnercity_hvd_run_list", {"scope": "partners" if partners else "own", "limit": limit}
    )
    for run in runs:
        s = run["summary"] or {}
        click.echo(
            f"{run['id']}  {run['status']:<9} {run['queued_at']}  "
            f"{s.get('compliant', '-')}/{s.get('in_scope', '-')} compliant"
        )
