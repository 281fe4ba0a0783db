"""The answer store: the answer data staff edit, their history, owners and
review dates, staff accounts, the audit log, residents' callback requests and
translators' checks of the sentences shipped in every language, in SQLite by
default or PostgreSQL by ``DATABASE_URL``.

``AnswerStore.open()`` migrates the schema and, the first time, seeds the
entries from ``data/knowledge/*.yml``; after that the database is the truth
and YAML is the export format.
"""
import logging
from typing import Optional

from bot.answer_store.callbacks import CallbackNotFound, CallbackRequest, CallbackStore
from bot.answer_store.database import create_engine, migrate
from bot.answer_store.entries import EntryStore, EntryVersion, StoredEntry
from bot.answer_store.errors import EditConflict, NotFound, StoreUnavailable
from bot.answer_store.knowledge_store import DatabaseKnowledgeStore
from bot.answer_store.live_chats import LiveChat, LiveChatNotFound, LiveChatStore, LiveChatTaken
from bot.answer_store.review_dates import DueEntry, ReviewDates, ReviewPeriods, seeded
from bot.answer_store.reviews import ReviewRefused, ReviewStore, SentenceReview
from bot.answer_store.staff import StaffError, StaffSession, StaffStore, StaffUser
from bot.config import AnswerStoreSettings
from bot.knowledge import load_directory

logger = logging.getLogger(__name__)

SYSTEM_USER = "system"


class AnswerStore:
    def __init__(self, settings: AnswerStoreSettings):
        self.settings = settings
        self.engine = create_engine(settings.url)
        self.entries = EntryStore(self.engine, ReviewPeriods.from_settings(settings))
        self.staff = StaffStore(self.engine, settings.session_hours)
        self.callbacks = CallbackStore(self.engine)
        self.live_chats = LiveChatStore(self.engine)
        # Translators' checks of the shipped sentences; not to be mixed up with:
        self.reviews = ReviewStore(self.engine)
        # which entries are due for a check ("Skal tjekkes"; EntryStore.mark_checked checks one).
        self.review_dates = ReviewDates(self.engine)

    @classmethod
    def open(cls, settings: Optional[AnswerStoreSettings] = None) -> "AnswerStore":
        store = cls(settings or AnswerStoreSettings.once())
        migrate(store.engine)
        store.seed_if_empty()
        return store

    def seed_if_empty(self) -> None:
        """The first time: every entry of the seed data, owned by the plan's secretariat and
        due for a check today (unless the seed file gives an owner or review date)."""
        if self.entries.revision() != 0:
            return
        knowledge = load_directory(self.settings.seed_dir)
        entries = [seeded(entry) for entry in knowledge.entries.values()]
        counts = self.entries.replace_many(entries, SYSTEM_USER, action="seeded")
        logger.info("Answer store seeded from %s: %d entries.", self.settings.seed_dir, counts["created"])

    def check_readable(self) -> None:
        """Read the answer data's revision (raises what the database raises): the readiness check."""
        self.entries.revision()

    def knowledge_store(self) -> DatabaseKnowledgeStore:
        return DatabaseKnowledgeStore(self.entries)

    def close(self) -> None:
        self.engine.dispose()


__all__ = [
    "AnswerStore", "CallbackNotFound", "CallbackRequest", "CallbackStore", "DatabaseKnowledgeStore", "DueEntry",
    "EditConflict", "EntryStore", "EntryVersion", "LiveChat", "LiveChatNotFound", "LiveChatStore", "LiveChatTaken",
    "NotFound", "ReviewDates", "ReviewPeriods", "ReviewRefused", "ReviewStore", "SentenceReview",
    "StaffError", "StaffSession", "StaffStore", "StaffUser", "StoreUnavailable", "StoredEntry",
]
