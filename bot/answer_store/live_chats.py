"""The live chat's queue: residents waiting for, and writing with, a staff member.

A resident's request puts the conversation in the queue (``waiting``); one
staff member takes it (``taken``: the assistant is paused for it); it ends
when staff hand it back to the assistant, the resident gives up, or nobody
took it in time (``ended``). A conversation has at most one open chat.

Everything lives in the database, so every Rasa server and web app sees the
same queue, and two staff members taking the same chat at once cannot both
win: the take is one UPDATE that only a waiting chat passes. Taking, ending
and the number of messages staff sent (never their text) go to the audit log.
"""
import datetime
from dataclasses import dataclass
from typing import FrozenSet, List, Optional

import sqlalchemy as sa

from bot.answer_store import audit, tables
from bot.answer_store.times import as_utc, now
from bot.errors import AssistantError

WAITING, TAKEN, ENDED = "waiting", "taken", "ended"
STATUSES = (WAITING, TAKEN, ENDED)
OPEN = (WAITING, TAKEN)
# Who ended a chat, and how staff read it in the audit log.
BY_STAFF, BY_RESIDENT, WAITED_TOO_LONG = "staff", "resident", "waited_too_long"
ENDED_BY_LABELS = {BY_STAFF: "medarbejderen afsluttede", BY_RESIDENT: "borgeren stoppede",
                   WAITED_TOO_LONG: "ingen nåede at tage den"}

MAX_SENDER = tables.live_chats.c.sender_id.type.length
MAX_CHANNEL = tables.live_chats.c.channel.type.length


class LiveChatNotFound(AssistantError, LookupError):
    status, code = 404, "findes_ikke"

    def __init__(self, chat_id):
        self.chat_id = chat_id
        super().__init__(f"Live samtale nr. {chat_id} findes ikke.")


class LiveChatTaken(AssistantError):
    """Another staff member has the chat, or it has ended."""
    status, code = 409, "allerede_taget"

    def __init__(self, chat_id, staff_name: Optional[str]):
        self.chat_id, self.staff_name = chat_id, staff_name
        super().__init__(f"{staff_name} har allerede taget samtalen." if staff_name
                         else "Samtalen er slut. Borgeren er tilbage hos chatbotten.")


@dataclass(frozen=True)
class LiveChat:
    id: int
    sender_id: str
    channel: str
    language: str
    status: str
    requested_at: datetime.datetime
    staff_name: Optional[str]
    taken_at: Optional[datetime.datetime]
    staff_messages: int
    ended_at: Optional[datetime.datetime]
    ended_by: Optional[str]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


def _chat(row) -> LiveChat:
    optional = lambda moment: as_utc(moment) if moment is not None else None  # noqa: E731
    return LiveChat(row.id, row.sender_id, row.channel, row.language, row.status, as_utc(row.requested_at),
                    row.staff_name, optional(row.taken_at), row.staff_messages or 0, optional(row.ended_at),
                    row.ended_by)


class LiveChatStore:
    def __init__(self, engine: sa.engine.Engine):
        self.engine = engine
        self.table = tables.live_chats

    def request(self, sender_id: str, channel: str, language: str) -> LiveChat:
        """Put the conversation in the queue; the chat it already has, if open."""
        existing = self.open_for(sender_id)
        if existing is not None:
            return existing
        with self.engine.begin() as connection:
            result = connection.execute(sa.insert(self.table).values(
                sender_id=sender_id[:MAX_SENDER], channel=(channel or "ukendt")[:MAX_CHANNEL],
                language=language or "da", status=WAITING, requested_at=now(), staff_messages=0,
            ))
            chat_id = int(result.inserted_primary_key[0])
        return self.get(chat_id)

    def get(self, chat_id: int) -> LiveChat:
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(self.table).where(self.table.c.id == chat_id)).first()
        if row is None:
            raise LiveChatNotFound(chat_id)
        return _chat(row)

    def open_for(self, sender_id: str) -> Optional[LiveChat]:
        """The conversation's waiting or taken chat, if it has one."""
        query = (sa.select(self.table).where(self.table.c.sender_id == sender_id[:MAX_SENDER],
                                             self.table.c.status.in_(OPEN))
                 .order_by(self.table.c.id.desc()).limit(1))
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return _chat(row) if row is not None else None

    def open_chats(self) -> List[LiveChat]:
        """Waiting and taken chats, oldest request first: the queue staff see."""
        query = (sa.select(self.table).where(self.table.c.status.in_(OPEN))
                 .order_by(self.table.c.requested_at, self.table.c.id))
        with self.engine.connect() as connection:
            return [_chat(row) for row in connection.execute(query).all()]

    def position(self, chat_id: int) -> Optional[int]:
        """Where a waiting chat is in the queue (1 is next); None when it is not waiting."""
        chat = self.get(chat_id)
        if chat.status != WAITING:
            return None
        table = self.table
        ahead = (sa.select(sa.func.count()).select_from(table)
                 .where(table.c.status == WAITING,
                        sa.or_(table.c.requested_at < chat.requested_at,
                               sa.and_(table.c.requested_at == chat.requested_at, table.c.id < chat.id))))
        with self.engine.connect() as connection:
            return int(connection.execute(ahead).scalar_one()) + 1

    def take(self, chat_id: int, staff_name: str) -> LiveChat:
        """Assign a waiting chat to ``staff_name``: of two taking it at once, one wins,
        the other gets LiveChatTaken naming who has it. Taking one's own chat again is fine."""
        moment = now()
        with self.engine.begin() as connection:
            result = connection.execute(
                sa.update(self.table).where(self.table.c.id == chat_id, self.table.c.status == WAITING)
                .values(status=TAKEN, staff_name=staff_name, taken_at=moment, staff_seen_at=moment)
            )
            if result.rowcount == 1:
                audit.record(connection, staff_name, "live_taken", details=f"Live samtale nr. {chat_id}")
        chat = self.get(chat_id)
        if chat.status != TAKEN or chat.staff_name != staff_name:
            raise LiveChatTaken(chat_id, chat.staff_name if chat.status == TAKEN else None)
        return chat

    def _held_by(self, chat_id: int, staff_name: str) -> LiveChat:
        chat = self.get(chat_id)
        if chat.status != TAKEN or chat.staff_name != staff_name:
            raise LiveChatTaken(chat_id, chat.staff_name if chat.status == TAKEN else None)
        return chat

    def staff_message_sent(self, chat_id: int, staff_name: str) -> LiveChat:
        """Count a message the staff member holding the chat sent (the count is audited, not the text)."""
        self._held_by(chat_id, staff_name)
        with self.engine.begin() as connection:
            connection.execute(sa.update(self.table).where(self.table.c.id == chat_id)
                               .values(staff_messages=self.table.c.staff_messages + 1, staff_seen_at=now()))
        return self.get(chat_id)

    def seen(self, chat_id: int, staff_name: str) -> None:
        """The staff member's page is still there (it says so every few seconds)."""
        self._held_by(chat_id, staff_name)
        with self.engine.begin() as connection:
            connection.execute(sa.update(self.table).where(self.table.c.id == chat_id).values(staff_seen_at=now()))

    def end(self, chat_id: int, staff_name: str) -> LiveChat:
        """Staff hand the conversation back to the assistant."""
        chat = self._held_by(chat_id, staff_name)
        self._close(chat, BY_STAFF, staff_name)
        return self.get(chat_id)

    def give_up(self, sender_id: str, reason: str = BY_RESIDENT) -> Optional[LiveChat]:
        """The resident stopped waiting ("stop"), or waited too long: the open chat ends."""
        chat = self.open_for(sender_id)
        if chat is not None:
            self._close(chat, reason, chat.staff_name or "system")
            return self.get(chat.id)
        return None

    def _close(self, chat: LiveChat, reason: str, user: str) -> None:
        with self.engine.begin() as connection:
            result = connection.execute(
                sa.update(self.table).where(self.table.c.id == chat.id, self.table.c.status.in_(OPEN))
                .values(status=ENDED, ended_at=now(), ended_by=reason)
            )
            if result.rowcount == 1:
                fresh = connection.execute(sa.select(self.table.c.staff_messages)
                                           .where(self.table.c.id == chat.id)).scalar_one()
                audit.record(connection, user, "live_ended",
                             details=f"Live samtale nr. {chat.id}: {fresh or 0} beskeder fra medarbejderen; "
                                     f"{ENDED_BY_LABELS[reason]}")

    def release_unseen(self, grace_seconds: float, at: Optional[datetime.datetime] = None) -> List[int]:
        """Taken chats whose staff member's page has not been seen for ``grace_seconds``
        go back to the queue (ahead of later requests: they keep their place)."""
        cutoff = (at or now()) - datetime.timedelta(seconds=grace_seconds)
        table = self.table
        released = []
        with self.engine.begin() as connection:
            rows = connection.execute(sa.select(table.c.id, table.c.staff_name)
                                      .where(table.c.status == TAKEN, table.c.staff_seen_at < cutoff)).all()
            for row in rows:
                result = connection.execute(
                    sa.update(table).where(table.c.id == row.id, table.c.status == TAKEN,
                                           table.c.staff_seen_at < cutoff)
                    .values(status=WAITING, staff_name=None, taken_at=None, staff_seen_at=None))
                if result.rowcount == 1:
                    audit.record(connection, row.staff_name or "system", "live_released",
                                 details=f"Live samtale nr. {row.id}: tilbage i køen (medarbejderens side "
                                         "svarede ikke)")
                    released.append(row.id)
        return released

    def close_day(self, day: datetime.date, staff_name: str, closed: bool = True) -> None:
        """Close the live chat for ``day`` (or open it again), whatever the opening hours say."""
        table = tables.live_chat_closed_days
        with self.engine.begin() as connection:
            exists = connection.execute(sa.select(table.c.day).where(table.c.day == day)).first() is not None
            if closed and not exists:
                connection.execute(sa.insert(table).values(day=day, closed_by=staff_name, closed_at=now()))
            elif not closed and exists:
                connection.execute(sa.delete(table).where(table.c.day == day))
            else:
                return
            audit.record(connection, staff_name, "live_day_closed" if closed else "live_day_opened",
                         details=f"Live chat {day.isoformat()}")

    def closed_days(self, since: datetime.date) -> FrozenSet[datetime.date]:
        """The days from ``since`` on that staff closed."""
        table = tables.live_chat_closed_days
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(table.c.day).where(table.c.day >= since)).all()
        return frozenset(row.day for row in rows)

    def delete_older_than(self, days: float, at: Optional[datetime.datetime] = None) -> int:
        """Delete ended chats requested more than ``days`` before ``at`` (now), and
        closed days as old; how many chats."""
        cutoff = (at or now()) - datetime.timedelta(days=days)
        closed = tables.live_chat_closed_days
        with self.engine.begin() as connection:
            connection.execute(sa.delete(closed).where(closed.c.day < cutoff.date()))
            return connection.execute(sa.delete(self.table).where(
                self.table.c.requested_at < cutoff, self.table.c.status == ENDED)).rowcount
