"""At most one queued or running harvest per partner, enforced by PostgreSQL."""

from alembic import op

revision = "b7d2c9e1f4a6"
down_revision = "a1c0e5f3b2d4"


def upgrade():
    op.execute(
        "CREATE UNIQUE INDEX partnercity_harvest_run_one_active_idx "
        "ON partnercity_harvest_run (partner_id) WHERE status IN ('queued', 'running')"
    )


def downgrade():
    op.execute("DROP INDEX partnercity_harvest_run_one_active_idx")
