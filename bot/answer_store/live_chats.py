"""The live chat's queue: residents waiting for, and writing with, a staff member.

A resident's request puts the conversation in the queue (``waiting``); one
staff member takes it (``taken``: the assistant is paused for it); it ends
when staff hand it back to the assistant, the resident gives up, or nobody
took it in time (``ended``). A conversation has at most one open chat.

Everything lives in the database, so every Rasa server and web app sees the
same queue, and two staff members taking the same chat at once cannot both
win: the take is one UPDATE that only a waiting chat passes. Taking, ending
and the number of messages staff sent (never their text) go to the audit log.

What is written in a chat is kept with it (``live_messages``): the resident's
messages as the entrance redacted them, staff messages, and what the resident
is to be told (a notice key of ``bot/live_chat/phrases.yml``, or that staff
are typing). What goes to the resident waits there as in an outbox until one
Rasa server claims it (``outbox``, ``claim``) and delivers it.
"""
import datetime
from types import SimpleNamespace
from dataclasses import dataclass, field
from typing import Collection, FrozenSet, List, Optional

import sqlalchemy as sa

from bot.answer_store import audit, tables
from bot.answer_store.times import as_utc, now
from bot.errors import AssistantError
from bot.privacy.redaction import EMAIL, PHONE, redact

WAITING, TAKEN, ENDED = "waiting", "taken", "ended"
STATUSES = (WAITING, TAKEN, ENDED)
OPEN = (WAITING, TAKEN)
# Who ended a chat, and how staff read it in the audit log.
BY_STAFF, BY_RESIDENT, WAITED_TOO_LONG, STALE = "staff", "resident", "waited_too_long", "stale"
ENDED_BY_LABELS = {BY_STAFF: "medarbejderen afsluttede", BY_RESIDENT: "borgeren stoppede",
                   WAITED_TOO_LONG: "ingen nåede at tage den", STALE: "lukket af oprydningen efter et døgn"}

# What a live message is: the resident's, a staff member's, a notice to the
# resident, or "staff are typing".
RESIDENT, STAFF, NOTICE, TYPING = "resident", "staff", "notice", "typing"
TO_RESIDENT = (STAFF, NOTICE, TYPING)
# The notices (keys of bot/live_chat/phrases.yml).
TAKEN_NOTICE, ENDED_NOTICE, RELEASED_NOTICE, LEFT_NOTICE = "taken", "ended", "released", "left"
# A message for the resident of an ended chat not delivered within this time
# is not tried again (their chat window or connection is gone); messages of
# an open chat wait for the resident to come back. Also how long an ended
# chat keeps its SMS number for its last notice.
DELIVERY_WINDOW = datetime.timedelta(minutes=10)
# A chat still open this long after the request is ended by the retention
# (a server that never ran its housekeeping, a live chat switched off).
STALE_AFTER = datetime.timedelta(hours=24)
# The longest staff message (as for residents' messages: the widget's limit).
MAX_MESSAGE_CHARS = 2000

MAX_SENDER = tables.live_chats.c.sender_id.type.length
MAX_CHANNEL = tables.live_chats.c.channel.type.length
MAX_SHOWN_NAME = tables.live_chats.c.shown_name.type.length


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
                         else "Samtalen er slut, eller den venter i køen igen.")


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
    shown_name: Optional[str] = None
    sms_number: Optional[str] = field(default=None, repr=False)
    sms_from: Optional[str] = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


@dataclass(frozen=True)
class LiveMessage:
    id: int
    chat_id: int
    kind: str
    text: str
    created_at: datetime.datetime
    delivered_at: Optional[datetime.datetime]


@dataclass(frozen=True)
class Outgoing:
    """A message for the resident, with the chat that says where it goes."""
    message: LiveMessage
    chat: LiveChat


def _optional(moment):
    return as_utc(moment) if moment is not None else None


def _chat(row) -> LiveChat:
    return LiveChat(row.id, row.sender_id, row.channel, row.language, row.status, as_utc(row.requested_at),
                    row.staff_name, _optional(row.taken_at), row.staff_messages or 0, _optional(row.ended_at),
                    row.ended_by, row.shown_name, row.sms_number, row.sms_from)


def _message(row) -> LiveMessage:
    return LiveMessage(row.id, row.chat_id, row.kind, row.text, as_utc(row.created_at), _optional(row.delivered_at))


class LiveChatStore:
    def __init__(self, engine: sa.engine.Engine):
        self.engine = engine
        self.table = tables.live_chats
        self.messages_table = tables.live_messages

    def request(self, sender_id: str, channel: str, language: str) -> LiveChat:
        """Put the conversation in the queue; the chat it already has, if open."""
        existing = self.open_for(sender_id)
        if existing is not None:
            return existing
        with self.engine.begin() as connection:
            moment = now()
            result = connection.execute(sa.insert(self.table).values(
                sender_id=sender_id[:MAX_SENDER], channel=(channel or "ukendt")[:MAX_CHANNEL],
                language=language or "da", status=WAITING, requested_at=moment, waiting_since=moment,
                staff_messages=0,
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

    def take(self, chat_id: int, staff_name: str, shown_name: Optional[str] = None) -> LiveChat:
        """Assign a waiting chat to ``staff_name``: of two taking it at once, one wins,
        the other gets LiveChatTaken naming who has it. Taking one's own chat again is fine.
        ``shown_name``: the name the resident sees, if the staff member chose to show one."""
        moment = now()
        shown = " ".join((shown_name or "").split())[:MAX_SHOWN_NAME] or None
        with self.engine.begin() as connection:
            result = connection.execute(
                sa.update(self.table).where(self.table.c.id == chat_id, self.table.c.status == WAITING)
                .values(status=TAKEN, staff_name=staff_name, taken_at=moment, staff_seen_at=moment, shown_name=shown)
            )
            if result.rowcount == 1:
                audit.record(connection, staff_name, "live_taken", details=f"Live samtale nr. {chat_id}")
                self._add(connection, chat_id, NOTICE, TAKEN_NOTICE)
        chat = self.get(chat_id)
        if chat.status != TAKEN or chat.staff_name != staff_name:
            raise LiveChatTaken(chat_id, chat.staff_name if chat.status == TAKEN else None)
        return chat

    def _held_by(self, chat_id: int, staff_name: str) -> LiveChat:
        chat = self.get(chat_id)
        if chat.status != TAKEN or chat.staff_name != staff_name:
            raise LiveChatTaken(chat_id, chat.staff_name if chat.status == TAKEN else None)
        return chat

    def _still(self, connection, chat_id: int, staff_name: Optional[str] = None, **values) -> bool:
        """Within ``connection``'s transaction: whether the chat is (still) taken, by
        ``staff_name`` if given, setting ``values`` on it. The UPDATE holds the row
        until the transaction ends, so an end or a release cannot slip in between."""
        table = self.table
        condition = [table.c.id == chat_id, table.c.status == TAKEN]
        if staff_name is not None:
            condition.append(table.c.staff_name == staff_name)
        return connection.execute(sa.update(table).where(*condition)
                                  .values(**(values or {"id": table.c.id}))).rowcount == 1

    def _refused(self, chat_id: int) -> LiveChatTaken:
        chat = self.get(chat_id)
        return LiveChatTaken(chat_id, chat.staff_name if chat.status == TAKEN else None)

    def send(self, chat_id: int, staff_name: str, text: str) -> LiveMessage:
        """A message from the staff member holding the chat, for the resident (counted
        for the audit log, which never gets the text). A CPR or card number in it is
        removed, as from residents' messages; phone numbers and e-mail addresses stay
        (staff give their own)."""
        kept = redact(text[:MAX_MESSAGE_CHARS], allowed={PHONE, EMAIL}).text
        with self.engine.begin() as connection:
            if not self._still(connection, chat_id, staff_name, staff_messages=self.table.c.staff_messages + 1,
                               staff_seen_at=now()):
                message_id = None
            else:
                message_id = self._add(connection, chat_id, STAFF, kept)
        if message_id is None:
            raise self._refused(chat_id)
        return self.message(message_id)

    def typing(self, chat_id: int, staff_name: str) -> None:
        """The staff member is writing: the resident is shown so (one typing row per chat)."""
        table = self.messages_table
        with self.engine.begin() as connection:
            held = self._still(connection, chat_id, staff_name, staff_seen_at=now())
            if held:
                connection.execute(sa.delete(table).where(table.c.chat_id == chat_id, table.c.kind == TYPING))
                self._add(connection, chat_id, TYPING, "")
        if not held:
            raise self._refused(chat_id)

    def resident_wrote(self, chat_id: int, text: str) -> Optional[LiveMessage]:
        """A resident's message (already redacted) for the staff member who has the
        chat; None when nobody has it any more (then the assistant answers it)."""
        with self.engine.begin() as connection:
            message_id = self._add(connection, chat_id, RESIDENT, text, delivered=True) \
                if self._still(connection, chat_id) else None
        return self.message(message_id) if message_id is not None else None

    def _add(self, connection, chat_id: int, kind: str, text: str, delivered: bool = False) -> int:
        moment = now()
        result = connection.execute(sa.insert(self.messages_table).values(
            chat_id=chat_id, kind=kind, text=text, created_at=moment, delivered_at=moment if delivered else None))
        return int(result.inserted_primary_key[0])

    def message(self, message_id: int) -> LiveMessage:
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(self.messages_table)
                                     .where(self.messages_table.c.id == message_id)).first()
        if row is None:
            raise LookupError(message_id)
        return _message(row)

    def messages(self, chat_id: int, after: int = 0) -> List[LiveMessage]:
        """What was written in the chat (and the notices), oldest first, after message ``after``."""
        table = self.messages_table
        query = (sa.select(table).where(table.c.chat_id == chat_id, table.c.id > after, table.c.kind != TYPING)
                 .order_by(table.c.id))
        with self.engine.connect() as connection:
            return [_message(row) for row in connection.execute(query).all()]

    def outbox(self, sender_ids: Optional[Collection[str]] = None, channels: Collection[str] = (),
               limit: int = 500) -> List[Outgoing]:
        """Messages for residents not delivered yet, oldest first: of open chats, and of
        chats ended within ``DELIVERY_WINDOW`` (their last notice). Only for the
        conversations ``sender_ids`` and the ``channels`` when given (what one server
        can deliver: messages for residents gone offline do not crowd out the rest)."""
        messages, chats = self.messages_table, self.table
        where = [messages.c.delivered_at.is_(None), messages.c.kind.in_(TO_RESIDENT),
                 sa.or_(chats.c.status.in_(OPEN), chats.c.ended_at > now() - DELIVERY_WINDOW)]
        if sender_ids is not None:
            where.append(sa.or_(chats.c.sender_id.in_(list(sender_ids)), chats.c.channel.in_(list(channels))))
        query = (sa.select(messages, *[column.label(f"live_chat_{column.name}") for column in chats.c])
                 .join(chats, chats.c.id == messages.c.chat_id)
                 .where(*where).order_by(messages.c.id).limit(limit))
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return [Outgoing(_message(row), _chat(SimpleNamespace(
            **{column.name: row._mapping[f"live_chat_{column.name}"] for column in chats.c}))) for row in rows]

    def claim(self, message_id: int) -> bool:
        """Mark a message delivered; False when another server already did (deliver only on True)."""
        table = self.messages_table
        with self.engine.begin() as connection:
            return connection.execute(sa.update(table).where(table.c.id == message_id, table.c.delivered_at.is_(None))
                                      .values(delivered_at=now())).rowcount == 1

    def forget_sms_numbers(self, chat_id: Optional[int] = None) -> None:
        """Forget the SMS numbers of ended chats: of ``chat_id`` (its last notice went
        out), and of every chat ended longer ago than a notice may wait."""
        table = self.table
        ended = table.c.status == ENDED
        which = sa.or_(table.c.id == chat_id, table.c.ended_at < now() - DELIVERY_WINDOW)
        with self.engine.begin() as connection:
            connection.execute(sa.update(table).where(ended, which, table.c.sms_number.is_not(None))
                               .values(sms_number=None, sms_from=None))

    def set_sms_address(self, sender_id: str, number: str, sms_from: Optional[str]) -> bool:
        """Where the live messages of an SMS resident's open chat go; False without an open chat."""
        table = self.table
        with self.engine.begin() as connection:
            return connection.execute(
                sa.update(table).where(table.c.sender_id == sender_id[:MAX_SENDER], table.c.status.in_(OPEN))
                .values(sms_number=number, sms_from=sms_from)).rowcount > 0

    def seen(self, chat_id: int, staff_name: str) -> None:
        """The staff member's page is still there (it says so every few seconds)."""
        with self.engine.begin() as connection:
            held = self._still(connection, chat_id, staff_name, staff_seen_at=now())
        if not held:
            raise self._refused(chat_id)

    def end(self, chat_id: int, staff_name: str) -> LiveChat:
        """Staff hand the conversation back to the assistant (the resident is told)."""
        if not self._close(chat_id, BY_STAFF, staff_name, notice=ENDED_NOTICE, held_by=staff_name):
            raise self._refused(chat_id)
        return self.get(chat_id)

    def give_up(self, chat: LiveChat) -> bool:
        """The resident wrote "stop": the chat ends if it is still as they saw it
        (waiting, or taken by the same staff member; the staff member is told)."""
        if chat.status == TAKEN:
            return self._close(chat.id, BY_RESIDENT, chat.staff_name, notice=LEFT_NOTICE, held_by=chat.staff_name)
        return self._close(chat.id, BY_RESIDENT, "system", only_waiting=True)

    def expire_waiting(self, wait_seconds: float, at: Optional[datetime.datetime] = None) -> List[int]:
        """Chats nobody took within ``wait_seconds`` end; the resident is offered a
        callback (the notice). The chats this call ended (another server may end others)."""
        cutoff = (at or now()) - datetime.timedelta(seconds=wait_seconds)
        with self.engine.connect() as connection:
            ids = connection.execute(sa.select(self.table.c.id).where(
                self.table.c.status == WAITING, self.table.c.waiting_since < cutoff)).scalars().all()
        return [chat_id for chat_id in ids if self._close(chat_id, WAITED_TOO_LONG, "system",
                                                          notice=WAITED_TOO_LONG, only_waiting=True)]

    def end_stale(self, at: Optional[datetime.datetime] = None) -> int:
        """End chats open for longer than ``STALE_AFTER`` (the retention does it daily)."""
        cutoff = (at or now()) - STALE_AFTER
        with self.engine.connect() as connection:
            ids = connection.execute(sa.select(self.table.c.id).where(
                self.table.c.status.in_(OPEN), self.table.c.requested_at < cutoff)).scalars().all()
        return sum(self._close(chat_id, STALE, "system") for chat_id in ids)

    def _close(self, chat_id: int, reason: str, user: str, notice: Optional[str] = None,
               only_waiting: bool = False, held_by: Optional[str] = None) -> bool:
        """End an open chat (only a waiting one, or only one ``held_by`` that staff
        member); False when it was not so. The SMS number is forgotten at once, or
        once the notice had its time to go out (``forget_sms_numbers``)."""
        forget = {} if notice else {"sms_number": None, "sms_from": None}
        condition = [self.table.c.id == chat_id, self.table.c.status.in_((WAITING,) if only_waiting else OPEN)]
        if held_by is not None:
            condition += [self.table.c.status == TAKEN, self.table.c.staff_name == held_by]
        with self.engine.begin() as connection:
            result = connection.execute(
                sa.update(self.table).where(*condition)
                .values(status=ENDED, ended_at=now(), ended_by=reason, **forget)
            )
            if result.rowcount != 1:
                return False
            fresh = connection.execute(sa.select(self.table.c.staff_messages)
                                       .where(self.table.c.id == chat_id)).scalar_one()
            audit.record(connection, user, "live_ended",
                         details=f"Live samtale nr. {chat_id}: {fresh or 0} beskeder fra medarbejderen; "
                                 f"{ENDED_BY_LABELS[reason]}")
            if notice:
                self._add(connection, chat_id, NOTICE, notice)
            return True

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
                    .values(status=WAITING, staff_name=None, taken_at=None, staff_seen_at=None, shown_name=None,
                            waiting_since=now()))
                if result.rowcount == 1:
                    audit.record(connection, row.staff_name or "system", "live_released",
                                 details=f"Live samtale nr. {row.id}: tilbage i køen (medarbejderens side "
                                         "svarede ikke)")
                    self._add(connection, row.id, NOTICE, RELEASED_NOTICE)
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
        closed days as old; how many chats. First, chats left open for a day are
        ended and SMS numbers no notice needs any more are forgotten."""
        self.end_stale(at)
        self.forget_sms_numbers()
        cutoff = (at or now()) - datetime.timedelta(days=days)
        closed = tables.live_chat_closed_days
        old = sa.select(self.table.c.id).where(self.table.c.requested_at < cutoff, self.table.c.status == ENDED)
        with self.engine.begin() as connection:
            connection.execute(sa.delete(closed).where(closed.c.day < cutoff.date()))
            # Explicitly: SQLite enforces no foreign keys unless asked to.
            connection.execute(sa.delete(self.messages_table).where(self.messages_table.c.chat_id.in_(old)))
            return connection.execute(sa.delete(self.table).where(self.table.c.id.in_(old))).rowcount
