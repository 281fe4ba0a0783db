"""The action server's single answer store, opened on first use."""
import logging
from typing import Optional

from bot.config import Settings
from bot.knowledge import KnowledgeError, KnowledgeStore, YamlKnowledgeStore

logger = logging.getLogger(__name__)
_store: Optional[KnowledgeStore] = None


def get_store() -> KnowledgeStore:
    """The store; raises ``KnowledgeError`` when no valid answer data exists."""
    global _store
    if _store is None:
        _store = YamlKnowledgeStore(Settings.from_env().knowledge_dir)
    return _store


def set_store(store: Optional[KnowledgeStore]) -> None:
    """Replace the store (tests)."""
    global _store
    _store = store


__all__ = ["KnowledgeError", "get_store", "set_store"]
