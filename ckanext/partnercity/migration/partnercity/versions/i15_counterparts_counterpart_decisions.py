"""Counterpart decisions (issue 15 §2): an open-data team confirms or rejects a partner
dataset as a counterpart of one of our datasets. Keyed by the partner's own dataset
identifier (not the reference package id), so a decision survives the reference being
withdrawn and harvested again.

Revision named after the branch that adds it (i15-counterparts); it follows e2a4c6b8d0f1 and
can be chained after parallel revisions of issue 15."""

import sqlalchemy as sa
from alembic import op

revision = "i15_counterparts"
down_revision = "e2a4c6b8d0f1"


def upgrade():
    op.create_table(
        "partnercity_counterpart_decision",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        # no foreign keys: a decision outlives a purge and a re-harvest of either side
        sa.Column("dataset_id", sa.UnicodeText, nullable=False),
        sa.Column("partner_id", sa.UnicodeText, nullable=False),
        sa.Column("partner_identifier", sa.UnicodeText, nullable=False),
        sa.Column("decision", sa.UnicodeText, nullable=False),
        sa.Column("reason", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("decided_by", sa.UnicodeText, nullable=False),
        sa.Column("decided_at", sa.DateTime, nullable=False, server_default=sa.func.now()),
        sa.UniqueConstraint(
            "dataset_id",
            "partner_id",
            "partner_identifier",
            name="partnercity_counterpart_decision_uq",
        ),
        sa.CheckConstraint(
            "decision IN ('confirmed', 'rejected')",
            name="partnercity_counterpart_decision_ck",
        ),
    )
    op.create_index(
        "partnercity_counterpart_decision_dataset_idx",
        "partnercity_counterpart_decision",
        ["dataset_id"],
    )


def downgrade():
    op.drop_index(
        "partnercity_counterpart_decision_dataset_idx",
        table_name="partnercity_counterpart_decision",
    )
    op.drop_table("partnercity_counterpart_decision")
