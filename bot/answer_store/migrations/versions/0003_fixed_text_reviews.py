"""Translators' checks of the sentences shipped in every language.

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fixed_text_reviews",
        sa.Column("language", sa.String(10), primary_key=True),
        sa.Column("sentence_key", sa.String(120), primary_key=True),
        sa.Column("fingerprint", sa.String(64), primary_key=True),
        sa.Column("translator", sa.String(120), nullable=False),
        sa.Column("recorded_by", sa.String(80), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("fixed_text_reviews")
