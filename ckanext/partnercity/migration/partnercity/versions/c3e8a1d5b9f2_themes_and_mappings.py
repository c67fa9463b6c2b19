"""Shared themes: SKOS schemes and concepts, and mappings of local categories to them."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "c3e8a1d5b9f2"
down_revision = "b7d2c9e1f4a6"

JSONB = postgresql.JSONB


def upgrade():
    op.create_table(
        "partnercity_scheme",
        sa.Column("uri", sa.UnicodeText, primary_key=True),
        sa.Column("titles", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("source", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("loaded_at", sa.DateTime, nullable=False, server_default=sa.func.now()),
    )
    scheme = sa.ForeignKey("partnercity_scheme.uri", ondelete="CASCADE")
    op.create_table(
        "partnercity_concept",
        sa.Column("uri", sa.UnicodeText, primary_key=True),
        sa.Column("scheme_uri", sa.UnicodeText, scheme, nullable=False, index=True),
        sa.Column("notation", sa.UnicodeText),
        sa.Column("pref_labels", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("alt_labels", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("broader", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("narrower", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    )
    partner = sa.ForeignKey("group.id", ondelete="CASCADE")
    op.create_table(
        "partnercity_mapping",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        # NULL: a category of our own portal (a group or tag); else the partner city.
        sa.Column("partner_id", sa.UnicodeText, partner, nullable=True),
        sa.Column("category", sa.UnicodeText, nullable=False),
        sa.Column("lang", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("concept_uri", sa.UnicodeText, nullable=False),
        sa.Column("relation", sa.UnicodeText, nullable=False),
        sa.Column("origin", sa.UnicodeText, nullable=False),
        sa.Column("confidence", sa.Float),
        sa.Column("rejected", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("decided_by", sa.UnicodeText),
        sa.Column("updated_at", sa.DateTime, nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint(
            "relation IN ('exactMatch', 'closeMatch', 'broadMatch', 'narrowMatch')",
            name="partnercity_mapping_relation_check",
        ),
        sa.CheckConstraint(
            "origin IN ('source', 'alignment', 'suggested', 'decided')",
            name="partnercity_mapping_origin_check",
        ),
    )
    op.create_index(
        "partnercity_mapping_key_idx",
        "partnercity_mapping",
        [sa.text("coalesce(partner_id, '')"), "category", "concept_uri"],
        unique=True,
    )


def downgrade():
    op.drop_table("partnercity_mapping")
    op.drop_table("partnercity_concept")
    op.drop_table("partnercity_scheme")
