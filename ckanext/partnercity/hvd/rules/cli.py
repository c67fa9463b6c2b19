"""``partnercity-hvd``: the standalone HVD checker for any DCAT-AP catalogue (no CKAN).

partnercity-hvd check PATH_OR_URL [--rule-set dcat-ap-hvd-3.0.0] [--only-shapes]
                      [--attestations FILE] [--format json|csv|html] [-o FILE]
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ckanext.partnercity.harvesters.base import HarvestError
from ckanext.partnercity.harvesters.http import HttpClient
from ckanext.partnercity.harvesters.urls import is_http_url

from .attestations import AttestationError, load_file
from .engine import (
    DEFAULT_RULE_SET,
    RULE_SETS,
    RuleError,
    check_catalogue,
    known_rule_ids,
    select_rules,
)
from .loaders import LoadError, load
from .probes import Prober
from .report import RENDERERS

ACCEPT = (
    "text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.8, "
    "application/n-triples;q=0.7, application/json;q=0.5"
)


#: Probes wait at most this long per request, whatever --timeout allows the catalogue download.
PROBE_TIMEOUT = 30.0


def _read(source: str, client: HttpClient) -> tuple[bytes, str, str]:
    if is_http_url(source):
        try:
            response = client.get(source, accept=ACCEPT)
        except HarvestError as exc:
            raise click.ClickException(f"cannot fetch {source}: {exc}") from None
        return response.content, response.url, response.content_type
    path = Path(source)
    if not path.is_file():
        raise click.ClickException(f"no such file: {source}")
    return path.read_bytes(), str(path), ""


@click.group()
def main() -> None:
    """Check High-Value Datasets (Implementing Regulation (EU) 2023/138, DCAT-AP HVD)."""


@main.command()
@click.argument("source", metavar="PATH_OR_URL")
@click.option(
    "--rule-set",
    type=click.Choice(RULE_SETS),
    default=DEFAULT_RULE_SET,
    show_default=True,
    help="DCAT-AP HVD version whose rules apply.",
)
@click.option("--only-shapes", is_flag=True, help="Only rules mirroring the official SHACL shapes.")
@click.option(
    "--probe",
    is_flag=True,
    help="Also run live probes (API answers, downloads, documentation): network requests, "
    "rate-limited per host, cached per URL.",
)
@click.option(
    "--probe-interval",
    type=float,
    default=1.0,
    show_default=True,
    help="Seconds between probe requests to the same host.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(RENDERERS)),
    default="json",
    show_default=True,
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here, not stdout.")
@click.option("--lang", type=click.Choice(["en", "de"]), default="en", help="HTML report language.")
@click.option("--allow-private", is_flag=True, help="Allow private/loopback URLs (tests, demo).")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="HTTP timeout (s).")
@click.option(
    "--pretty/--compact",
    default=None,
    help="JSON layout (default: pretty on a terminal, compact into files and pipes).",
)
@click.option("--fail-on-violation", is_flag=True, help="Exit 1 if a dataset is non-compliant.")
@click.option(
    "--attestations",
    "attestations_file",
    type=click.Path(dir_okay=False),
    help="YAML or JSON list of recorded attestations (dataset, rule, by, at, evidence_url, "
    "note); they settle open 'attest' items, never a violation the metadata shows.",
)
def check(
    source, rule_set, only_shapes, probe, probe_interval, fmt, output, lang, allow_private,
    timeout, pretty, fail_on_violation, attestations_file,
):  # fmt: skip
    """Check the DCAT-AP catalogue (RDF or CKAN JSON) at PATH_OR_URL."""
    attestations = _attestations(attestations_file)
    # One client for the catalogue and the probes: same URL policy, redirects and retries.
    client = HttpClient(timeout=timeout, allow_private=allow_private, retries=1)
    data, name, media_type = _read(source, client)
    try:
        catalogue = load(data, name=name, media_type=media_type)
        prober = None
        if probe:
            # The probe timeout only shortens the client's.
            prober = Prober(client=client, timeout=PROBE_TIMEOUT, min_interval=probe_interval)
        report = check_catalogue(
            catalogue,
            rule_set=rule_set,
            only_shapes=only_shapes,
            probes=probe,
            prober=prober,
            attestations=attestations,
        )
    except (LoadError, RuleError) as exc:
        raise click.ClickException(str(exc)) from None
    if not report["catalogue"]:
        report["catalogue"] = name
    _note_attestations(report["summary"]["attestations"])
    if fmt == "html":
        text = RENDERERS[fmt](report, lang)
    elif fmt == "json":
        if pretty is None:
            pretty = not output and sys.stdout.isatty()
        text = RENDERERS[fmt](report, pretty)
    else:
        text = RENDERERS[fmt](report)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        s = report["summary"]
        click.echo(
            f"{s['datasets']} datasets, {s['in_scope']} in scope, {s['compliant']} compliant, "
            f"{s['needs_attestation']} need attestation, {s['non_compliant']} non-compliant "
            f"→ {output}",
            err=True,
        )
    else:
        click.echo(text)
    if fail_on_violation and report["summary"]["non_compliant"]:
        sys.exit(1)


def _attestations(path: str | None) -> list[dict]:
    """The attestation file, validated before anything is fetched (exit 2 when bad)."""
    if not path:
        return []
    try:
        return load_file(path, known_rule_ids())
    except AttestationError as exc:
        raise click.BadParameter(str(exc), param_hint="--attestations") from None


def _note_attestations(counts: dict) -> None:
    """Say on stderr which attestations were not applied, so none is lost unnoticed."""
    if counts["ignored"]:
        click.echo(
            f"{counts['ignored']} attestation(s) ignored: the metadata shows a violation, "
            "which an attestation cannot override (see 'ignored_attestation' in the report)",
            err=True,
        )
    for a in counts["unused"]:
        click.echo(f"attestation not used: {a['rule']} on {a['dataset']} ({a['reason']})", err=True)


@main.command("rules")
@click.option("--rule-set", type=click.Choice(RULE_SETS), default=DEFAULT_RULE_SET)
@click.option("--only-shapes", is_flag=True)
def list_rules(rule_set, only_shapes):
    """List the rules of a rule set (id, severity, kind, legal source)."""
    for rule in select_rules(rule_set, only_shapes=only_shapes, probes=True):
        click.echo(f"{rule.id}\t{rule.severity}\t{rule.kind}\t{rule.source}")


if __name__ == "__main__":  # pragma: no cover
    main()
