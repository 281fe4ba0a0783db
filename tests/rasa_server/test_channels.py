"""What the REST and socket.io checks let through."""
from types import SimpleNamespace

import pytest

from bot.config import PrivacySettings
from bot.rasa_server.channels import ChannelRefusal, MessageGuard, checked_rest_payload, clean_text, valid_id


@pytest.mark.parametrize(
    "value, expected",
    [("abc", "abc"), (42, "42"), ("", None), (None, None), (True, None), ([1], None), ("x" * 256, None),
     (" a\x00b ", "ab")],
)
def test_valid_id(value, expected):
    assert valid_id(value) == expected


def test_clean_text_removes_what_stores_cannot_take():
    assert clean_text("a\x00b\ud800c\n") == "ab?c\n"


@pytest.mark.parametrize(
    "text, status, words",
    [
        ("", 200, "tom besked"),
        ("   ", 200, "tom besked"),
        ("a" * 2001, 413, "2.000 tegn"),
    ],
)
def test_refusals_are_danish(text, status, words):
    refused = MessageGuard(PrivacySettings()).refusal(text, "k")
    assert refused[0] == status and words in refused[1]


def test_a_message_of_exactly_the_limit_goes_through():
    assert MessageGuard(PrivacySettings()).refusal("a" * 2000, "k") is None


def test_the_limit_is_configurable():
    assert MessageGuard(PrivacySettings(max_message_chars=10)).refusal("a" * 11, "k")[0] == 413


def test_a_flood_is_refused():
    guard = MessageGuard(PrivacySettings(rate_limit_burst=2, rate_limit_per_minute=0))
    assert [guard.refusal("hej", "k") for _ in range(3)][-1][0] == 429


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"sender": "a", "message": 42}', b'{"message": "hej"}'])
def test_an_unreadable_message_gets_a_plain_danish_reply(body):
    with pytest.raises(ChannelRefusal) as refused:
        checked_rest_payload(SimpleNamespace(body=body), MessageGuard(PrivacySettings()))
    assert refused.value.status == 400
    assert refused.value.text == "Jeg kunne ikke læse din besked. Prøv at skrive den igen."
    # Residents are not told about fields, formats or JSON.
    assert not any(word in refused.value.text.lower() for word in ('"', "message", "felt", "json", "tekst i"))
