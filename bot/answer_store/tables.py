"""The answer store's tables (SQLAlchemy Core). Migrations in ``migrations/``
create them; change both together."""
import sqlalchemy as sa

metadata = sa.MetaData()

# One row per entry: its current content. ``version`` grows by one on every
# change, so a save based on an older version is refused (optimistic locking).
entries = sa.Table(
    "entries",
    metadata,
    sa.Column("id", sa.String(60), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False, index=True),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("retired", sa.Boolean, nullable=False, default=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_by", sa.String(80), nullable=False),
)

# Every version an entry ever had: its history, and what "restore" goes back to.
entry_versions = sa.Table(
    "entry_versions",
    metadata,
    sa.Column("entry_id", sa.String(60), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("retired", sa.Boolean, nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("changed_by", sa.String(80), nullable=False),
)

# A single counter that grows with every change to the answer data: readers
# compare it to what they loaded and reload when it moved.
revision = sa.Table(
    "revision",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("number", sa.Integer, nullable=False),
)

staff_users = sa.Table(
    "staff_users",
    metadata,
    sa.Column("name", sa.String(80), primary_key=True),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("is_admin", sa.Boolean, nullable=False, default=False),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# Logged-in staff. Only a hash of the cookie's token is kept, so a copy of the
# database does not let anyone log in.
staff_sessions = sa.Table(
    "staff_sessions",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("user_name", sa.String(80), sa.ForeignKey("staff_users.name"), nullable=False),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("user_name", sa.String(80), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("entry_id", sa.String(60)),
    sa.Column("details", sa.Text, nullable=False, default=""),
)

# A resident's request to be called back. Kept here, not in the conversation:
# staff see it in the admin, and it is deleted after the retention period.
callback_requests = sa.Table(
    "callback_requests",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("first_name", sa.String(80), nullable=False),
    sa.Column("phone", sa.String(20), nullable=False),
    sa.Column("topic", sa.String(300), nullable=False),
    sa.Column("channel", sa.String(40), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),  # new, taken, done
    sa.Column("handled_by", sa.String(80)),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

# Questions from the inbox that staff have dealt with, by a hash of the
# (redacted) question text, so the mark holds when the question comes again.
inbox_handled = sa.Table(
    "inbox_handled",
    metadata,
    sa.Column("question_hash", sa.String(64), primary_key=True),
    sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("handled_by", sa.String(80), nullable=False),
)

# A translator's check of a sentence shipped with the project (bot/language/fixed.yml,
# responses.yml) in one language, for the sentence's text as it was then: keyed by
# its fingerprint, so a check of an older text does not count for a changed one.
fixed_text_reviews = sa.Table(
    "fixed_text_reviews",
    metadata,
    sa.Column("language", sa.String(10), primary_key=True),
    sa.Column("sentence_key", sa.String(120), primary_key=True),
    sa.Column("fingerprint", sa.String(64), primary_key=True),
    sa.Column("translator", sa.String(120), nullable=False),
    sa.Column("recorded_by", sa.String(80), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
)

# A resident who asked to write with a staff member (bot/answer_store/live_chats.py):
# waiting in the queue, taken by one staff member, or ended. In the database,
# not in a process, so every server sees the same queue and one take wins.
live_chats = sa.Table(
    "live_chats",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sender_id", sa.String(120), nullable=False, index=True),
    sa.Column("channel", sa.String(40), nullable=False),
    sa.Column("language", sa.String(10), nullable=False),
    sa.Column("status", sa.String(20), nullable=False, index=True),  # waiting, taken, ended
    sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False, index=True),
    # Since when it waits: the request, or when a staff member's page went away and
    # it came back to the queue (the waiting limit counts from here, the place from the request).
    sa.Column("waiting_since", sa.DateTime(timezone=True)),
    sa.Column("staff_name", sa.String(80)),
    sa.Column("taken_at", sa.DateTime(timezone=True)),
    # When the staff member's page last said it is there: a page closed or
    # offline for longer than the grace period hands the chat back to the queue.
    sa.Column("staff_seen_at", sa.DateTime(timezone=True)),
    sa.Column("staff_messages", sa.Integer, nullable=False, default=0),
    sa.Column("ended_at", sa.DateTime(timezone=True)),
    sa.Column("ended_by", sa.String(20)),  # staff, resident, waited_too_long, stale
    # The name the staff member chose to show the resident (first name), or none.
    sa.Column("shown_name", sa.String(40)),
    # Where an SMS resident's live messages go: while the chat is open, and
    # after its end until its last notice went out (at most DELIVERY_WINDOW).
    sa.Column("sms_number", sa.String(40)),
    sa.Column("sms_from", sa.String(40)),
)

# What was written in a live chat, and what the resident is to be told: the
# resident's messages (as redacted at the entrance), staff messages, notices
# (a key of bot/live_chat/phrases.yml, said in the chat's language) and the
# staff member's typing. Staff messages, notices and typing wait in this
# outbox until the Rasa server holding the resident's connection (or any
# server, for SMS) delivers them.
live_messages = sa.Table(
    "live_messages",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("chat_id", sa.Integer, sa.ForeignKey("live_chats.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("kind", sa.String(20), nullable=False),  # resident, staff, notice, typing
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("delivered_at", sa.DateTime(timezone=True), index=True),
)

# Days staff closed the live chat ("Luk for i dag"), whatever LIVE_CHAT_HOURS says.
live_chat_closed_days = sa.Table(
    "live_chat_closed_days",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("closed_by", sa.String(80), nullable=False),
    sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
)
