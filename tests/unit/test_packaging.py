"""The one package tree installs under ckanext.partnercity, editable and as a wheel."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The core packages (no CKAN app needed), by dotted name below ckanext.partnercity.
CORE = ("harvesters", "hvd.rules", "hvd.report_templates", "themes")

PROBE = """
import importlib, json
out = {}
for name in %r:
    out[name] = importlib.import_module("ckanext.partnercity." + name).__file__
try:
    import harvesters
    out["bare"] = harvesters.__file__
except ModuleNotFoundError:
    out["bare"] = None
print(json.dumps(out))
"""


def _probe(args: list[str], code: str, cwd: Path) -> dict:
    result = subprocess.run([*args, "-c", code], cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _run(*args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _folder(name: str) -> str:
    return "ckanext/partnercity/" + name.replace(".", "/")


def test_editable_install_finds_the_core_in_the_repository(tmp_path):
    found = _probe([sys.executable], PROBE % (list(CORE),), cwd=tmp_path)
    for name in CORE:
        assert Path(found[name]) == ROOT / _folder(name) / "__init__.py"
    assert found["bare"] is None


def test_wheel_ships_core_under_the_namespace(tmp_path):
    _run(
        "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path / "dist"), str(ROOT)
    )
    (wheel,) = (tmp_path / "dist").glob("ckanext_partnercity-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in CORE:
        assert f"{_folder(name)}/__init__.py" in names
    for data in (
        "harvesters/urls.py",
        "hvd/rules/rules/10_dataset.yaml",
        "hvd/rules/fee_terms.yaml",
        "hvd/report_templates/_attestations.html",
        "hvd/report_templates/hvd_report.html",
        "config_declaration.yaml",
        "schemas/organization.yaml",
        "migration/partnercity/alembic.ini",
        "migration/partnercity/script.py.mako",
        "templates/partnercity/partner_cities.html",
        "templates/organization/snippets/info.html",
        "public/partnercity/partnercity.css",
        "i18n/de/LC_MESSAGES/ckanext-partnercity.mo",
        "themes/vocabularies/README.md",
        "themes/vocabularies/high-value-dataset-category.rdf",
        "themes/vocabularies/eu_data-theme_skos_v20200923-0.rdf",
        "themes/vocabularies/govdata_ogd-de-categories_to_eu-data-theme.json",
    ):
        assert f"ckanext/partnercity/{data}" in names
    assert not any(
        n.startswith(("harvesters/", "hvd_rules/", "templates/", "themes/")) for n in names
    )
    assert "ckanext/__init__.py" not in names

    target = tmp_path / "site"
    _run("install", "-q", "--no-deps", "--target", str(target), str(wheel))
    # -S: no site-packages, so neither the editable finder nor the repository can answer.
    code = f"import sys; sys.path.insert(0, {str(target)!r})\n" + PROBE % (
        ["harvesters", "hvd.rules", "themes"],
    )
    found = _probe([sys.executable, "-S"], code, cwd=tmp_path)
    for name in ("harvesters", "hvd.rules", "themes"):
        assert Path(found[name]) == target / _folder(name) / "__init__.py"
    assert found["bare"] is None
