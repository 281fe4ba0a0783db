"""The live chat's queue as the Rasa server's parts reach it (the entrance,
the relay, the SMS channels): one store per process, opened on first use,
and none at all while ``LIVE_CHAT_HOURS`` is off (no database read per
message for an installation without a live chat)."""
import threading
from typing import Optional

from bot.answer_store.live_chats import LiveChatStore
from bot.config import AnswerStoreSettings, LiveChatSettings

_store: Optional[LiveChatStore] = None
_lock = threading.Lock()


def live_chats() -> Optional[LiveChatStore]:
    """The queue, or None when the live chat is off."""
    global _store
    if LiveChatSettings.once().hours.off:
        return None
    if _store is None:
        with _lock:
            if _store is None:
                from bot.answer_store.database import create_engine

                _store = LiveChatStore(create_engine(AnswerStoreSettings.once().url))
    return _store


def set_live_chats(store: Optional[LiveChatStore]) -> None:
    """Use ``store`` (tests)."""
    global _store
    _store = store
