"""The live chat's queue (residents waiting for, or writing with, a staff
member) and the days staff closed the live chat.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "live_chats",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sender_id", sa.String(120), nullable=False, index=True),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("language", sa.String(10), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("staff_name", sa.String(80)),
        sa.Column("taken_at", sa.DateTime(timezone=True)),
        sa.Column("staff_seen_at", sa.DateTime(timezone=True)),
        sa.Column("staff_messages", sa.Integer, nullable=False, server_default="0"),
        sa.Column("ended_at", sa.DateTime(timezone=True)),
        sa.Column("ended_by", sa.String(20)),
    )
    op.create_table(
        "live_chat_closed_days",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("closed_by", sa.String(80), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("live_chat_closed_days")
    op.drop_table("live_chats")
