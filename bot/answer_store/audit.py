"""The audit log: who did what, when. Written in the same transaction as the
change it describes, so the log never misses or invents a change."""
import datetime
from dataclasses import dataclass
from typing import List, Optional

import sqlalchemy as sa

from bot.answer_store import tables
from bot.answer_store.times import as_utc, now


@dataclass(frozen=True)
class AuditRecord:
    at: datetime.datetime
    user_name: str
    action: str
    entry_id: Optional[str]
    details: str


def record(connection, user: str, action: str, entry_id: Optional[str] = None, details: str = "") -> None:
    connection.execute(sa.insert(tables.audit_log).values(
        at=now(), user_name=user, action=action,
        entry_id=entry_id, details=details[:1000],
    ))


def recent(engine: sa.engine.Engine, limit: int = 200) -> List[AuditRecord]:
    query = sa.select(tables.audit_log).order_by(tables.audit_log.c.id.desc()).limit(limit)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return [AuditRecord(as_utc(row.at), row.user_name, row.action, row.entry_id, row.details) for row in rows]
