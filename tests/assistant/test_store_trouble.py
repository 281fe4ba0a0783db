"""The conversation store locked by another process (as a stuck tool would): the
resident is still answered (Rasa keeps that one turn in memory when the store
cannot save it; an error anywhere else gives the Danish apology, see
tests/rasa_server/test_entrance.py), what was saved before stays, and the store
is used again as soon as the lock is gone, without a restart."""
import sqlite3

import pytest

from bot.knowledge.answers import say
from tests.senders import new_sender_id

pytestmark = pytest.mark.integration


def test_a_locked_conversation_store_gets_the_apology_and_then_answers_again(assistant, stack):
    sender = new_sender_id("locked")
    assert "Fælles Fremtid" in assistant.text(sender, "min søn søger fritidsjob")
    other = sqlite3.connect(stack["work"] / "var" / "conversations.db", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        # The server waits 15 s for the lock (bot/sqlite.py), then gives up on this message.
        reply = assistant.ask(sender, "hvad er jobplaneten", timeout=60)
    finally:
        other.execute("ROLLBACK")
        other.close()
    texts = "\n".join(message.get("text", "") for message in reply)
    assert "jobplaneten.dk" in texts
    log = (stack["logs"] / "Rasa-server.log").read_text(errors="replace")
    assert "database is locked" in log
    # Once the lock is gone: the conversation from before goes on ("dem" is Fælles Fremtid),
    # and its turns are saved again.
    saved_before = _events(stack)
    assert "56 67 67 67" in assistant.text(sender, "hvordan kontakter jeg dem?")
    assert _events(stack) > saved_before


def _events(stack) -> int:
    with sqlite3.connect(stack["work"] / "var" / "conversations.db") as connection:
        return connection.execute("SELECT count(*) FROM events").fetchone()[0]
