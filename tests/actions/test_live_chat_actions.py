"""Offering the live chat and joining its queue (against a real answer store):
in opening hours the choice to write with a staff member now, outside them
when it opens again, and always the callback and the phone number."""
import datetime

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import store as action_store
from actions.live_chat import ActionLiveChat, ActionOfferPerson
from bot.answer_store.times import danish_today
from bot.config import PROJECT_ROOT
from bot.knowledge.store import StaticKnowledgeStore

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def stores(kb, answer_store):
    action_store.set_store(StaticKnowledgeStore(kb))
    action_store.set_live_chats(answer_store.live_chats)
    yield answer_store.live_chats
    action_store.set_store(None)
    action_store.set_live_chats(None)


def tracker(sender="web-1", language=None, channel="socketio"):
    message = {"text": "/live_chat", "intent": {"name": "live_chat", "confidence": 1.0}, "entities": []}
    events = [{"event": "action", "name": "action_listen"},
              {"event": "user", "text": "/live_chat", "parse_data": message, "input_channel": channel}]
    return Tracker(sender, {"language": language}, message, events, False, None, {}, "action_listen")


async def run(action, tracker_):
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker_, DOMAIN)
    return dispatcher.messages


def payloads(messages):
    return [b["payload"] for m in messages for b in m.get("buttons") or []]


async def test_in_opening_hours_the_offer_has_write_with_a_staff_member_now(monkeypatch):
    monkeypatch.setenv("LIVE_CHAT_HOURS", "always")
    messages = await run(ActionOfferPerson(), tracker())
    assert [m["text"] for m in messages] == [
        "Du kan skrive med en medarbejder her i chatten nu. Eller vil du hellere have, at en medarbejder ringer dig op?"]
    assert messages[0]["buttons"] == [{"title": "Skriv med en medarbejder nu", "payload": "/live_chat"},
                                      {"title": "Ja, ring mig op", "payload": "/request_callback"},
                                      {"title": "Nej tak", "payload": "/deny"}]


async def test_outside_opening_hours_the_offer_says_when_it_opens(monkeypatch, stores):
    monkeypatch.setenv("LIVE_CHAT_HOURS", "always")
    today = danish_today()
    for day in range(15):
        stores.close_day(today + datetime.timedelta(days=day), "mette")
    messages = await run(ActionOfferPerson(), tracker())
    assert payloads(messages) == [] and [m["response"] for m in messages] == ["utter_offer_callback"]
    stores.close_day(today + datetime.timedelta(days=14), "mette", closed=False)
    messages = await run(ActionOfferPerson(), tracker())
    assert "/live_chat" not in payloads(messages)
    assert messages[0]["text"].startswith("Du kan også skrive med en medarbejder her. Det kan du igen ")


async def test_with_the_live_chat_off_only_the_callback_is_offered(monkeypatch):
    monkeypatch.setenv("LIVE_CHAT_HOURS", "off")
    messages = await run(ActionOfferPerson(), tracker())
    assert [m.get("response") for m in messages] == ["utter_offer_callback"]


async def test_not_offered_where_staff_messages_cannot_reach_the_resident(monkeypatch, stores):
    monkeypatch.setenv("LIVE_CHAT_HOURS", "always")
    messages = await run(ActionOfferPerson(), tracker(channel="rest"))
    assert [m.get("response") for m in messages] == ["utter_offer_callback"]
    messages = await run(ActionLiveChat(), tracker(channel="rest"))
    assert messages[0]["text"].startswith("Du kan ikke skrive med en medarbejder her i chatten.")
    assert stores.open_for("web-1") is None
    sms = await run(ActionOfferPerson(), tracker(channel="gatewayapi"))
    assert "/live_chat" in payloads(sms)


async def test_joining_the_queue_says_the_place_and_asking_again_does_not_queue_twice(monkeypatch, stores):
    monkeypatch.setenv("LIVE_CHAT_HOURS", "always")
    stores.request("someone-else", "socketio", "da")
    messages = await run(ActionLiveChat(), tracker(language="en"))
    assert messages[0]["text"].startswith("You are number 2 in the queue.")
    chat = stores.open_for("web-1")
    assert (chat.channel, chat.language, chat.status) == ("socketio", "en", "waiting")
    again = await run(ActionLiveChat(), tracker(language="en"))
    assert again[0]["text"].startswith("You are already in the queue as number 2.")
    assert len(stores.open_chats()) == 2


async def test_when_closed_the_resident_gets_the_phone_number_and_the_callback(monkeypatch):
    monkeypatch.setenv("LIVE_CHAT_HOURS", "off")
    messages = await run(ActionLiveChat(), tracker())
    assert messages[0]["text"].startswith("Du kan ikke skrive med en medarbejder her i chatten.")
    assert "Køge Kommune" in messages[0]["text"] and "56 67 67 67" in messages[0]["text"]
    assert messages[1]["response"] == "utter_offer_callback"
    assert action_store.get_live_chats().open_for("web-1") is None


async def test_outside_hours_it_says_when_the_live_chat_opens(monkeypatch, stores):
    monkeypatch.setenv("LIVE_CHAT_HOURS", "always")
    stores.close_day(danish_today(), "mette")
    messages = await run(ActionLiveChat(), tracker())
    assert messages[0]["text"].startswith("Der er ingen medarbejder i chatten lige nu. "
                                          "Du kan skrive med en medarbejder her igen i morgen kl. 0.")
    assert stores.open_for("web-1") is None
