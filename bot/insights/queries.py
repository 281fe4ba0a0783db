"""Every SQL query of the insights, in one place (SQLAlchemy Core).

Two databases are read:

* the conversation store: the ``events`` table of Rasa's ``SQLTrackerStore``
  (``PrivacySettings.database_url``: SQLite ``DATA_DIR/conversations.db`` or
  ``TRACKER_DATABASE_URL``). Only read, never written. One row per event:
  ``type_name`` says what happened (``user``, ``bot``, ``action``, ``slot``,
  ``active_loop``, ...), ``intent_name`` is the recognised intent of a
  ``user`` event, ``action_name`` the name of an ``action`` (and of a slot or
  form), ``timestamp`` a Unix time, ``data`` the whole event as JSON text.
  The language of a ``user`` event: the ``language`` entity in its
  ``parse_data`` (``bot/rasa_server/reply_language.py`` adds it when the
  language can be told, a language button gives it too); without one, the
  conversation's language so far: the value of the newest ``language`` slot
  event before it, Danish at the start and after a restart or reset.
  Which answer-data entry an answer came from: the value of the ``subject``
  slot event the answering action returns with it (``actions/messages.py``,
  ``send``: an answer about one entry names it; a list of several, an "I do
  not know" and a fixed text name none).
* the answer store: callback requests (counted, never shown here) and the
  inbox questions staff have marked as handled (read and written).

Rows become plain records here; what they mean is worked out in
``bot.insights.report``.
"""
import datetime
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

import sqlalchemy as sa

from bot.answer_store import audit, tables
from bot.answer_store.times import as_utc, now
from bot.errors import AssistantError
from bot.insights.labels import language_code
from bot.language.detect import DANISH

logger = logging.getLogger(__name__)

# Rasa's SQLTrackerStore table (rasa/core/tracker_store.py, SQLEvent), declared
# rather than reflected: nothing is asked of the database before the first query.
EVENTS = sa.Table(
    "events",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)

ACTION_LISTEN = "action_listen"
LANGUAGE = "language"  # the entity and the slot (domain.yml)
SUBJECT = "subject"  # the slot naming the entry an answer was about (domain.yml)
# Events after which the conversation has no language slot any more (Danish):
# a restart, a reset of all slots, a new session (slots carried over into it
# come as slot events right after it).
SLOTS_CLEARED = ("restart", "reset_slots", "session_started")


class ConversationsUnavailable(AssistantError):
    """The conversation store cannot be read right now (a database that is down, say)."""

    status, code = 503, "samtaler_utilgaengelige"
    message = "Samtalerne kan ikke læses lige nu. Prøv igen om lidt."


@dataclass(frozen=True)
class UserTurn:
    """One message from a resident, with what the assistant did about it.

    ``confidence`` is the model's confidence in ``intent`` (None when the event
    holds none); ``next_action`` is the first action the assistant ran after
    the message (None while it has not answered yet); ``in_form`` says a form
    was active (the callback form, say): the message answers the form's
    question rather than asking one. ``language`` is the language the message
    is written in, a code of ``bot.language.detect.SUPPORTED`` (see the
    module's description).
    """

    event_id: int
    sender_id: str
    timestamp: float
    channel: str
    text: str
    intent: Optional[str]
    confidence: Optional[float]
    next_action: Optional[str]
    in_form: bool
    language: str


def _confidence(parse_data: dict) -> Optional[float]:
    intent = parse_data.get("intent") if isinstance(parse_data, dict) else None
    value = intent.get("confidence") if isinstance(intent, dict) else None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _json_object(text: Optional[str]) -> dict:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _entity_language(parse_data: dict) -> Optional[str]:
    """The language the message's ``language`` entity names (None without one, or with an unknown code)."""
    entities = parse_data.get("entities") if isinstance(parse_data, dict) else None
    for entity in entities if isinstance(entities, list) else []:
        if isinstance(entity, dict) and entity.get("entity") == LANGUAGE:
            found = language_code(entity.get("value"))
            if found:
                return found
    return None


def _slot_language(event_data: Optional[str]) -> str:
    """The conversation's language after the event ``user_turns`` found as
    ``language_before`` (a ``language`` slot event or one clearing the slots;
    None: no such event). Danish unless a slot event set a language the assistant knows."""
    event = _json_object(event_data)
    return (event.get("event") == "slot" and language_code(event.get("value"))) or DANISH


def _turn(row) -> UserTurn:
    data = _json_object(row.data)
    parse_data = data.get("parse_data") or {}
    text = data.get("text")
    channel = data.get("input_channel")
    return UserTurn(
        event_id=row.id,
        sender_id=row.sender_id,
        timestamp=row.timestamp or 0.0,
        channel=channel if isinstance(channel, str) and channel else "ukendt",
        text=text if isinstance(text, str) else "",
        intent=row.intent_name,
        confidence=_confidence(parse_data),
        next_action=row.next_action,
        in_form=row.active_loop is not None,
        language=_entity_language(parse_data) or _slot_language(row.language_before),
    )


class ConversationEvents:
    """Read-only queries on the conversation store's ``events`` table."""

    def __init__(self, database_url: str):
        self.url = sa.engine.make_url(database_url)
        self._engine: Optional[sa.engine.Engine] = None

    def _sqlite_file_missing(self) -> bool:
        # Before the first conversation there is no file; reading must not create one.
        database = self.url.database
        return self.url.drivername.startswith("sqlite") and bool(database) and database != ":memory:" \
            and not Path(database).is_file()

    def _connect(self) -> Optional[sa.engine.Connection]:
        if self._sqlite_file_missing():
            return None
        if self._engine is None:
            if self.url.drivername.startswith("sqlite"):
                self._engine = sa.create_engine(self.url, future=True, connect_args={"timeout": 15,
                                                                                     "check_same_thread": False})
            else:
                self._engine = sa.create_engine(self.url, future=True, pool_pre_ping=True)
        return self._engine.connect()

    def check_readable(self) -> None:
        """Read the newest event's id (raises what the database raises). Before the
        first conversation, a missing file or table is fine: Rasa creates them."""
        connection = self._connect()
        if connection is None:
            return
        with connection:
            if sa.inspect(connection).has_table("events"):
                connection.execute(sa.select(sa.func.max(EVENTS.c.id))).scalar()

    def _rows(self, query) -> list:
        """The rows of ``query``; none before the first conversation. Raises ConversationsUnavailable."""
        try:
            connection = self._connect()
            if connection is None:
                return []
            with connection:
                if not sa.inspect(connection).has_table("events"):
                    return []
                return connection.execute(query).all()
        except sa.exc.SQLAlchemyError as error:
            logger.warning("The conversation store could not be read: %s", type(error).__name__)
            raise ConversationsUnavailable() from error

    def messages(self, sender_id: str, limit: int, before: Optional[float] = None) -> List[Tuple[str, float, dict]]:
        """The newest ``limit`` resident and assistant messages of one conversation
        (before Unix time ``before``), oldest first: (type_name "user"/"bot", timestamp, event)."""
        query = (sa.select(EVENTS.c.id, EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
                 .where(EVENTS.c.sender_id == sender_id, EVENTS.c.type_name.in_(("user", "bot")))
                 .order_by(EVENTS.c.id.desc()).limit(limit))
        if before is not None:
            query = query.where(EVENTS.c.timestamp < before)
        return [(row.type_name, row.timestamp or 0.0, _json_object(row.data)) for row in reversed(self._rows(query))]

    def user_turns(self, since: float, until: Optional[float] = None) -> List[UserTurn]:
        """Every resident message with ``since <= timestamp < until``, oldest first."""
        user, action, loop, slot = EVENTS.alias("u"), EVENTS.alias("a"), EVENTS.alias("l"), EVENTS.alias("s")
        next_action = (
            sa.select(action.c.action_name)
            .where(action.c.sender_id == user.c.sender_id, action.c.id > user.c.id,
                   action.c.type_name == "action", action.c.action_name != ACTION_LISTEN)
            .order_by(action.c.id).limit(1)
            .scalar_subquery().label("next_action")
        )
        # The newest form event before the message: a form's name while it runs, NULL once it ended.
        active_loop = (
            sa.select(loop.c.action_name)
            .where(loop.c.sender_id == user.c.sender_id, loop.c.id < user.c.id, loop.c.type_name == "active_loop")
            .order_by(loop.c.id.desc()).limit(1)
            .scalar_subquery().label("active_loop")
        )
        # The newest event before the message that set the language slot or cleared the slots:
        # the conversation's language so far, for a message without a language entity of its own.
        language_before = (
            sa.select(slot.c.data)
            .where(slot.c.sender_id == user.c.sender_id, slot.c.id < user.c.id,
                   sa.or_(sa.and_(slot.c.type_name == "slot", slot.c.action_name == LANGUAGE),
                          slot.c.type_name.in_(SLOTS_CLEARED)))
            .order_by(slot.c.id.desc()).limit(1)
            .scalar_subquery().label("language_before")
        )
        query = (
            sa.select(user.c.id, user.c.sender_id, user.c.timestamp, user.c.intent_name, user.c.data,
                      next_action, active_loop, language_before)
            .where(user.c.type_name == "user", user.c.timestamp >= since)
            .order_by(user.c.timestamp, user.c.id)
        )
        if until is not None:
            query = query.where(user.c.timestamp < until)
        rows = self._rows(query)
        return [_turn(row) for row in rows]

    def subject_answers(self, since: float, until: Optional[float] = None) -> List[Tuple[float, str]]:
        """(Unix time, entry id) of every answer about one entry with ``since <= timestamp < until``
        (a ``subject`` slot event with a value), oldest first."""
        query = (sa.select(EVENTS.c.timestamp, EVENTS.c.data)
                 .where(EVENTS.c.type_name == "slot", EVENTS.c.action_name == SUBJECT, EVENTS.c.timestamp >= since)
                 .order_by(EVENTS.c.timestamp, EVENTS.c.id))
        if until is not None:
            query = query.where(EVENTS.c.timestamp < until)
        rows = self._rows(query)
        answers = []
        for row in rows:
            value = _json_object(row.data).get("value")
            if isinstance(value, str) and value:
                answers.append((row.timestamp or 0.0, value))
        return answers

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


# --- the answer store -------------------------------------------------------------------------


@dataclass(frozen=True)
class HandledMark:
    question_hash: str
    handled_at: datetime.datetime
    handled_by: str


def callback_times(engine: sa.engine.Engine, since: datetime.datetime,
                   until: Optional[datetime.datetime] = None) -> List[datetime.datetime]:
    """When each callback request in the period was made (UTC), oldest first.
    Only the moments: the requests themselves (names, numbers) are not read."""
    column = tables.callback_requests.c.created_at
    query = sa.select(column).where(column >= since).order_by(column)
    if until is not None:
        query = query.where(column < until)
    with engine.connect() as connection:
        return [as_utc(moment) for moment in connection.execute(query).scalars()]


def handled_marks(engine: sa.engine.Engine) -> Dict[str, HandledMark]:
    """Every handled mark, by question hash."""
    table = tables.inbox_handled
    with engine.connect() as connection:
        rows = connection.execute(sa.select(table)).all()
    return {row.question_hash: HandledMark(row.question_hash, as_utc(row.handled_at), row.handled_by)
            for row in rows}


def mark_handled(engine: sa.engine.Engine, question_hashes: Iterable[str], by: str, details: str = "") -> None:
    """Marks the questions handled (those not marked already), in ``by``'s name,
    with a line in the audit log, in one transaction."""
    table = tables.inbox_handled
    wanted = sorted(set(question_hashes))
    try:
        with engine.begin() as connection:
            present = set(connection.execute(
                sa.select(table.c.question_hash).where(table.c.question_hash.in_(wanted))).scalars())
            missing = [value for value in wanted if value not in present]
            if not missing:
                return
            moment = now()
            connection.execute(sa.insert(table), [
                {"question_hash": value, "handled_at": moment, "handled_by": by} for value in missing])
            audit.record(connection, by, "inbox_handled", details=details)
    except sa.exc.IntegrityError:
        pass  # someone else marked them at the same moment: they are handled
