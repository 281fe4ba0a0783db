"""The action server's single answer store, opened on first use."""
import logging
from typing import Optional

import sqlalchemy as sa

from bot.answer_store import AnswerStore, StoreUnavailable
from bot.knowledge import KnowledgeError, KnowledgeStore

logger = logging.getLogger(__name__)
_store: Optional[KnowledgeStore] = None


def get_store() -> KnowledgeStore:
    """The store; raises ``KnowledgeError`` when no answer data can be had."""
    global _store
    if _store is None:
        try:
            _store = AnswerStore.open().knowledge_store()
        except sa.exc.SQLAlchemyError as error:
            logger.error("The answer store cannot be opened: %s", error.__class__.__name__)
            raise StoreUnavailable() from None
    return _store


def set_store(store: Optional[KnowledgeStore]) -> None:
    """Replace the store (tests)."""
    global _store
    _store = store


__all__ = ["KnowledgeError", "get_store", "set_store"]
