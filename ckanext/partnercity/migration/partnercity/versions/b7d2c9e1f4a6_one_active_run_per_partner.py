"""At most one queued or running harvest per partner, enforced by PostgreSQL.

Revision ID: b7d2c9e1f4a6
Revises: a1c0e5f3b2d4
Create Date: 2026-11-26
"""

from alembic import op

revision = "b7d2c9e1f4a6"
down_revision = "a1c0e5f3b2d4"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "CREATE UNIQUE INDEX partnercity_harvest_run_one_active_idx "
        "ON partnercity_harvest_run (partner_id) WHERE status IN ('queued', 'running')"
    )


def downgrade():
    op.execute("DROP INDEX partnercity_harvest_run_one_active_idx")
