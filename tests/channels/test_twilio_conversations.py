"""Residents texting through Twilio: signed webhooks, the same SMS rules."""
import pytest

from bot.channels.sms_format import MAX_PARTS, compose, sms_parts
from tests.channels.conftest import assert_nothing_sent
from tests.channels.fake_gateway import TWILIO_NUMBER

pytestmark = pytest.mark.integration


def test_a_signed_question_gets_the_answer_from_the_twilio_number(twilio_resident):
    reply = twilio_resident.ask("hvad er jobplaneten")
    assert "jobplaneten.dk" in reply
    assert sms_parts(reply) <= MAX_PARTS
    assert twilio_resident.replies()[0].sender == TWILIO_NUMBER


def test_numbered_options_work_over_twilio(twilio_resident, assistant, sender):
    listed = twilio_resident.ask("hvilke indsatser har i")
    assert "\n2. " in listed and "Svar 1, 2" in listed

    chosen = twilio_resident.ask("2")

    web = assistant.ask(sender, "hvilke indsatser har i")
    second_button = next(m for m in web if m.get("buttons"))["buttons"][1]
    assert chosen == compose(assistant.ask(sender, second_button["payload"])).text


def test_a_request_with_a_wrong_signature_is_refused(twilio_resident):
    assert twilio_resident.send("hvad er jobplaneten", auth_token="not-the-auth-token") == 403
    assert_nothing_sent(twilio_resident)
