"""Integration fixtures: the real CKAN stack from test.ini (PostgreSQL, Redis, Solr 9)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEST_INI = ROOT / "test.ini"
CKAN_BIN = Path(sys.executable).with_name("ckan")
JOB_TARGETS = Path(__file__).resolve().parent / "jobtargets"


@pytest.fixture
def clean_db(reset_db, migrate_db_for, with_plugins):
    """CKAN's clean_db drops every table; put the extension's tables back by migration."""
    reset_db()
    migrate_db_for("partnercity")


@pytest.fixture(autouse=True)
def fresh_page_cache(request):
    """Each test starts with a new page-cache generation: nothing cached by an earlier test
    (on a database that has been reset since) is served to it."""
    if request.node.get_closest_marker("integration") is not None:
        from ckanext.partnercity.pages import cache as page_cache

        page_cache.store().inc(page_cache.GENERATION)
    yield


def run_ckan(*args: str, ini: Path = TEST_INI, timeout: int = 120) -> subprocess.CompletedProcess:
    """Run the real ``ckan`` command line, as an admin would, from the project root."""
    # jobtargets/ holds job functions for the worker tests; ckan's CLI puts its own
    # package dir first on sys.path, so a module named ``tests`` would be ckan.tests.
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(JOB_TARGETS)]))
    return subprocess.run(
        [str(CKAN_BIN), "-c", str(ini), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def ckan_cli():
    return run_ckan
