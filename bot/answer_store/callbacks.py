"""Residents' requests to be called back, and what staff did with them.

A request is written by the action server once the resident has agreed
(``actions/callback.py``), read and updated by staff in the admin, and
deleted after the retention period (``delete_older_than``, run by
``bot.privacy.retention``). Status: ``new`` -> ``taken`` (a staff member
calls) -> ``done``; staff may also set a request back to ``new``.
Every status change is in the audit log, without the resident's name or number.
"""
import datetime
from dataclasses import dataclass
from typing import List, Optional

import sqlalchemy as sa

from bot.answer_store import audit, tables
from bot.answer_store.times import as_utc, now
from bot.errors import AssistantError

NEW, TAKEN, DONE = "new", "taken", "done"
STATUSES = (NEW, TAKEN, DONE)
AUDIT_ACTION = {NEW: "callback_reopened", TAKEN: "callback_taken", DONE: "callback_done"}

MAX_FIRST_NAME = tables.callback_requests.c.first_name.type.length
MAX_PHONE = tables.callback_requests.c.phone.type.length
MAX_TOPIC = tables.callback_requests.c.topic.type.length
MAX_CHANNEL = tables.callback_requests.c.channel.type.length


def spaced_phone(phone: str) -> str:
    """An 8-digit number as Danes write it: 22 33 44 55."""
    return " ".join(phone[i:i + 2] for i in range(0, len(phone), 2)) if len(phone) == 8 else phone


class CallbackNotFound(AssistantError, LookupError):
    status, code = 404, "findes_ikke"

    def __init__(self, request_id):
        self.request_id = request_id
        super().__init__(f"Opringning nr. {request_id} findes ikke. Den kan være slettet.")


@dataclass(frozen=True)
class CallbackRequest:
    id: int
    created_at: datetime.datetime
    first_name: str
    phone: str
    topic: str
    channel: str
    status: str
    handled_by: Optional[str]
    updated_at: datetime.datetime


def _request(row) -> CallbackRequest:
    return CallbackRequest(row.id, as_utc(row.created_at), row.first_name, row.phone, row.topic, row.channel,
                           row.status, row.handled_by, as_utc(row.updated_at))


class CallbackStore:
    def __init__(self, engine: sa.engine.Engine):
        self.engine = engine

    def add(self, first_name: str, phone: str, topic: str, channel: str) -> int:
        """Keep a request (status ``new``); its id."""
        moment = now()
        with self.engine.begin() as connection:
            result = connection.execute(sa.insert(tables.callback_requests).values(
                created_at=moment, updated_at=moment, status=NEW, handled_by=None,
                first_name=first_name.strip()[:MAX_FIRST_NAME], phone=phone.strip()[:MAX_PHONE],
                topic=topic.strip()[:MAX_TOPIC], channel=(channel or "ukendt")[:MAX_CHANNEL],
            ))
            return int(result.inserted_primary_key[0])

    def get(self, request_id: int) -> CallbackRequest:
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(tables.callback_requests).where(tables.callback_requests.c.id == request_id)
            ).first()
        if row is None:
            raise CallbackNotFound(request_id)
        return _request(row)

    def list(self, status: Optional[str] = None) -> List[CallbackRequest]:
        """The requests, newest first; only those with ``status`` when given."""
        if status is not None and status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        table = tables.callback_requests
        query = sa.select(table).order_by(table.c.created_at.desc(), table.c.id.desc())
        if status is not None:
            query = query.where(table.c.status == status)
        with self.engine.connect() as connection:
            return [_request(row) for row in connection.execute(query).all()]

    def set_status(self, request_id: int, status: str, user: str) -> CallbackRequest:
        """``taken`` and ``done`` record who did it; ``new`` hands the request back."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        table = tables.callback_requests
        with self.engine.begin() as connection:
            result = connection.execute(
                sa.update(table).where(table.c.id == request_id)
                .values(status=status, handled_by=None if status == NEW else user, updated_at=now())
            )
            if result.rowcount != 1:
                raise CallbackNotFound(request_id)
            audit.record(connection, user, AUDIT_ACTION[status], details=f"Opringning nr. {request_id}")
        return self.get(request_id)

    def delete_older_than(self, days: float, at: Optional[datetime.datetime] = None) -> int:
        """Delete the requests made more than ``days`` before ``at`` (now); how many."""
        cutoff = (at or now()) - datetime.timedelta(days=days)
        table = tables.callback_requests
        with self.engine.begin() as connection:
            return connection.execute(sa.delete(table).where(table.c.created_at < cutoff)).rowcount
