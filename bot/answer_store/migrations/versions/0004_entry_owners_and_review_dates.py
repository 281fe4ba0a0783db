"""Every entry gets an owner and a review date (data only: both live in the entry's JSON).

An entry without them gets owner "Helhedsplanens sekretariat" and the day of
the upgrade as its review date (so all of it is due for a check at once, as
for a new store's seed data), as a new version of the entry (action
``review_added``, by ``system``) with a line in the audit log. The schema does
not change. A downgrade takes the two fields out of every entry and version
again, since older releases refuse entries with fields they do not know.

Revision ID: 0004
Revises: 0003
"""
import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Kept here as they were at this revision (migrations do not import the code that moves on).
SEED_OWNER = "Helhedsplanens sekretariat"
SYSTEM_USER = "system"
ACTION = "review_added"
FIELDS = ("owner", "review_due")

entries = sa.table(
    "entries", sa.column("id", sa.String), sa.column("data", sa.JSON), sa.column("version", sa.Integer),
    sa.column("retired", sa.Boolean), sa.column("updated_at", sa.DateTime(timezone=True)),
    sa.column("updated_by", sa.String),
)
entry_versions = sa.table(
    "entry_versions", sa.column("entry_id", sa.String), sa.column("version", sa.Integer),
    sa.column("data", sa.JSON), sa.column("retired", sa.Boolean), sa.column("action", sa.String),
    sa.column("changed_at", sa.DateTime(timezone=True)), sa.column("changed_by", sa.String),
)
revision_table = sa.table("revision", sa.column("number", sa.Integer))
audit_log = sa.table(
    "audit_log", sa.column("at", sa.DateTime(timezone=True)), sa.column("user_name", sa.String),
    sa.column("action", sa.String), sa.column("entry_id", sa.String), sa.column("details", sa.Text),
)


def upgrade() -> None:
    connection = op.get_bind()
    moment = datetime.datetime.now(datetime.timezone.utc)
    today = moment.astimezone(ZoneInfo("Europe/Copenhagen")).date().isoformat()
    rows = connection.execute(sa.select(entries).order_by(entries.c.id)).all()
    missing = [row for row in rows if any(name not in (row.data or {}) for name in FIELDS)]
    if not missing:
        return
    connection.execute(sa.update(revision_table).values(number=revision_table.c.number + 1))
    for row in missing:
        data = {**row.data, "owner": row.data.get("owner") or SEED_OWNER,
                "review_due": row.data.get("review_due") or today}
        version = row.version + 1
        connection.execute(sa.update(entries).where(entries.c.id == row.id).values(
            data=data, version=version, updated_at=moment, updated_by=SYSTEM_USER))
        connection.execute(sa.insert(entry_versions).values(
            entry_id=row.id, version=version, data=data, retired=row.retired, action=ACTION, changed_at=moment,
            changed_by=SYSTEM_USER))
        connection.execute(sa.insert(audit_log).values(
            at=moment, user_name=SYSTEM_USER, action=f"entry_{ACTION}", entry_id=row.id,
            details=f"version {version}, ejer: {data['owner']}, næste tjek senest {today}"))


def _without_fields(table, key_columns) -> None:
    connection = op.get_bind()
    for row in connection.execute(sa.select(table)).all():
        if not any(name in (row.data or {}) for name in FIELDS):
            continue
        data = {key: value for key, value in row.data.items() if key not in FIELDS}
        connection.execute(sa.update(table).where(*[table.c[key] == getattr(row, key) for key in key_columns])
                           .values(data=data))


def downgrade() -> None:
    _without_fields(entries, ("id",))
    _without_fields(entry_versions, ("entry_id", "version"))
    connection = op.get_bind()
    connection.execute(sa.update(revision_table).values(number=revision_table.c.number + 1))
