"""The live chat end to end on the real Rasa server and action server: a
resident asks for a person, joins the queue, a staff member (through the
answer store the admin writes to) takes the conversation; the assistant is
silent while they write, except for danger; staff messages reach the widget
(socket.io) and SMS; "Afslut" hands back to the assistant."""
import time

import pytest

from bot.channels.sms_format import to_gsm7
from tests.channels.conftest import GatewayApiResident
from tests.privacy.socket_client import SocketResident
from tests.senders import new_sender_id

pytestmark = pytest.mark.integration
WAIT = 10


class WidgetResident(SocketResident):
    """A widget resident who also sees the live chat's status line and typing."""

    def __init__(self, url):
        self.events = []
        super().__init__(url)
        for name in ("live_status", "live_typing"):
            self.client.on(name, lambda data, name=name: self.events.append((name, data)))

    def wait_for(self, found, timeout=WAIT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            hit = found()
            if hit:
                return hit
            time.sleep(0.05)
        raise AssertionError(f"not seen within {timeout} s; replies {self.replies}, events {self.events}")

    def reply_with(self, text):
        return self.wait_for(lambda: next((r for r in self.replies if text in r.get("text", "")), None))

    def to_staff(self, text, store, chat_id):
        """Write ``text`` while a staff member has the chat; the replies it got (it must reach them)."""
        def written():
            return [m.text for m in store.live_chats.messages(chat_id) if m.kind == "resident"]

        before, count = len(self.replies), len(written())
        self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})
        self.wait_for(lambda: len(written()) > count)
        time.sleep(1.5)  # an answer from the assistant would have come by now
        return self.replies[before:]

    def status(self):
        return self.wait_for(lambda: [data for name, data in self.events if name == "live_status"])[-1]


def texts(replies):
    return "\n".join(r.get("text", "") for r in replies)


def test_asking_for_a_person_offers_writing_with_a_staff_member_now_where_staff_can_reach(stack, assistant):
    resident = WidgetResident(stack["assistant"].url)
    try:
        resident.ask("jeg vil tale med et menneske")
        payloads = [b["payload"] for r in resident.replies for b in r.get("quick_replies") or r.get("buttons") or []]
        assert "/live_chat" in payloads and "/request_callback" in payloads
        assert "56 67 67 67" in texts(resident.replies)
    finally:
        resident.close()
    # A REST client cannot receive a staff member's messages: only the phone and the callback.
    replies = assistant.ask(new_sender_id("live"), "jeg vil tale med et menneske")
    payloads = [b["payload"] for r in replies for b in r.get("buttons") or []]
    assert "/live_chat" not in payloads and "/request_callback" in payloads


def test_the_assistant_pauses_while_staff_write_except_for_danger(stack, stack_store):
    resident = WidgetResident(stack["assistant"].url)
    try:
        assert "i køen" in "\n".join(resident.ask("/live_chat"))
        chat = stack_store.live_chats.open_for(resident.session_id)
        assert "jobplaneten" in "\n".join(resident.ask("hvad er jobplaneten")).lower()  # waiting: still answered
        stack_store.live_chats.take(chat.id, "mette")
        resident.reply_with("skriver med dig nu")
        assert resident.to_staff("hej, jeg har et spørgsmål om min søn", stack_store, chat.id) == []  # staff only
        assert resident.to_staff("mit cpr er 010190-1234", stack_store, chat.id) != []  # the removal notice
        written = [m.text for m in stack_store.live_chats.messages(chat.id) if m.kind == "resident"]
        assert written == ["hej, jeg har et spørgsmål om min søn", "mit cpr er [fjernet]"]
        assert "112" in "\n".join(resident.ask("min mand slår mig"))  # danger: answered at once
        stack_store.live_chats.end(chat.id, "mette")
        resident.reply_with("Nu svarer chatbotten dig igen.")
        assert "jobplaneten" in "\n".join(resident.ask("hvad er jobplaneten")).lower()
    finally:
        resident.close()


def test_stop_leaves_the_queue_or_the_staff_member(stack, stack_store):
    resident = WidgetResident(stack["assistant"].url)
    try:
        resident.ask("/live_chat")
        assert "ikke længere i køen" in "\n".join(resident.ask("stop"))
        assert stack_store.live_chats.open_for(resident.session_id) is None
        resident.ask("/live_chat")
        chat = stack_store.live_chats.open_for(resident.session_id)
        stack_store.live_chats.take(chat.id, "mette")
        resident.reply_with("skriver med dig nu")
        resident.client.emit("user_uttered", {"message": "stop", "session_id": resident.session_id})
        resident.reply_with("du skriver ikke længere med medarbejderen")
        assert stack_store.live_chats.get(chat.id).ended_by == "resident"
    finally:
        resident.close()


def test_staff_messages_reach_the_widget_with_the_status_line_and_typing(stack, stack_store):
    resident = WidgetResident(stack["assistant"].url)
    try:
        assert any("nr. " in text for text in resident.ask("/live_chat"))
        assert resident.status()["state"] == "waiting"
        chat = stack_store.live_chats.open_for(resident.session_id)
        assert chat.channel == "socketio"

        stack_store.live_chats.take(chat.id, "mette", shown_name="Mette")
        resident.reply_with("Mette fra Køge Kommune skriver med dig nu.")
        resident.wait_for(lambda: resident.status()["state"] == "taken")
        stack_store.live_chats.typing(chat.id, "mette")
        resident.wait_for(lambda: any(name == "live_typing" for name, _ in resident.events))
        stack_store.live_chats.send(chat.id, "mette", "Hej, hvad kan jeg hjælpe med?")
        staff = resident.reply_with("Hej, hvad kan jeg hjælpe med?")
        assert staff["live"] == {"from": "Mette, Køge Kommune"}

        before = len(resident.replies)
        resident.client.emit("user_uttered", {"message": "jeg søger job", "session_id": resident.session_id})
        resident.wait_for(lambda: "jeg søger job" in [m.text for m in stack_store.live_chats.messages(chat.id)])
        time.sleep(1.5)
        assert resident.replies[before:] == []  # the assistant stays silent

        stack_store.live_chats.end(chat.id, "mette")
        resident.reply_with("Nu svarer chatbotten dig igen.")
        resident.wait_for(lambda: resident.status()["state"] == "")
        assert "jobplaneten.dk" in "\n".join(resident.ask("hvad er jobplaneten"))
    finally:
        resident.close()


def test_staff_messages_reach_an_sms_resident(stack, stack_store, fake_gateway):
    resident = GatewayApiResident(stack["assistant"].url, fake_gateway)
    assert "i køen" in resident.ask("skriv med en medarbejder nu")
    chat = next(c for c in stack_store.live_chats.open_chats() if c.sms_number == resident.msisdn)
    assert chat.channel == "gatewayapi"
    before = len(resident.replies())
    stack_store.live_chats.take(chat.id, "mette")
    stack_store.live_chats.send(chat.id, "mette", "Hej fra Mette i Køge Kommune")
    sent = fake_gateway.wait_for(resident.msisdn, before + 2, WAIT)[before:]
    assert [s.text for s in sent] == [to_gsm7("En medarbejder fra Køge Kommune skriver med dig nu."),
                                      to_gsm7("Medarbejder: Hej fra Mette i Køge Kommune")]
    assert resident.send("tak for hjaelpen") == 200
    resident_says = lambda: [m.text for m in stack_store.live_chats.messages(chat.id) if m.kind == "resident"]  # noqa: E731
    deadline = time.monotonic() + WAIT
    while "tak for hjaelpen" not in resident_says() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "tak for hjaelpen" in resident_says()
    time.sleep(1.5)
    assert len(resident.replies()) == before + 2  # no reply from the assistant meanwhile
    stack_store.live_chats.end(chat.id, "mette")
    ended = fake_gateway.wait_for(resident.msisdn, before + 3, WAIT)[-1].text
    assert "Nu svarer chatbotten dig igen" in ended
    assert stack_store.live_chats.get(chat.id).sms_number is None  # the number is forgotten
