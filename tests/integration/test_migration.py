"""The extension's alembic migration applies, downgrades and re-applies on PostgreSQL."""

from __future__ import annotations

import datetime

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.partnercity.model import HarvestRun

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db")]


def _tables() -> set[str]:
    return set(sa.inspect(model.meta.engine).get_table_names())


def test_migration_downgrades_and_upgrades(migrate_db_for):
    assert "partnercity_harvest_run" in _tables()
    migrate_db_for("partnercity", version="base", forward=False)
    assert "partnercity_harvest_run" not in _tables()
    migrate_db_for("partnercity")
    assert "partnercity_harvest_run" in _tables()


def test_harvest_run_round_trip_and_cascade():
    org = factories.Organization()
    started = datetime.datetime(2026, 1, 1, 12, 0, 0)
    run = HarvestRun(
        partner_id=org["id"],
        status="partial",
        started_at=started,
        finished_at=started + datetime.timedelta(seconds=42),
        created=3,
        failed=1,
        errors=[{"url": "http://127.0.0.1:9/dataset/x", "message": "HTTP 500"}],
    )
    model.Session.add(run)
    model.Session.commit()

    stored = model.Session.get(HarvestRun, run.id).as_dict()
    assert stored["counts"] == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "withdrawn": 0,
        "failed": 1,
    }
    assert stored["duration_seconds"] == 42
    assert stored["errors"][0]["url"] == "http://127.0.0.1:9/dataset/x"
    assert stored["mode"] == "full"

    call_action("organization_purge", id=org["id"])
    assert model.Session.query(HarvestRun).count() == 0


def test_status_column_refuses_unknown_values():
    org = factories.Organization()
    model.Session.add(HarvestRun(partner_id=org["id"], status="exploded"))
    with pytest.raises(sa.exc.IntegrityError):
        model.Session.commit()
    model.Session.rollback()
