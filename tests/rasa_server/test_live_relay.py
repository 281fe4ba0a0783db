"""The relay that brings the live chat's messages to residents: each message
once, to the server that holds the resident's socket (or by SMS from any
server), the notices in the chat's language, the status line on change, and
the queue's housekeeping."""
import asyncio
import datetime

import pytest
import sqlalchemy as sa

from bot.answer_store import tables
from bot.answer_store.times import now
from bot.config import LiveChatSettings
from bot.live_chat.hours import OpeningHours
from bot.rasa_server.live_relay import STATUS_EVENT, TYPING_EVENT, LiveRelay, sms_channels


class Rooms:
    """The socket.io rooms of one server: which residents are connected here, and what was emitted."""

    bot_message_evt = "bot_uttered"

    def __init__(self, *rooms):
        self.rooms = {room: frozenset({f"sid-{room}"}) for room in rooms}
        self.emitted = []

    def sockets(self, room):
        return self.rooms.get(room, frozenset())

    def here(self, room):
        return bool(self.sockets(room))

    def all(self):
        return list(self.rooms)

    async def emit(self, event, data, room):
        self.emitted.append((event, data, room))

    def messages(self, room=None):
        return [data for event, data, to in self.emitted if event == "bot_uttered" and room in (None, to)]

    def events(self, name):
        return [(data, to) for event, data, to in self.emitted if event == name]


class Sms:
    """An SMS channel's conversations: what it was asked to send."""

    def __init__(self):
        self.sent = []

    async def send_live(self, number, reply_from, messages):
        self.sent.append((number, reply_from, messages))
        return True


SETTINGS = LiveChatSettings(hours=OpeningHours.parse("always"), wait_minutes=10, grace_seconds=60)


def relay(store, rooms=None, sms=None):
    return LiveRelay(store.live_chats, rooms, {"gatewayapi": sms} if sms else {}, SETTINGS)


def tick(*relays):
    async def one_round(relay_):
        await relay_.tick()
        await relay_.sent()

    for one in relays:
        asyncio.run(one_round(one))


def test_a_staff_message_reaches_the_widget_once_from_the_server_holding_its_socket(answer_store):
    chat = answer_store.live_chats.request("web-1", "socketio", "da")
    answer_store.live_chats.take(chat.id, "mette", shown_name="Mette")
    answer_store.live_chats.send(chat.id, "mette", "Hej, hvad kan jeg hjælpe med?")
    elsewhere, here = Rooms("web-2"), Rooms("web-1")
    tick(relay(answer_store, elsewhere), relay(answer_store, here), relay(answer_store, Rooms("web-1")))
    assert elsewhere.messages() == []
    assert [m["text"] for m in here.messages()] == ["Mette fra Køge Kommune skriver med dig nu.",
                                                    "Hej, hvad kan jeg hjælpe med?"]
    staff = here.messages()[1]
    assert staff["live"] == {"from": "Mette, Køge Kommune"} and staff["lang"] == "da" and staff["dir"] == "ltr"
    assert here.events(STATUS_EVENT)[-1] == ({"state": "taken", "text": "Du skriver med Mette fra Køge Kommune."},
                                             "web-1")
    assert answer_store.live_chats.outbox() == []


def test_notices_in_the_chats_language_and_typing(answer_store):
    chat = answer_store.live_chats.request("web-1", "socketio", "en")
    answer_store.live_chats.take(chat.id, "mette")
    answer_store.live_chats.typing(chat.id, "mette")
    rooms = Rooms("web-1")
    tick(relay(answer_store, rooms))
    assert rooms.messages()[0]["text"] == "A staff member from Køge Kommune is writing with you now."
    assert rooms.events(TYPING_EVENT) == [({"text": "The staff member is typing"}, "web-1")]
    answer_store.live_chats.end(chat.id, "mette")
    tick(relay(answer_store, rooms))
    assert rooms.messages()[-1]["text"] == ("The staff member has ended the conversation. "
                                            "The chatbot will answer you again now.")


def test_the_place_in_the_queue_is_sent_when_it_changes(answer_store):
    first = answer_store.live_chats.request("web-1", "socketio", "da")
    answer_store.live_chats.request("web-2", "socketio", "da")
    rooms = Rooms("web-2")
    one = relay(answer_store, rooms)
    asyncio.run(one.send_statuses())
    asyncio.run(one.send_statuses())  # unchanged: not sent again
    assert rooms.events(STATUS_EVENT) == [({"state": "waiting", "text": "Du er nr. 2 i køen til en medarbejder."},
                                           "web-2")]
    answer_store.live_chats.give_up(answer_store.live_chats.open_for("web-1"))
    asyncio.run(one.send_statuses())
    assert rooms.events(STATUS_EVENT)[-1][0]["text"] == "Du er nr. 1 i køen til en medarbejder."
    rooms.rooms["web-2"] = frozenset({"sid-after-a-reload"})
    asyncio.run(one.send_statuses())
    assert len(rooms.events(STATUS_EVENT)) == 3  # a new connection gets the line again
    assert first.id != 0


def test_an_sms_resident_gets_staff_messages_by_sms_but_not_typing(answer_store):
    chat = answer_store.live_chats.request("sms-1", "gatewayapi", "da")
    answer_store.live_chats.set_sms_address("sms-1", "+4512345678", "Koege")
    answer_store.live_chats.take(chat.id, "mette")
    answer_store.live_chats.typing(chat.id, "mette")
    answer_store.live_chats.send(chat.id, "mette", "Hej fra Mette")
    sms, other = Sms(), Sms()
    tick(relay(answer_store, sms=sms), relay(answer_store, sms=other))
    assert [(number, sender, [m["text"] for m in messages]) for number, sender, messages in sms.sent] == [
        ("+4512345678", "Koege", ["En medarbejder fra Køge Kommune skriver med dig nu."]),
        ("+4512345678", "Koege", ["Medarbejder: Hej fra Mette"])]  # who wrote it, in front
    assert other.sent == []
    assert answer_store.live_chats.outbox() == []


def test_nobody_took_it_in_time_and_the_callback_is_offered(answer_store):
    chat = answer_store.live_chats.request("web-1", "socketio", "da")
    rooms = Rooms("web-1")
    one = relay(answer_store, rooms)
    tick(one)
    assert rooms.events(STATUS_EVENT)[-1][0]["state"] == "waiting"
    with answer_store.engine.begin() as connection:
        connection.execute(sa.update(tables.live_chats).values(waiting_since=now() - datetime.timedelta(minutes=11)))
    one._housekept = float("-inf")  # housekeeping is due
    tick(one, one)
    offer = rooms.messages()[-1]
    assert offer["text"].startswith("Der er desværre ingen medarbejder ledig lige nu.")
    assert [b["payload"] for b in offer["quick_replies"]] == ["/request_callback", "/deny"]
    assert answer_store.live_chats.get(chat.id).ended_by == "waited_too_long"
    assert rooms.events(STATUS_EVENT)[-1][0] == {"state": "", "text": ""}


def test_the_relay_outlives_a_database_outage(answer_store, caplog):
    broken = relay(answer_store, Rooms("web-1"))
    answer_store.engine.dispose()
    broken.store.engine = sa.create_engine("sqlite:////nonexistent/folder/answers.db")

    async def two_rounds():
        task = asyncio.ensure_future(broken.run())
        await asyncio.sleep(0.4)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(two_rounds())
    assert [r.message for r in caplog.records if "Live chat relay" in r.message] == [
        "Live chat relay: OperationalError; trying again."]


def test_the_sms_channels_are_found_by_their_conversations():
    class Channel:
        def __init__(self, name, conversations=None):
            self._name, self.conversations = name, conversations

        def name(self):
            return self._name

    sms = object()
    assert sms_channels([Channel("rest"), Channel("gatewayapi", sms)]) == {"gatewayapi": sms}
