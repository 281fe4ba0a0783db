"""At the entrance, while a staff member writes with a resident: the message
goes to the staff member and into the conversation, the assistant stays
silent, danger is still answered; a waiting resident leaves with "stop"."""
import asyncio

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import InMemoryLockStore

from bot.live_chat.store import set_live_chats
from bot.rasa_server.live_pause import held_back, is_stop


class Agent:
    """What the entrance uses of Rasa's agent: its lock store, ``parse_message`` (the
    intents of ``INTENTS``, else a question about jobs) and ``log_message``."""

    INTENTS = {"jeg orker ikke mere, det hele er sort": "suicidal"}

    def __init__(self):
        self.lock_store = InMemoryLockStore()
        self.logged = []
        self.parsed = []

    async def parse_message(self, text):
        self.parsed.append(text)
        return {"text": text, "intent": {"name": self.INTENTS.get(text, "ask_job_help"), "confidence": 0.9}}

    async def log_message(self, message):
        self.logged.append(message.text)


@pytest.fixture
def queue(answer_store, monkeypatch):
    monkeypatch.setenv("LIVE_CHAT_HOURS", "always")
    set_live_chats(answer_store.live_chats)
    yield answer_store.live_chats
    set_live_chats(None)


def arrive(text, sender="web-1"):
    agent, channel = Agent(), CollectingOutputChannel()
    held = asyncio.run(held_back(agent, UserMessage(text, channel, sender)))
    return held, agent.logged, [m["text"] for m in channel.messages]


def test_without_a_live_chat_the_assistant_answers(queue):
    assert arrive("hvad er jobplaneten") == (False, [], [])


def test_with_the_live_chat_off_nothing_is_read(answer_store, monkeypatch):
    monkeypatch.setenv("LIVE_CHAT_HOURS", "off")
    set_live_chats(None)
    answer_store.live_chats.take(answer_store.live_chats.request("web-1", "socketio", "da").id, "mette")
    assert arrive("hej") == (False, [], [])


def test_a_taken_conversation_goes_to_the_staff_member_and_the_assistant_is_silent(queue):
    chat = queue.request("web-1", "socketio", "da")
    queue.take(chat.id, "mette")
    assert arrive("jeg har brug for hjælp til at søge job") == (True, ["jeg har brug for hjælp til at søge job"], [])
    assert [(m.kind, m.text) for m in queue.messages(chat.id)][-1] == (
        "resident", "jeg har brug for hjælp til at søge job")
    assert arrive("hej", sender="web-2") == (False, [], [])  # another conversation: the assistant answers


def test_danger_is_answered_at_once_even_while_staff_write(queue):
    chat = queue.request("web-1", "socketio", "da")
    queue.take(chat.id, "mette")
    assert arrive("min mand slår mig") == (False, [], [])  # the precise patterns
    assert queue.messages(chat.id)[-1].text == "min mand slår mig"  # the staff member sees it too
    assert arrive("jeg orker ikke mere, det hele er sort") == (False, [], [])  # the model's intent


def test_stop_in_a_taken_chat_ends_it_and_the_staff_member_is_told(queue):
    chat = queue.request("web-1", "socketio", "da")
    queue.take(chat.id, "mette")
    assert arrive("stop") == (True, ["stop"], [])  # the resident is told by the notice, as the staff member
    assert (queue.get(chat.id).status, queue.get(chat.id).ended_by) == ("ended", "resident")
    assert queue.messages(chat.id)[-1].text == "left"


def test_a_chat_ended_at_the_same_moment_leaves_the_message_to_the_assistant(queue, monkeypatch):
    chat = queue.request("web-1", "socketio", "da")
    queue.take(chat.id, "mette")
    seen_open = queue.open_for("web-1")
    queue.end(chat.id, "mette")
    monkeypatch.setattr(queue, "open_for", lambda sender: seen_open)  # read just before the end
    assert arrive("er du der stadig?") == (False, [], [])
    assert "er du der stadig?" not in [m.text for m in queue.messages(chat.id)]


def test_when_the_queue_cannot_be_read_the_assistant_answers(queue, monkeypatch, caplog):
    def broken(sender):
        raise OSError("database gone")

    monkeypatch.setattr(queue, "open_for", broken)
    assert arrive("hvad er jobplaneten") == (False, [], [])
    assert "the assistant answers" in caplog.text


def test_a_waiting_resident_asks_the_assistant_meanwhile_or_leaves_with_stop(queue):
    chat = queue.request("web-1", "socketio", "en")
    assert arrive("hvad er jobplaneten") == (False, [], [])
    assert arrive("Stop!") == (True, ["Stop!"], ["Okay, you are no longer in the queue. You can keep writing to me."])
    assert queue.get(chat.id).ended_by == "resident"


@pytest.mark.parametrize("text", ["stop", "STOP.", "annuller", "jeg vil ikke vente", "cancel"])
def test_stop_words(text):
    assert is_stop(text)


@pytest.mark.parametrize("text", ["stop med at ringe til mig", "hvornår stopper bussen", "stoppested"])
def test_not_stop(text):
    assert not is_stop(text)


def test_a_message_to_the_staff_member_is_parsed_once(queue):
    queue.take(queue.request("web-1", "socketio", "da").id, "mette")
    agent, kept = Agent(), []

    async def log_message(message):
        kept.append(message.parse_data)

    agent.log_message = log_message
    assert asyncio.run(held_back(agent, UserMessage("hvornår kan vi tales ved", CollectingOutputChannel(), "web-1")))
    assert agent.parsed == ["hvornår kan vi tales ved"]
    assert kept[0]["intent"]["name"] == "ask_job_help"  # Rasa's log_message uses it instead of parsing again
