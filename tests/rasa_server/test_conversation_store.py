"""The conversation store: where it connects, from one URL, and how it forgets
the phone numbers and e-mail addresses a callback form let through."""
import asyncio
import json
import sqlite3

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.config import PrivacySettings
from bot.rasa_server.conversation_store import ConversationStore, connection_arguments


def test_sqlite_in_the_data_folder_by_default(tmp_path):
    url = PrivacySettings(data_dir=tmp_path).database_url
    assert connection_arguments(url)["dialect"] == "sqlite"
    assert connection_arguments(url)["db"] == str(tmp_path / "conversations.db")


def test_postgresql_by_url():
    url = PrivacySettings(tracker_database_url="postgresql://rasa:hemmelig@db.example:5433/samtaler").database_url
    assert connection_arguments(url) == {
        "dialect": "postgresql", "host": "db.example", "port": 5433, "db": "samtaler",
        "username": "rasa", "password": "hemmelig", "query": None,
    }


def test_settings_from_the_environment(tmp_path):
    settings = PrivacySettings.from_env({"DATA_DIR": str(tmp_path), "RETENTION_DAYS": "7"})
    assert settings.retention_days == 7 and settings.database_url.endswith("conversations.db")


# --- contact details are removed once the callback form is over ------------------------

DOMAIN = Domain.from_dict({"slots": {"callback_phone": {"type": "text", "mappings": [{"type": "custom"}]}},
                           "forms": {"callback_form": {"required_slots": ["callback_phone"]}}})


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("PRIVACY_KEY", "unit-test-key")
    conversations = ConversationStore(DOMAIN, url=f"sqlite:///{tmp_path / 'conversations.db'}")
    yield conversations
    conversations.engine.dispose()


def stored(tmp_path, sender="mette") -> str:
    with sqlite3.connect(tmp_path / "conversations.db") as db:
        return " ".join(data for (data,) in db.execute("SELECT data FROM events WHERE sender_id = ?", (sender,)))


def in_the_form(sender="mette"):
    return DialogueStateTracker.from_events(sender, [
        ActionExecuted("action_listen"), UserUttered("ring mig op"), ActionExecuted("callback_form"),
        ActiveLoop("callback_form"), BotUttered("Hvilket telefonnummer kan vi ringe til?"),
        ActionExecuted("action_listen"), UserUttered("mit nr er 22 33 44 55 og mail mette@example.com"),
        SlotSet("callback_phone", "22334455"), BotUttered("Telefon: 22 33 44 55. Er det i orden?"),
    ], slots=DOMAIN.slots)


def test_the_number_is_kept_while_the_form_runs(store, tmp_path):
    asyncio.run(store.save(in_the_form()))
    assert "22 33 44 55" in stored(tmp_path) and "22334455" in stored(tmp_path)


def test_once_the_form_is_over_the_number_is_gone_from_every_stored_event(store, tmp_path):
    tracker = in_the_form()
    asyncio.run(store.save(tracker))
    tracker.update_with_events([
        ActionExecuted("callback_form"), ActiveLoop(None), ActionExecuted("action_submit_callback"),
        BotUttered("Tak. En medarbejder ringer dig op på 22 33 44 55. Du kan også ringe til 56 67 67 67."),
        SlotSet("callback_phone", None),
    ], DOMAIN)
    asyncio.run(store.save(tracker))
    everything = stored(tmp_path)
    for written in ("22 33 44 55", "22334455", "mette@example.com"):
        assert written not in everything
    assert "56 67 67 67" in everything  # the municipality's own number stays
    texts = [json.loads(row)["text"] for row in everything_of(tmp_path, "user")]
    assert texts == ["ring mig op", "mit nr er [fjernet] og mail [fjernet]"]
    again = asyncio.run(store.retrieve("mette"))
    assert again.get_slot("callback_phone") is None


def everything_of(tmp_path, type_name):
    with sqlite3.connect(tmp_path / "conversations.db") as db:
        return [data for (data,) in db.execute("SELECT data FROM events WHERE type_name = ?", (type_name,))]


def test_other_conversations_are_left_alone(store, tmp_path):
    asyncio.run(store.save(in_the_form("anden")))
    done = in_the_form()
    done.update_with_events([ActiveLoop(None)], DOMAIN)
    asyncio.run(store.save(done))
    assert "22334455" not in stored(tmp_path, "mette")
    assert "22334455" in stored(tmp_path, "anden")


# --- saving a loaded conversation stores exactly its new events -------------------------

def turns_of_a_resident():
    """What three turns add to a conversation, a new session in the middle one."""
    from rasa.shared.core.events import SessionStarted
    return [
        [UserUttered("hej"), ActionExecuted("utter_greet"), BotUttered("Hej!"), ActionExecuted("action_listen")],
        [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
         UserUttered("hvad er jobplaneten"), ActionExecuted("action_answer"), BotUttered("Jobplaneten er ..."),
         ActionExecuted("action_listen")],
        [UserUttered("tak"), ActionExecuted("utter_welcome"), BotUttered("Selv tak"), ActionExecuted("action_listen")],
    ]


async def hold_conversation(store, sender="anna"):
    tracker = await store.get_or_create_tracker(sender)
    for turn in turns_of_a_resident():
        tracker = await store.retrieve(sender)  # each turn loads the conversation anew, as Rasa does
        for event in turn:
            tracker.update(event)
        await store.save(tracker)
    full = await store.retrieve_full_tracker(sender)
    return [(type(e).__name__, getattr(e, "text", None) or getattr(e, "action_name", None)) for e in full.events]


def test_each_save_stores_the_new_events_once_as_rasas_own_store_does(tmp_path, monkeypatch):
    from rasa.core.tracker_store import SQLTrackerStore

    monkeypatch.setenv("PRIVACY_KEY", "unit-test-key")
    ours = ConversationStore(DOMAIN, url=f"sqlite:///{tmp_path / 'ours.db'}")
    rasas = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "rasa.db"))

    stored_by_ours = asyncio.run(hold_conversation(ours))

    assert stored_by_ours == asyncio.run(hold_conversation(rasas))
    assert [text for kind, text in stored_by_ours if kind == "UserUttered"] == ["hej", "hvad er jobplaneten", "tak"]
    ours.engine.dispose()
    rasas.engine.dispose()


def test_saving_a_loaded_conversation_asks_the_database_no_count(store):
    import sqlalchemy as sa

    async def one_turn():
        await store.get_or_create_tracker("anna")
        tracker = await store.retrieve("anna")
        statements = []
        sa.event.listen(store.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        for event in turns_of_a_resident()[0]:
            tracker.update(event)
        await store.save(tracker)
        return statements

    statements = asyncio.run(one_turn())

    assert any(s.startswith("INSERT INTO events") for s in statements)
    assert not any("count(" in s.lower() for s in statements)


# --- an SQLite file: one pooled connection, WAL, and every turn still there after a restart

def test_turns_reuse_one_connection_and_survive_a_new_store(store, tmp_path):
    import sqlalchemy as sa

    opened = []
    sa.event.listen(store.engine, "connect", lambda *args: opened.append(1))

    conversation = asyncio.run(hold_conversation(store))

    assert len(opened) == 1
    with sqlite3.connect(tmp_path / "conversations.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    restarted = ConversationStore(DOMAIN, url=f"sqlite:///{tmp_path / 'conversations.db'}")
    again = asyncio.run(restarted.retrieve_full_tracker("anna"))
    assert [(type(e).__name__, getattr(e, "text", None) or getattr(e, "action_name", None))
            for e in again.events] == conversation
    restarted.engine.dispose()
