"""HVD check runs: each check's report, kept for history and trends."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "d5f1a7c3e9b0"
down_revision = "c3e8a1d5b9f2"


def upgrade():
    op.create_table(
        "partnercity_hvd_run",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("scope", sa.UnicodeText, nullable=False, server_default="own"),
        sa.Column("rule_set", sa.UnicodeText, nullable=False),
        sa.Column("probe", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("dataset_ids", postgresql.JSONB),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="queued"),
        sa.Column("job_id", sa.UnicodeText),
        sa.Column("user_id", sa.UnicodeText),
        sa.Column("queued_at", sa.DateTime, nullable=False, server_default=sa.func.now()),
        sa.Column("started_at", sa.DateTime),
        sa.Column("finished_at", sa.DateTime),
        sa.Column("summary", postgresql.JSONB),
        sa.Column("report", postgresql.JSONB),
        sa.Column("error", sa.UnicodeText),
    )
    op.create_index(
        "partnercity_hvd_run_scope_queued_idx", "partnercity_hvd_run", ["scope", "queued_at"]
    )


def downgrade():
    op.drop_index("partnercity_hvd_run_scope_queued_idx", table_name="partnercity_hvd_run")
    op.drop_table("partnercity_hvd_run")
