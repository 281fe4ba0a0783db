"""Residents who write in other languages, through the REST channel of the real servers.

The reply follows the language of the resident's last message it can tell,
switches when they switch, and keeps it for messages that do not tell ("ok").
"""
import pytest

from bot.language.detect import detect
from bot.language.texts import choose_language_payload, fixed
from tests.senders import new_sender_id

pytestmark = pytest.mark.integration


def _texts(assistant, sender, message):
    return [m.get("text", "") for m in assistant.ask(sender, message) if m.get("text")]


def test_english_questions_get_english_answers(assistant):
    sender = new_sender_id("lang")
    greeting = _texts(assistant, sender, "Hello, do you speak English?")
    assert detect(greeting[0]) == "en", greeting
    reply = "\n".join(_texts(assistant, sender, "what is Jobplaneten?"))
    assert "https://jobplaneten.dk" in reply and detect(reply) == "en", reply
    follow_up = "\n".join(_texts(assistant, sender, "how do i contact them"))
    assert "56 67 67 67" in follow_up and detect(follow_up) == "en", follow_up


def test_the_reply_switches_when_the_resident_switches(assistant):
    sender = new_sender_id("lang")
    english = "\n".join(_texts(assistant, sender, "i need help finding a job"))
    assert detect(english) == "en", english
    short = "\n".join(_texts(assistant, sender, "ok"))
    assert detect(short) in ("en", None), short  # "ok" tells no language: English stays
    danish = "\n".join(_texts(assistant, sender, "hvad laver fælles fremtid"))
    assert detect(danish) == "da" and "fritidsjob" in danish, danish


def test_a_language_chosen_by_button_is_kept(assistant):
    sender = new_sender_id("lang")
    chosen = "\n".join(_texts(assistant, sender, choose_language_payload("en")))
    assert detect(chosen) == "en", chosen
    thanks = "\n".join(_texts(assistant, sender, "tak"))
    assert detect(thanks) == "en", thanks  # "tak" tells no language; the choice stands


def test_arabic_gets_what_can_be_done_in_arabic_and_the_answer_in_danish(assistant):
    sender = new_sender_id("lang")
    texts = _texts(assistant, sender, "مرحبا، أحتاج مساعدة في العثور على عمل")
    assert texts[0].startswith(fixed("languages_offered", "ar")) and "56 67 67 67" in texts[0], texts
    assert any("Jobplaneten" in t or "Fælles Fremtid" in t for t in texts[1:]), texts


@pytest.mark.parametrize("message, language, numbers", [
    ("زوجي يضربني كل يوم وأنا خائفة", "ar", ["112", "1888"]),
    ("Kocam bana vuruyor, çok korkuyorum", "tr", ["112", "1888"]),
    ("Мій чоловік б'є мене", "uk", ["112", "1888"]),
    ("I want to kill myself", "en", ["70 201 201"]),
    ("Nie chcę już żyć", "pl", ["70 201 201"]),
])
def test_danger_answers_come_in_the_residents_language(assistant, message, language, numbers):
    reply = "\n".join(_texts(assistant, new_sender_id("lang"), message))
    plain = reply.replace("\u200e", "")
    assert all(number in plain for number in numbers), reply
    assert detect(reply) == language, reply
