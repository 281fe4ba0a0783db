"""The action server's view of the answer store.

``current()`` asks the database for its revision number on every call (one
tiny query) and reloads only when it moved, so a staff member's save reaches
the next resident's question with no polling delay and no restart. When the
database cannot be reached the caller gets ``StoreUnavailable`` and the
assistant says so; it does not answer from data that may be outdated.
"""
import logging
from typing import Optional

import sqlalchemy as sa

from bot.answer_store.entries import EntryStore
from bot.answer_store.errors import StoreUnavailable
from bot.knowledge.model import KnowledgeBase, KnowledgeError

logger = logging.getLogger(__name__)


class DatabaseKnowledgeStore:
    def __init__(self, entries: EntryStore):
        self.entries = entries
        self._revision: Optional[int] = None
        self._knowledge: Optional[KnowledgeBase] = None

    def current(self) -> KnowledgeBase:
        try:
            revision = self.entries.revision()
            if revision != self._revision:
                self._knowledge = self.entries.knowledge()
                self._revision = revision
                logger.info("Loaded answer data revision %d: %d entries", revision, len(self._knowledge.entries))
        except sa.exc.SQLAlchemyError as error:
            logger.error("The answer store cannot be reached: %s", error.__class__.__name__)
            raise StoreUnavailable() from None
        except KnowledgeError as error:
            # Every change is checked before it is kept, so this means a hand edit of the database.
            logger.error("%s\nStill answering from the last good answer data.", error)
            if self._knowledge is None:
                raise
        return self._knowledge
