"""The answer store: the answer data staff edit, their history, staff accounts,
the audit log, residents' callback requests and translators' checks of the
sentences shipped in every language, in SQLite by default or
PostgreSQL by ``DATABASE_URL``.

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
        self.entries = EntryStore(self.engine)
        self.staff = StaffStore(self.engine, settings.session_hours)
        self.callbacks = CallbackStore(self.engine)
        self.reviews = ReviewStore(self.engine)

    @classmethod
    def open(cls, settings: Optional[AnswerStoreSettings] = None) -> "AnswerStore":
        store = cls(settings or AnswerStoreSettings.once())
        migrate(store.engine)
        store.seed_if_empty()
        return store

    def seed_if_empty(self) -> None:
        if self.entries.revision() != 0:
            return
        knowledge = load_directory(self.settings.seed_dir)
        counts = self.entries.replace_many(list(knowledge.entries.values()), SYSTEM_USER, action="seeded")
        logger.info("Answer store seeded from %s: %d entries.", self.settings.seed_dir, counts["created"])

    def check_readable(self) -> None:
        """Read the answer data's revision (raises what the database raises): the readiness check."""
        self.entries.revision()

    def knowledge_store(self) -> DatabaseKnowledgeStore:
        return DatabaseKnowledgeStore(self.entries)

    def close(self) -> None:
        self.engine.dispose()


__all__ = [
    "AnswerStore", "CallbackNotFound", "CallbackRequest", "CallbackStore", "DatabaseKnowledgeStore",
    "EditConflict", "EntryStore", "EntryVersion", "NotFound", "ReviewRefused", "ReviewStore", "SentenceReview",
    "StaffError", "StaffSession", "StaffStore", "StaffUser", "StoreUnavailable", "StoredEntry",
]
