"""CPR numbers written to the real server are never stored or logged.

Hypothesis writes CPR numbers in every common format inside Danish sentences
and sends them through the REST channel, socket.io and SMS; the tracker
store's rows and the server's captured log output must not contain them, the
resident is told kindly, and the rest of the message is still answered.
"""

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from tests.privacy.helpers import server_log, stored_rows, stored_user_texts
from tests.privacy.strategies import only_digits, sentences_with_cpr
from tests.privacy.socket_client import SocketResident
from tests.channels.conftest import GatewayApiResident
from tests.senders import new_sender_id

pytestmark = pytest.mark.integration

NOTICE = "CPR-nummer"


def assert_nowhere(stack, sender_id, written, digits):
    for row in stored_rows(stack, sender_id):
        assert written not in row and digits not in row
    for text in stored_user_texts(stack, sender_id):
        assert digits not in only_digits(text)
    log = server_log(stack)
    assert written not in log and digits not in log


@settings(max_examples=50, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow])
@given(example=sentences_with_cpr())
def test_rest_never_stores_or_logs_a_cpr_number(stack, example):
    sentence, written, digits = example
    sender = new_sender_id("cpr")
    replies = [r.get("text", "") for r in stack["assistant"].ask(sender, sentence)]
    assert NOTICE in replies[0], replies
    assert len(replies) >= 2, "the rest of the message must still be answered"
    assert stored_user_texts(stack, sender), "the turn itself is stored, without the number"
    assert_nowhere(stack, sender, written, digits)


def test_the_question_beside_the_number_is_answered(assistant, sender):
    reply = assistant.text(sender, "mit cpr er 010190-1234, hvad er jobplaneten?")
    assert NOTICE in reply and "jobplaneten.dk" in reply


def test_socketio_never_stores_a_cpr_number(stack):
    resident = SocketResident(stack["assistant"].url)
    try:
        replies = resident.ask("hvad er jobplaneten? mit cpr er 24 12 85 4321")
    finally:
        resident.close()
    assert NOTICE in replies[0] and any("jobplaneten.dk" in r for r in replies)
    assert_nowhere(stack, resident.session_id, "24 12 85 4321", "2412854321")


def test_sms_never_stores_a_cpr_number(stack, fake_gateway):
    resident = GatewayApiResident(stack["assistant"].url, fake_gateway)
    reply = resident.ask("hvad er jobplaneten? cpr 0302791234")
    assert "CPR" in reply
    assert not any("0302791234" in row for row in stored_rows(stack))
    assert "0302791234" not in server_log(stack)


def test_phone_numbers_and_emails_are_removed_too(assistant, sender, stack):
    reply = assistant.text(sender, "ring til mig på 23 45 67 89 eller skriv til anna@example.com")
    assert "telefonnummer" in reply and "e-mailadresse" in reply
    stored = " ".join(stored_rows(stack, sender))
    assert "23 45 67 89" not in stored and "anna@example.com" not in stored


def test_a_phone_number_used_as_sender_id_is_not_stored(assistant, stack):
    assistant.ask("+45 31 41 59 26", "hej")
    everything = " ".join(stored_rows(stack)) + server_log(stack)
    assert "31 41 59 26" not in everything and "31415926" not in everything


def test_the_served_rasa_server_redacts_at_the_entrance(assistant, sender, stack):
    """The server was started by bot.rasa_server (the store warns otherwise), and the
    municipality's own number, quoted by a resident, is not taken for personal data."""
    reply = assistant.text(sender, "jeg har ringet til 56 67 67 67 men ingen tog den")
    assert "telefonnummer" not in reply
    assert "not started with python -m bot.rasa_server" not in server_log(stack)
