"""The counterpart decision table: created by its migration, one decision per own dataset and
partner dataset, only "confirmed" / "rejected", gone on downgrade."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import model

from ckanext.partnercity.model import CounterpartDecision

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db")]

TABLE = "partnercity_counterpart_decision"


def _decision(**kw) -> CounterpartDecision:
    values = {
        "dataset_id": "own-1",
        "partner_id": "partner-1",
        "partner_identifier": "https://partner.example/dataset/air",
        "decision": "confirmed",
        "decided_by": "admin",
    }
    values.update(kw)
    return CounterpartDecision(**values)


def test_round_trip():
    stored = _decision(reason="same station network")
    model.Session.add(stored)
    model.Session.commit()
    got = model.Session.get(CounterpartDecision, stored.id).as_dict()
    assert got["decision"] == "confirmed"
    assert got["partner_identifier"] == "https://partner.example/dataset/air"
    assert got["reason"] == "same station network"
    assert got["decided_at"]


def test_one_decision_per_pair():
    model.Session.add(_decision())
    model.Session.commit()
    model.Session.add(_decision(decision="rejected"))
    with pytest.raises(sa.exc.IntegrityError):
        model.Session.commit()
    model.Session.rollback()


def test_only_confirmed_or_rejected():
    model.Session.add(_decision(decision="maybe"))
    with pytest.raises(sa.exc.IntegrityError):
        model.Session.commit()
    model.Session.rollback()


def test_migration_down_and_up(migrate_db_for):
    assert TABLE in sa.inspect(model.meta.engine).get_table_names()
    migrate_db_for("partnercity", version="e2a4c6b8d0f1", forward=False)
    assert TABLE not in sa.inspect(model.meta.engine).get_table_names()
    migrate_db_for("partnercity")
    assert TABLE in sa.inspect(model.meta.engine).get_table_names()
