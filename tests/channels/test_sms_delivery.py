"""Sending with retries, the outbox, and numbers kept out of the logs."""
import logging

import pytest

from bot.channels import sms_delivery
from bot.channels.sms_delivery import MAX_AGE_SECONDS, Delivery, SendError, number_key
from bot.channels.sms_store import SmsStore

NUMBER = "4512345678"


class FlakyClient:
    """Fails the first ``failures`` sends (forever when None)."""

    def __init__(self, failures=0, retry_now=True):
        self.failures, self.retry_now = failures, retry_now
        self.attempts, self.sent = 0, []

    async def send(self, recipient, sender, text):
        self.attempts += 1
        if self.failures is None or self.attempts <= self.failures:
            raise SendError("HTTP 503", retry_now=self.retry_now)
        self.sent.append((recipient, sender, text))

    async def close(self):
        pass


@pytest.fixture(autouse=True)
def no_pauses(monkeypatch):
    monkeypatch.setattr(sms_delivery, "FIRST_PAUSE_SECONDS", 0)


@pytest.fixture
def store(tmp_path):
    return SmsStore(tmp_path / "sms.db")


def delivery(client, store):
    return Delivery("gatewayapi", client, store, secret="s" * 32, retry_seconds=0)


async def test_a_send_that_fails_briefly_is_retried_at_once(store):
    client = FlakyClient(failures=2)
    assert await delivery(client, store).deliver(NUMBER, "Koege", "Hej")
    assert client.sent == [(NUMBER, "Koege", "Hej")]
    assert store.pending() == 0


async def test_a_send_that_keeps_failing_goes_to_the_outbox_and_is_logged_without_the_number(store, caplog):
    client = FlakyClient(failures=None)
    with caplog.at_level(logging.WARNING):
        assert not await delivery(client, store).deliver(NUMBER, None, "Hej")
    assert client.attempts == sms_delivery.ATTEMPTS_AT_ONCE
    assert store.pending() == 1
    assert "outbox" in caplog.text
    assert number_key(NUMBER, "s" * 32) in caplog.text
    assert NUMBER not in caplog.text


async def test_a_rejected_send_is_not_retried_at_once(store):
    client = FlakyClient(failures=None, retry_now=False)
    await delivery(client, store).deliver(NUMBER, None, "Hej")
    assert client.attempts == 1
    assert store.pending() == 1


async def test_the_outbox_is_sent_when_the_gateway_is_back(store):
    client = FlakyClient(failures=sms_delivery.ATTEMPTS_AT_ONCE + 1)
    sender = delivery(client, store)
    await sender.deliver(NUMBER, None, "Hej")
    await sender.retry_due()  # still down
    assert store.pending() == 1 and client.sent == []
    await sender.retry_due()
    assert client.sent == [(NUMBER, None, "Hej")]
    assert store.pending() == 0


async def test_the_outbox_gives_up_loudly_after_a_day(tmp_path, caplog):
    now = [1_700_000_000.0]
    store = SmsStore(tmp_path / "sms.db", clock=lambda: now[0])
    sender = delivery(FlakyClient(failures=None), store)
    await sender.deliver(NUMBER, None, "Hej")
    now[0] += MAX_AGE_SECONDS + 1
    with caplog.at_level(logging.ERROR):
        await sender.retry_due()
    assert store.pending() == 0
    assert "gave up" in caplog.text and NUMBER not in caplog.text
    # The row an operator sees names the recipient as the logs do, by its keyed hash.
    recipients = [row[0] for row in store._db.execute("SELECT recipient FROM outbox")]
    assert recipients == [number_key(NUMBER, "s" * 32)]
    assert number_key(NUMBER, "s" * 32) in caplog.text


@pytest.mark.parametrize("a, b", [("4512345678", "+45 12 34 56 78"), ("+4512345678", "4512345678")])
def test_a_number_has_one_key_however_it_is_written(a, b):
    assert number_key(a, "secret") == number_key(b, "secret")


def test_a_number_key_depends_on_the_secret():
    assert number_key(NUMBER, "one") != number_key(NUMBER, "two")
    assert NUMBER not in number_key(NUMBER, "one")
