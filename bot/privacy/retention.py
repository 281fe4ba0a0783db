"""Delete conversations older than the retention period.

``python -m bot retention [--days N]`` runs it once; ``python -m bot run``
runs it at start and then daily (``DailyRetention``). A conversation session
(from one ``action_session_start`` to the next) is deleted whole once its
last event is older than the period, so what remains of a resident's
conversation still starts with a session and replays correctly.
Plain SQLAlchemy on Rasa's ``events`` table: works for SQLite and PostgreSQL.

SMS replies the channels gave up sending (``SmsStore.give_up``), residents'
callback requests and ended live chats in the answer store are deleted after
the same period (``delete_old_sms_replies``, ``delete_old_callback_requests``,
``delete_old_live_chats``); nothing else in the answer store is touched.
"""
import dataclasses
import datetime
import logging
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional

import sqlalchemy as sa

from bot.answer_store.callbacks import CallbackStore
from bot.answer_store.database import create_engine
from bot.answer_store.live_chats import LiveChatStore
from bot.channels.sms_store import SmsStore
from bot.config import AnswerStoreSettings, PrivacySettings

logger = logging.getLogger(__name__)

SECONDS_PER_DAY = 24 * 3600
SESSION_START_ACTION = "action_session_start"
DELETE_BATCH = 500


def _sessions(rows: List[sa.engine.Row]) -> List[List[sa.engine.Row]]:
    """One sender's events (ordered by id) split into conversation sessions."""
    sessions: List[List[sa.engine.Row]] = []
    for row in rows:
        starts_session = row.type_name == "action" and row.action_name == SESSION_START_ACTION
        if starts_session or not sessions:
            sessions.append([])
        sessions[-1].append(row)
    return sessions


def delete_old_conversations(database_url: str, days: float, now: Optional[float] = None) -> Dict[str, int]:
    """Delete sessions whose last event is more than ``days`` old.
    Returns how many events and senders' conversations were deleted."""
    cutoff = (now if now is not None else time.time()) - days * SECONDS_PER_DAY
    engine = sa.create_engine(database_url, future=True)
    deleted = {"events": 0, "conversations": 0}
    try:
        if not sa.inspect(engine).has_table("events"):
            return deleted
        events = sa.table(
            "events", sa.column("id"), sa.column("sender_id"), sa.column("type_name"),
            sa.column("action_name"), sa.column("timestamp"),
        )
        with engine.begin() as connection:
            senders = connection.execute(
                sa.select(events.c.sender_id).where(events.c.timestamp < cutoff).distinct()
            ).scalars().all()
            for sender in senders:
                rows = connection.execute(
                    sa.select(events.c.id, events.c.type_name, events.c.action_name, events.c.timestamp)
                    .where(events.c.sender_id == sender)
                    .order_by(events.c.id)
                ).all()
                old = [row.id for session in _sessions(rows)
                       if max(row.timestamp or 0 for row in session) < cutoff for row in session]
                for start in range(0, len(old), DELETE_BATCH):
                    connection.execute(sa.delete(events).where(events.c.id.in_(old[start:start + DELETE_BATCH])))
                deleted["events"] += len(old)
                deleted["conversations"] += int(len(old) == len(rows))
    finally:
        engine.dispose()
    return deleted


def run_once(settings: Optional[PrivacySettings] = None, days: Optional[float] = None) -> Dict[str, int]:
    settings = settings or PrivacySettings.once()
    days = settings.retention_days if days is None else days
    if settings.database_url.startswith("sqlite") and not (settings.data_dir / "conversations.db").exists() \
            and not settings.tracker_database_url:
        return {"events": 0, "conversations": 0}  # nothing stored yet; do not create the file
    deleted = delete_old_conversations(settings.database_url, days)
    logger.info("Retention (%g days): deleted %d events, %d whole conversations.",
                days, deleted["events"], deleted["conversations"])
    return deleted


def delete_old_sms_replies(sms_data_dir: Path, days: float, now: Optional[float] = None) -> int:
    """Delete the SMS replies given up on more than ``days`` ago from every SMS
    channel's store in ``sms_data_dir``. Creates nothing. Returns how many."""
    cutoff = (now if now is not None else time.time()) - days * SECONDS_PER_DAY
    deleted = 0
    for path in sorted(Path(sms_data_dir).glob("*.db")):
        store = SmsStore(path)
        try:
            deleted += store.delete_given_up(older_than=cutoff)
        finally:
            store.close()
    if deleted:
        logger.info("Retention (%g days): deleted %d SMS replies given up on.", days, deleted)
    return deleted


def _in_answer_store(settings: AnswerStoreSettings, table: str, delete: Callable[[sa.engine.Engine], int]) -> int:
    """``delete`` run on the answer store, when it exists and has ``table``.
    Creates nothing (no database file, no migration)."""
    url = settings.url
    database = sa.engine.make_url(url)
    if database.drivername.startswith("sqlite") and not (database.database and Path(database.database).exists()):
        return 0
    engine = create_engine(url)
    try:
        return delete(engine) if sa.inspect(engine).has_table(table) else 0
    finally:
        engine.dispose()


def _moment(now: Optional[float]) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(now if now is not None else time.time(), datetime.timezone.utc)


def delete_old_callback_requests(settings: AnswerStoreSettings, days: float, now: Optional[float] = None) -> int:
    """Delete the callback requests made more than ``days`` ago from the answer store. Returns how many."""
    deleted = _in_answer_store(settings, "callback_requests",
                               lambda engine: CallbackStore(engine).delete_older_than(days, _moment(now)))
    if deleted:
        logger.info("Retention (%g days): deleted %d callback requests.", days, deleted)
    return deleted


def delete_old_live_chats(settings: AnswerStoreSettings, days: float, now: Optional[float] = None) -> int:
    """Delete the ended live chats asked for more than ``days`` ago, with what was
    written in them (``live_messages``; the resident's messages are in the
    conversation too, deleted with it). Chats left open for a day are ended
    first. Returns how many were deleted."""
    deleted = _in_answer_store(settings, "live_chats",
                               lambda engine: LiveChatStore(engine).delete_older_than(days, _moment(now)))
    if deleted:
        logger.info("Retention (%g days): deleted %d live chats.", days, deleted)
    return deleted


def answer_store_beside(settings: PrivacySettings) -> AnswerStoreSettings:
    """The answer store of the same installation: ``DATABASE_URL``, else the same data folder."""
    return dataclasses.replace(AnswerStoreSettings.once(), data_dir=settings.data_dir)


class DailyRetention:
    """Runs ``run_once`` when due: at the first call, then every ``interval`` seconds.
    A failure is reported and retried at the next interval; it never stops the caller."""

    def __init__(self, settings: Optional[PrivacySettings] = None, interval: float = SECONDS_PER_DAY,
                 clock: Callable[[], float] = time.monotonic, report: Callable[[str], None] = print,
                 sms_data_dir: Optional[Path] = None, answer_store: Optional[AnswerStoreSettings] = None):
        self.settings = settings or PrivacySettings.once()
        self.answer_store = answer_store or answer_store_beside(self.settings)
        self.sms_data_dir = sms_data_dir
        self.interval = interval
        self.clock = clock
        self.report = report
        self._next_run: Optional[float] = None

    def run_if_due(self) -> None:
        now = self.clock()
        if self._next_run is not None and now < self._next_run:
            return
        self._next_run = now + self.interval
        try:
            deleted = run_once(self.settings)
            if self.sms_data_dir is not None:
                delete_old_sms_replies(self.sms_data_dir, self.settings.retention_days)
            callbacks = delete_old_callback_requests(self.answer_store, self.settings.retention_days)
            delete_old_live_chats(self.answer_store, self.settings.retention_days)
            self.report(f"Retention: conversations and callback requests older than "
                        f"{self.settings.retention_days:g} days deleted ({deleted['events']} events, "
                        f"{callbacks} callback requests).")
        except Exception as error:  # noqa: BLE001 - the assistant keeps running; the next run retries
            self.report(f"Retention could not run ({type(error).__name__}: {error}); trying again in a day.")
