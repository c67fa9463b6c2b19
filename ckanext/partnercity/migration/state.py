"""Where the extension's own tables stand against its alembic migrations."""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory
from ckan import model

MIGRATION_DIR = os.path.join(os.path.dirname(__file__), "partnercity")
VERSION_TABLE = "partnercity_alembic_version"


def head_revision() -> str | None:
    config = Config(os.path.join(MIGRATION_DIR, "alembic.ini"))
    config.set_main_option("script_location", MIGRATION_DIR)
    return ScriptDirectory.from_config(config).get_current_head()


def current_revision() -> str | None:
    """The applied revision, or None before the first ``ckan db upgrade -p partnercity``."""
    engine = model.meta.engine
    if not sa.inspect(engine).has_table(VERSION_TABLE):
        return None
    with engine.connect() as conn:
        return conn.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def state() -> dict:
    head, current = head_revision(), current_revision()
    return {"revision": current, "head": head, "up_to_date": current == head}
