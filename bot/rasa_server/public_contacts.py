"""The phone numbers and e-mail addresses of the answer data, which residents may quote.

They belong to the municipality and its staff, so the entrance leaves them in a
message ("jeg ringede til 56 67 67 67"). They are read from the answer store,
the same data the action server answers from, and read again whenever its
revision moves: a number staff add in the admin is public from the next message
on. Until the store can be read (a fresh installation, an outage) the seed
answer data stands in; without either, every number is redacted (more, never less).
"""
import logging
import threading
import time
from typing import Callable, FrozenSet, Iterable, Optional, Tuple

from bot.config import AnswerStoreSettings, Settings
from bot.knowledge import KnowledgeError, load_directory
from bot.knowledge.model import KnowledgeBase

logger = logging.getLogger(__name__)

# How long a revision check is trusted: residents' messages come faster than staff edits.
RECHECK_SECONDS = 5.0
# When neither the store nor the seed can be read: the number the apologies give too.
SEED_FALLBACK = ("Køge Kommune", "56 67 67 67")


def details_of(knowledge: KnowledgeBase) -> FrozenSet[str]:
    found = set()
    for entry in knowledge.entries.values():
        found.update(value for value in (entry.phone, entry.email) if value)
    return frozenset(found)


def fallback_of(knowledge: KnowledgeBase) -> Tuple[str, str]:
    """Whom a resident is sent to when nothing else fits: name and phone."""
    contact = knowledge.fallback_contact
    return contact.name, contact.phone


def _seed() -> Optional[KnowledgeBase]:
    try:
        return load_directory(Settings.once().knowledge_dir)
    except (KnowledgeError, OSError) as error:
        logger.warning("Could not read the seed answer data (%s); all numbers are redacted.",
                       type(error).__name__)
        return None


def _open_entries():
    from bot.answer_store.database import create_engine
    from bot.answer_store.entries import EntryStore

    return EntryStore(create_engine(AnswerStoreSettings.once().url))


class PublicContacts:
    """``current()``: the public details of the newest answer data this process could read."""

    def __init__(self, open_entries: Callable = _open_entries, clock: Callable[[], float] = time.monotonic):
        self._open_entries = open_entries
        self._clock = clock
        self._entries = None
        self._revision: Optional[int] = None
        self._details: Optional[FrozenSet[str]] = None
        self._fallback: Optional[Tuple[str, str]] = None
        self._checked_at = float("-inf")
        self._failing = False
        self._lock = threading.Lock()

    def current(self) -> FrozenSet[str]:
        with self._lock:
            if self._details is None or self._clock() - self._checked_at >= RECHECK_SECONDS:
                self._refresh()
            return self._details

    def fallback(self) -> Tuple[str, str]:
        """The fallback contact's name and phone, read as ``current()`` reads the details."""
        self.current()
        return self._fallback or SEED_FALLBACK
    def _refresh(self) -> None:
        self._checked_at = self._clock()
        try:
            if self._entries is None:
                self._entries = self._open_entries()
            revision = self._entries.revision()
            if revision and revision != self._revision:
                knowledge = self._entries.knowledge()
                self._details, self._fallback = details_of(knowledge), fallback_of(knowledge)
                self._revision = revision
            self._failing = False
        except Exception as error:  # noqa: BLE001 - an unreadable store must not stop a message
            if not self._failing:  # once per outage, not at every check
                logger.warning("The answer store could not be read for public numbers (%s).", type(error).__name__)
            self._failing = True
        if self._details is None:
            seed = _seed()
            self._details = details_of(seed) if seed else frozenset()
            self._fallback = fallback_of(seed) if seed else None


_shared = PublicContacts()


def public_contact_details() -> Iterable[str]:
    return _shared.current()


def fallback_contact() -> Tuple[str, str]:
    return _shared.fallback()
