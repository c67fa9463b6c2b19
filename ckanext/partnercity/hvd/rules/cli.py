"""``partnercity-hvd``: the standalone HVD checker for any DCAT-AP catalogue (no CKAN).

partnercity-hvd check PATH_OR_URL [--rule-set dcat-ap-hvd-3.0.0] [--only-shapes]
                      [--attestations FILE] [--format json|csv|html] [-o FILE]
partnercity-hvd duties CATALOGUE [--format json|csv|html] [-o FILE] [--min-confidence X]
"""

from __future__ import annotations

import functools
import gc
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ckanext.partnercity.harvesters.urls import is_http_url

from .attestations import AttestationError, load_file
from .engine import (
    DEFAULT_RULE_SET,
    RULE_SETS,
    RuleError,
    check_catalogue,
    in_scope,
    known_rule_ids,
    select_rules,
)
from .eu_reporting import country_uri, default_country, is_member_state
from .loaders import LoadError, load
from .parse_errors import one_line
from .report import RENDERERS

if TYPE_CHECKING:  # the HTTP client (requests, urllib3) is imported when a URL needs it
    from ckanext.partnercity.harvesters.http import HttpClient

ACCEPT = (
    "text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.8, "
    "application/n-triples;q=0.7, application/json;q=0.5"
)


#: Probes wait at most this long per request, whatever --timeout allows the catalogue download.
PROBE_TIMEOUT = 30.0


def _client(timeout: float, allow_private: bool) -> HttpClient:
    """One client for the catalogue and the probes: same URL policy, redirects and retries."""
    from ckanext.partnercity.harvesters.http import HttpClient

    return HttpClient(timeout=timeout, allow_private=allow_private, retries=1)


def _read(source: str, client: Callable[[], HttpClient]) -> tuple[bytes, str, str]:
    """The catalogue's bytes, name and media type; the client is made for a URL only."""
    if is_http_url(source):
        from ckanext.partnercity.harvesters.base import HarvestError

        try:
            response = client().get(source, accept=ACCEPT)
        except HarvestError as exc:
            raise click.ClickException(f"cannot fetch {source}: {exc}") from None
        return response.content, response.url, response.content_type
    path = Path(source)
    if not path.is_file():
        raise click.ClickException(f"no such file: {source}")
    return path.read_bytes(), str(path), ""


def json_bytes(report: dict, pretty: bool) -> bytes:
    """The JSON report as UTF-8; orjson writes a 5,000-dataset report (20 MB) in a tenth of
    the time the json module takes, the same document (the renderer is the fallback)."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - a dependency; kept working without it
        return RENDERERS["json"](report, pretty).encode("utf-8")
    option = orjson.OPT_NON_STR_KEYS | (orjson.OPT_INDENT_2 if pretty else 0)
    return orjson.dumps(report, option=option)


def _write(output: str, text: str | bytes) -> None:
    if isinstance(text, bytes):
        Path(output).write_bytes(text)
    else:
        Path(output).write_text(text, encoding="utf-8")


def _country(value: str | None) -> str | None:
    if value and not is_member_state(country_uri(value) or ""):
        raise click.BadParameter(f"{value!r} is not an EU Member State code of the country NAL")
    return value


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
@click.option(
    "--country",
    callback=lambda ctx, param, value: _country(value),
    help="EU reporting view: the Member State (e.g. DEU) the catalogue reports for, where "
    "the catalogue names no dct:spatial itself (CKAN JSON always).",
)
def check(
    source, rule_set, only_shapes, probe, probe_interval, fmt, output, lang, allow_private,
    timeout, pretty, fail_on_violation, attestations_file, country,
):  # fmt: skip
    """Check the DCAT-AP catalogue (RDF or CKAN JSON) at PATH_OR_URL."""
    # The model and report are large and (nearly) acyclic: the cyclic collector would only
    # rescan them (about 5 % of a 5,000-dataset run). Back on when the command ends.
    if gc.isenabled():
        gc.disable()
        click.get_current_context().call_on_close(gc.enable)
    attestations = _attestations(attestations_file)
    client = functools.cache(lambda: _client(timeout, allow_private))
    data, name, media_type = _read(source, client)
    try:
        catalogue = load(data, name=name, media_type=media_type)
        default_country(catalogue, country)
        prober = None
        if probe:
            from .probes import Prober

            # The probe timeout only shortens the client's.
            prober = Prober(client=client(), timeout=PROBE_TIMEOUT, min_interval=probe_interval)
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
    except Exception as exc:  # noqa: BLE001 - bad input is a one-line error, never a traceback
        raise click.ClickException(
            one_line(f"{name}: could not be checked ({type(exc).__name__}: {exc})")
        ) from None
    if not report["catalogue"]:
        report["catalogue"] = name
    _note_attestations(report["summary"]["attestations"])
    if fmt == "html":
        text = RENDERERS[fmt](report, lang)
    elif fmt == "json":
        if pretty is None:
            pretty = not output and sys.stdout.isatty()
        text = json_bytes(report, pretty)
    else:
        text = RENDERERS[fmt](report)
    if output:
        _write(output, text)
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


@main.command("duties")
@click.argument("source", metavar="CATALOGUE")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv", "html"]), default="json", show_default=True
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here, not stdout.")
@click.option(
    "--min-confidence",
    type=click.FloatRange(0.0, 1.0),
    default=0.5,
    show_default=True,
    help="List a suggestion only from this confidence on (0.5 reads 'probably in scope').",
)
@click.option("--limit", type=click.IntRange(1, 10), default=3, show_default=True,
              help="Suggestions per dataset.")  # fmt: skip
@click.option("--allow-private", is_flag=True, help="Allow private/loopback URLs (tests, demo).")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="HTTP timeout (s).")
def duties(source, fmt, output, min_confidence, limit, allow_private, timeout):
    """List datasets of CATALOGUE (path or URL; DCAT RDF or CKAN JSON) that are not declared
    HVD but probably are: HVD category, confidence, Annex item and the words that matched."""
    from ckanext.partnercity.hvd.duties.catalogue import candidates
    from ckanext.partnercity.hvd.duties.render import RENDERERS as DUTY_RENDERERS

    data, name, media_type = _read(source, lambda: _client(timeout, allow_private))
    try:
        catalogue = load(data, name=name, media_type=media_type)
    except LoadError as exc:
        raise click.ClickException(str(exc)) from None
    rows = candidates(catalogue, min_confidence=min_confidence, limit=limit)
    declared = sum(1 for r in catalogue.datasets if in_scope(r))
    result = {
        "catalogue": catalogue.uri or name,
        "datasets": len(catalogue.datasets),
        "declared_hvd": declared,
        "undeclared": len(catalogue.datasets) - declared,
        "min_confidence": min_confidence,
        "candidates": rows,
    }
    text = DUTY_RENDERERS[fmt](result)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(
            f"{result['datasets']} datasets, {declared} declared HVD, {len(rows)} possibly in "
            f"scope → {output}",
            err=True,
        )
    else:
        click.echo(text)


@main.command("rules")
@click.option("--rule-set", type=click.Choice(RULE_SETS), default=DEFAULT_RULE_SET)
@click.option("--only-shapes", is_flag=True)
def list_rules(rule_set, only_shapes):
    """List the rules of a rule set (id, severity, kind, legal source)."""
    for rule in select_rules(rule_set, only_shapes=only_shapes, probes=True):
        click.echo(f"{rule.id}\t{rule.severity}\t{rule.kind}\t{rule.source}")


if __name__ == "__main__":  # pragma: no cover
    main()
