"""Residents texting through GatewayAPI, end to end through the real Rasa server."""
import re

import pytest

from bot.channels import sms_format
from bot.channels.sms_format import MAX_PARTS, sms_parts, to_gsm7
from tests.channels.conftest import RECEIVER

pytestmark = pytest.mark.integration


def assert_sms_shape(text: str) -> None:
    assert text == to_gsm7(text), "only GSM-7 characters"
    assert sms_parts(text) <= MAX_PARTS


def numbered_titles(text: str) -> list:
    return re.findall(r"^\d+\. (.+)$", text, re.MULTILINE)


def test_a_question_gets_the_answer_by_sms(resident):
    reply = resident.ask("hvad er jobplaneten")
    assert "jobplaneten.dk" in reply
    assert_sms_shape(reply)


def test_the_reply_comes_from_the_number_the_resident_wrote_to(resident):
    resident.ask("hej")
    assert resident.replies()[0].sender == RECEIVER


def test_a_follow_up_remembers_what_the_conversation_is_about(resident):
    resident.ask("hvad er jobplaneten")
    assert "jobplaneten.dk" in resident.ask("har de en hjemmeside?")


def test_buttons_arrive_as_a_numbered_list(resident):
    reply = resident.ask("hvilke indsatser har i")
    titles = numbered_titles(reply)
    assert len(titles) >= 2
    assert reply.rstrip().endswith(f"Svar {sms_format.numbers_phrase(len(titles))}.")
    assert_sms_shape(reply)


def test_a_number_picks_that_option_as_the_web_button_would(resident, assistant, sender):
    listed = resident.ask("hvilke indsatser har i")
    web = assistant.ask(sender, "hvilke indsatser har i")
    second_button = next(m for m in web if m.get("buttons"))["buttons"][1]
    assert numbered_titles(listed)[1] == to_gsm7(second_button["title"])

    chosen = resident.ask("2")

    clicked = assistant.ask(sender, second_button["payload"])
    assert chosen == sms_format.compose(clicked).text


def test_a_number_not_on_the_list_gets_the_list_again(resident):
    listed = resident.ask("hvilke indsatser har i")
    reply = resident.ask("9")
    assert reply.startswith("Det nummer er ikke på listen.")
    assert numbered_titles(reply) == numbered_titles(listed)


def test_an_emergency_gets_112_first(resident):
    reply = resident.ask("det brænder")
    assert "112" in reply
    assert reply.index("112") < 40


def test_a_long_answer_is_shortened_to_three_parts_with_its_link(resident, assistant, sender):
    web = assistant.ask(sender, "hvad er helhedsplanen")
    assert sms_parts(to_gsm7(web[0]["text"] + "\n" * 2 + "\n".join(b["title"] for b in web[0]["buttons"]))) > 2

    reply = resident.ask("hvad er helhedsplanen")

    assert_sms_shape(reply)
    assert reply.startswith(web[0]["text"].split(". ")[0])
    assert "https://bosj.dk" in reply
    assert len(numbered_titles(reply)) == len(web[0]["buttons"])


def test_arabic_is_answered_in_arabic_by_unicode_sms(resident):
    from bot.channels.sms_format import UCS2_ENCODING
    from bot.language.detect import detect

    reply = resident.ask("زوجي يضربني وأنا خائفة")
    sent = resident.replies()[-1]
    assert sent.encoding == "UCS2"
    assert detect(reply) == "ar" and "112" in reply and "1888" in reply
    assert sms_parts(reply, UCS2_ENCODING) <= 6


def test_danish_is_sent_without_asking_for_unicode(resident):
    resident.ask("hvad er jobplaneten")
    assert resident.replies()[-1].encoding is None
