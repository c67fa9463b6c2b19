"""HVD attestations (a person confirms what metadata cannot show) and duty decisions
(an open-data team accepts or rejects a suggested HVD category)."""

import sqlalchemy as sa
from alembic import op

revision = "e2a4c6b8d0f1"
down_revision = "d5f1a7c3e9b0"


def upgrade():
    op.create_table(
        "partnercity_hvd_attestation",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        # no foreign key: an attestation stays in the history after its dataset is purged
        sa.Column("dataset_id", sa.UnicodeText, nullable=False),
        sa.Column("rule_id", sa.UnicodeText, nullable=False),
        sa.Column("attested_by", sa.UnicodeText, nullable=False),
        sa.Column("attested_at", sa.DateTime, nullable=False, server_default=sa.func.now()),
        sa.Column("evidence_url", sa.UnicodeText),
        sa.Column("note", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("revoked_by", sa.UnicodeText),
        sa.Column("revoked_at", sa.DateTime),
        sa.Column("revoke_reason", sa.UnicodeText),
    )
    op.create_index(
        "partnercity_hvd_attestation_dataset_rule_idx",
        "partnercity_hvd_attestation",
        ["dataset_id", "rule_id"],
    )
    op.create_table(
        "partnercity_hvd_duty_decision",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("dataset_id", sa.UnicodeText, nullable=False),
        sa.Column("category", sa.UnicodeText, nullable=False),
        sa.Column("decision", sa.UnicodeText, nullable=False),
        sa.Column("reason", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("decided_by", sa.UnicodeText, nullable=False),
        sa.Column("decided_at", sa.DateTime, nullable=False, server_default=sa.func.now()),
        sa.UniqueConstraint("dataset_id", "category", name="partnercity_hvd_duty_decision_uq"),
    )


def downgrade():
    op.drop_table("partnercity_hvd_duty_decision")
    op.drop_index(
        "partnercity_hvd_attestation_dataset_rule_idx", table_name="partnercity_hvd_attestation"
    )
    op.drop_table("partnercity_hvd_attestation")
