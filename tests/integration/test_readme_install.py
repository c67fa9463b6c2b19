"""The README's "Install into an existing CKAN" recipe gives a working portal: a ckan.ini made
from exactly its ini snippet (on the test database), then exactly its commands."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.integration.conftest import ROOT, run_ckan

README = ROOT / "README.md"
SECTION = "## Install into an existing CKAN"
ELI_HVD = "http://data.europa.eu/eli/reg_impl/2023/138/oj"
AIR = "http://data.europa.eu/bna/c_63b37dd4"  # Earth observation and environment / Air


def _section() -> str:
    text = README.read_text()
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    return text[start : end if end > 0 else None]


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", _section(), flags=re.S)


def _readme_ini(tmp_path: Path, base: Path) -> Path:
    """The run's ini (test.ini) for the services (database, Solr, Redis, secrets, logging);
    every option the README's snippet sets (plugins, schemas, presets) from the README alone."""
    (snippet,) = _blocks("ini")
    snippet = snippet.replace(" ... ", " ")
    keys = {line.split("=", 1)[0].strip() for line in snippet.splitlines() if "=" in line}
    lines, skipping = [], False
    for line in base.read_text().splitlines():
        if skipping and line[:1].isspace() and line.strip():
            continue  # a continuation line of an option the README replaces
        skipping = "=" in line and line.split("=", 1)[0].strip() in keys
        if not skipping:
            lines.append(line)
            if line.strip() == "[app:main]":
                lines.append(snippet)
    ini = tmp_path / "ckan.ini"
    ini.write_text("\n".join(lines) + "\n")
    return ini


def _readme_commands() -> list[list[str]]:
    """The README's ``ckan -c … ARGS`` lines as ARGS (comments dropped)."""
    commands = []
    for line in "\n".join(_blocks("bash")).splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("ckan -c "):
            commands.append(line.split()[3:])
    return commands


PROBE = textwrap.dedent(
    """
    import json, sys
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    import ckan.plugins.toolkit as tk

    app = make_app(load_config(sys.argv[1]))
    with app._wsgi_app.test_request_context():
        context = {"ignore_auth": True,
                   "user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
        schema = tk.get_action("scheming_dataset_schema_show")(context, {"type": "dataset"})
        org = tk.get_action("organization_create")(context, {"name": "readme-city"})
        pkg = tk.get_action("package_create")(context, {
            "name": "readme-air", "title": "Air", "notes": "Air quality",
            "owner_org": org["id"], "hvd_category": [sys.argv[2]],
            "resources": [{"url": "https://example.org/air.csv", "format": "CSV"}],
        })
        print(json.dumps({
            "fields": [f["field_name"] for f in schema["dataset_fields"]],
            "legislation": pkg.get("applicable_legislation"),
        }))
    """
)


@pytest.mark.usefixtures("clean_db")
def test_the_readme_recipe_gives_a_portal_with_hvd_fields(tmp_path, request):
    # The services of the ini this run was given (test.ini, or another CKAN version's).
    ini = _readme_ini(tmp_path, Path(request.config.getoption("--ckan-ini")).resolve())
    commands = _readme_commands()
    assert ["db", "upgrade", "-p", "partnercity"] in commands
    for args in commands:
        result = run_ckan(*args, ini=ini)
        assert result.returncode == 0, (args, result.stderr[-2000:])

    status = run_ckan("partnercity", "status", "--json", ini=ini)
    assert status.returncode == 0, status.stderr[-2000:]
    state = json.loads(status.stdout)
    assert all(state["companion_plugins"].values()), state["companion_plugins"]
    assert state["database"]["up_to_date"]

    probe = tmp_path / "probe.py"
    probe.write_text(PROBE)
    result = subprocess.run(
        [sys.executable, str(probe), str(ini), AIR],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert "hvd_category" in found["fields"]
    assert found["legislation"] == [ELI_HVD]
