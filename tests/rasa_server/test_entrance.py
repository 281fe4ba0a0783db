"""The entrance: what Rasa receives after a message has passed it."""
import asyncio

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage

from bot.rasa_server import entrance


@pytest.fixture(autouse=True)
def key(monkeypatch):
    monkeypatch.setenv("PRIVACY_KEY", "unit-test-key")


def protect(message):
    return asyncio.run(entrance.protect(agent=None, message=message))


def test_text_metadata_and_kinds():
    message = UserMessage(
        "hvad er jobplaneten? cpr 010190-1234", CollectingOutputChannel(), "s1",
        metadata={"note": "ring 23456789", "nested": [{"mail": "a@b.dk"}]},
    )
    assert protect(message) == {"cpr", "phone", "email"}
    assert message.text == "hvad er jobplaneten? cpr [fjernet]"
    assert "23456789" not in str(message.metadata) and "a@b.dk" not in str(message.metadata)
    assert message.metadata[entrance.METADATA_KEY] == ["cpr", "email", "phone"]


def test_public_contact_details_of_the_answer_data_stay():
    message = UserMessage("jeg ringede til 56 67 67 67", CollectingOutputChannel(), "s1")
    assert protect(message) == set()
    assert message.text == "jeg ringede til 56 67 67 67"


def test_a_phone_number_as_sender_id_becomes_a_pseudonym():
    message = UserMessage("hej", CollectingOutputChannel(), "+4523456789")
    protect(message)
    assert message.sender_id.startswith("anon-") and "23456789" not in message.sender_id


def test_replies_still_reach_a_socket_room_named_after_the_raw_id():
    sent = []

    class Room(OutputChannel):
        async def send_text_message(self, recipient_id, text, **kwargs):
            sent.append(recipient_id)

    message = UserMessage("hej", Room(), "23456789")
    protect(message)
    asyncio.run(message.output_channel.send_response(message.sender_id, {"text": "svar"}))
    assert sent == ["23456789"]


def test_ordinary_messages_are_untouched():
    message = UserMessage("hvad er helhedsplanen", CollectingOutputChannel(), "s1", metadata={"a": 1})
    assert protect(message) == set()
    assert message.text == "hvad er helhedsplanen" and message.metadata == {"a": 1}


class StoreWith:
    """An agent whose conversation store holds one conversation, in a form or not."""

    def __init__(self, active_form=None):
        from rasa.shared.core.events import ActiveLoop
        from rasa.shared.core.trackers import DialogueStateTracker

        events = [ActiveLoop(active_form)] if active_form else []
        tracker = DialogueStateTracker.from_events("s1", events)

        class Trackers:
            async def retrieve(self, sender_id):
                return tracker if sender_id == "s1" else None

        self.tracker_store = Trackers()


def test_the_callback_form_is_a_contact_detail_form():
    from actions.names import FORM_CALLBACK

    assert FORM_CALLBACK in entrance.CONTACT_DETAIL_FORMS


@pytest.mark.parametrize("form, kept", [("callback_form", True), (None, False), ("other_form", False)])
def test_phone_numbers_and_emails_pass_only_while_the_callback_form_runs(form, kept):
    message = UserMessage("22 33 44 55 eller mette@example.com, cpr 010190-1234", CollectingOutputChannel(), "s1")
    kinds = asyncio.run(entrance.protect(agent=StoreWith(form), message=message))
    assert ("22 33 44 55" in message.text and "mette@example.com" in message.text) is kept
    assert "010190-1234" not in message.text  # CPR numbers never pass
    assert kinds == ({"cpr"} if kept else {"cpr", "phone", "email"})


def test_a_failure_behind_the_entrance_gets_the_resident_the_apology_not_silence(monkeypatch, caplog):
    from rasa.core.lock_store import LockError

    from bot.knowledge.answers import say

    async def redis_is_down(agent, message):
        raise LockError("Error while acquiring lock. Error: Connection refused")

    monkeypatch.setattr(entrance, "_original_handle_message", redis_is_down)
    channel = CollectingOutputChannel()

    result = asyncio.run(entrance._handle_private_message(None, UserMessage("hej", channel, "resident")))

    assert result is None
    assert [message["text"] for message in channel.messages] == [say("service_down")]
    assert "56 67 67 67" in say("service_down")
    assert "LockError" in caplog.text and "resident" not in caplog.text  # the sender only as a hash
