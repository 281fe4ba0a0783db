"""What the GatewayAPI webhook accepts, and what it does when things go wrong."""
import time

import pytest

from tests.channels.conftest import assert_nothing_sent, signed

pytestmark = pytest.mark.integration

BAD_SIGNATURES = {
    "missing": lambda sms: None,
    "not a JWT": lambda sms: "not-a-jwt",
    "another secret": lambda sms: signed(sms, secret="a-different-secret-of-at-least-32-bytes"),
    "unsigned (alg none)": lambda sms: signed(sms, secret=None, algorithm="none"),
    "signed for another message": lambda sms: signed({**sms, "id": 1}) + "x",
}


@pytest.mark.parametrize("sign", BAD_SIGNATURES.values(), ids=BAD_SIGNATURES.keys())
def test_a_webhook_without_a_valid_signature_is_refused(resident, sign):
    assert resident.send("hvad er jobplaneten", sign=sign) == 401
    assert_nothing_sent(resident, wait=1)


def test_the_message_is_read_from_the_signature_not_the_unsigned_body(resident):
    # A body changed on the way (or forged around a captured signature) is ignored.
    assert resident.send("hvad er jobplaneten", sign=lambda sms: signed({**sms, "message": "det brænder"})) == 200
    assert "112" in resident.gateway.wait_for(resident.msisdn, 1)[0].text


def test_a_retried_webhook_is_answered_once(resident):
    assert resident.send("hvad er jobplaneten", message_id=424242001) == 200
    assert resident.send("hvad er jobplaneten", message_id=424242001) == 200
    resident.gateway.wait_for(resident.msisdn, 1)
    time.sleep(3)
    assert len(resident.replies()) == 1


def test_the_webhook_answers_before_the_turn_is_done(resident):
    started = time.monotonic()
    assert resident.send("hvad er jobplaneten") == 200
    assert time.monotonic() - started < 1
    resident.gateway.wait_for(resident.msisdn, 1)


def test_a_reply_waits_while_the_gateway_is_down_and_arrives_after(resident, fake_gateway, stack):
    fake_gateway.down = True
    try:
        rejected_before = fake_gateway.rejected
        assert resident.send("hvad er jobplaneten") == 200
        deadline = time.monotonic() + 30
        while fake_gateway.rejected < rejected_before + 4 and time.monotonic() < deadline:
            time.sleep(0.2)  # the attempts at once, then at least one from the outbox
        assert fake_gateway.rejected >= rejected_before + 4
        assert resident.replies() == []
    finally:
        fake_gateway.down = False

    reply = fake_gateway.wait_for(resident.msisdn, 1, timeout=30)[0].text
    assert "jobplaneten.dk" in reply
    time.sleep(2)
    assert len(resident.replies()) == 1

    log = (stack["logs"] / "Rasa-server.log").read_text(encoding="utf-8", errors="replace")
    assert "kept in the outbox" in log
    assert resident.msisdn not in log, "phone numbers must not be logged in clear"
