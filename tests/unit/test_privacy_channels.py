"""What the REST and socket.io checks let through."""
import pytest

from bot.config import PrivacySettings
from bot.privacy.channels import MessageGuard, clean_text, valid_id


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
