"""The action server's single answer store, opened on first use: its answer
data, and where callback requests are kept."""
import logging
from typing import Optional

import sqlalchemy as sa
from rasa_sdk.executor import CollectingDispatcher

from bot.answer_store import AnswerStore, CallbackStore, LiveChatStore, StoreUnavailable
from bot.knowledge import KnowledgeBase, KnowledgeError, KnowledgeStore
from bot.knowledge.answers import say
from bot.language.current import reply_language

logger = logging.getLogger(__name__)
# What stops an answer: the store is down, or (after a hand edit of the database) its data is invalid.
NoAnswerData = (StoreUnavailable, KnowledgeError)
_answer_store: Optional[AnswerStore] = None
_store: Optional[KnowledgeStore] = None
_callbacks: Optional[CallbackStore] = None
_live_chats: Optional[LiveChatStore] = None


def _opened() -> AnswerStore:
    global _answer_store
    if _answer_store is None:
        try:
            _answer_store = AnswerStore.open()
        except sa.exc.SQLAlchemyError as error:
            logger.error("The answer store cannot be opened: %s", error.__class__.__name__)
            raise StoreUnavailable() from None
    return _answer_store


def get_store() -> KnowledgeStore:
    """The store; raises one of ``NoAnswerData`` when no answer data can be had."""
    global _store
    if _store is None:
        _store = _opened().knowledge_store()
    return _store


def answer_data_or_apology(dispatcher: CollectingDispatcher) -> Optional[KnowledgeBase]:
    """The current answer data in the reply's language; without it, the
    resident gets the apology with the phone number."""
    try:
        return get_store().current().in_language(reply_language())
    except NoAnswerData:
        logger.exception("No valid answer data")
        dispatcher.utter_message(text=say("service_down"))
        return None


def set_store(store: Optional[KnowledgeStore]) -> None:
    """Replace the store (tests)."""
    global _store
    _store = store


def get_callbacks() -> CallbackStore:
    """Where callback requests are kept; raises ``StoreUnavailable`` when the database cannot be reached."""
    global _callbacks
    if _callbacks is None:
        _callbacks = _opened().callbacks
    return _callbacks


def set_callbacks(callbacks: Optional[CallbackStore]) -> None:
    """Replace where callback requests are kept (tests)."""
    global _callbacks
    _callbacks = callbacks


def get_live_chats() -> LiveChatStore:
    """The live chat's queue; raises ``StoreUnavailable`` when the database cannot be reached."""
    global _live_chats
    if _live_chats is None:
        _live_chats = _opened().live_chats
    return _live_chats


def set_live_chats(live_chats: Optional[LiveChatStore]) -> None:
    """Replace the live chat's queue (tests)."""
    global _live_chats
    _live_chats = live_chats


__all__ = ["NoAnswerData", "get_callbacks", "get_live_chats", "get_store", "set_callbacks", "set_live_chats",
           "set_store"]
