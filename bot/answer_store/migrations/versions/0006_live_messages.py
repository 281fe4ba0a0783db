"""The live chat's messages (resident, staff, notices to the resident, the
staff member's typing), the name a staff member chose to show, where an
SMS resident's replies go while the chat is open, and since when a chat
waits (its request, or its return to the queue).

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "live_messages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("chat_id", sa.Integer, sa.ForeignKey("live_chats.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), index=True),
    )
    with op.batch_alter_table("live_chats") as batch:
        batch.add_column(sa.Column("shown_name", sa.String(40)))
        batch.add_column(sa.Column("sms_number", sa.String(40)))
        batch.add_column(sa.Column("sms_from", sa.String(40)))
        batch.add_column(sa.Column("waiting_since", sa.DateTime(timezone=True)))
    live_chats = sa.table("live_chats", sa.column("requested_at", sa.DateTime(timezone=True)),
                          sa.column("waiting_since", sa.DateTime(timezone=True)))
    op.execute(live_chats.update().values(waiting_since=live_chats.c.requested_at))


def downgrade() -> None:
    with op.batch_alter_table("live_chats") as batch:
        batch.drop_column("waiting_since")
        batch.drop_column("sms_from")
        batch.drop_column("sms_number")
        batch.drop_column("shown_name")
    op.drop_table("live_messages")
