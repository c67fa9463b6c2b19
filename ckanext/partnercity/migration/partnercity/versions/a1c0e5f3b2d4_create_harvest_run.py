"""Create the harvest-run table: one row per pass over one partner."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "a1c0e5f3b2d4"
down_revision = None


def upgrade():
    partner = sa.ForeignKey("group.id", ondelete="CASCADE")
    op.create_table(
        "partnercity_harvest_run",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("partner_id", sa.UnicodeText, partner, nullable=False),
        sa.Column("mode", sa.UnicodeText, nullable=False, server_default="full"),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="queued"),
        sa.Column("job_id", sa.UnicodeText),
        sa.Column("queued_at", sa.DateTime, nullable=False, server_default=sa.func.now()),
        sa.Column("started_at", sa.DateTime),
        sa.Column("finished_at", sa.DateTime),
        sa.Column("created", sa.Integer, nullable=False, server_default="0"),
        sa.Column("updated", sa.Integer, nullable=False, server_default="0"),
        sa.Column("unchanged", sa.Integer, nullable=False, server_default="0"),
        sa.Column("withdrawn", sa.Integer, nullable=False, server_default="0"),
        sa.Column("failed", sa.Integer, nullable=False, server_default="0"),
        sa.Column(
            "errors", postgresql.JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")
        ),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'succeeded', 'partial', 'failed')",
            name="partnercity_harvest_run_status_check",
        ),
        sa.CheckConstraint(
            "mode IN ('full', 'incremental')", name="partnercity_harvest_run_mode_check"
        ),
    )
    op.create_index(
        "partnercity_harvest_run_partner_queued_idx",
        "partnercity_harvest_run",
        ["partner_id", sa.text("queued_at DESC")],
    )


def downgrade():
    op.drop_index("partnercity_harvest_run_partner_queued_idx", "partnercity_harvest_run")
    op.drop_table("partnercity_harvest_run")
