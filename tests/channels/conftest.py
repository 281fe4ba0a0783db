"""Residents texting the real Rasa server through its SMS webhooks.

Each resident has a fresh random phone number, so tests do not share
conversations; replies are read from the fake gateway (see tests/conftest.py).
"""
import json
import random
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Callable, Optional, Tuple

import jwt
import pytest
from twilio.request_validator import RequestValidator

from tests.channels.fake_gateway import GATEWAYAPI_WEBHOOK_SECRET, TWILIO_AUTH_TOKEN, TWILIO_NUMBER, FakeGateway

RECEIVER = "4560575797"  # the municipality's number residents write to
REPLY_TIMEOUT = 30


def random_number() -> str:
    return f"45{random.randint(20000000, 99999999)}"


def post(url: str, body: bytes, headers: dict) -> Tuple[int, str]:
    request = urllib.request.Request(url, body, headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def signed(claims: dict, secret: str = GATEWAYAPI_WEBHOOK_SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, secret, algorithm=algorithm)


class GatewayApiResident:
    def __init__(self, rasa_url: str, gateway: FakeGateway):
        self.webhook = f"{rasa_url}/webhooks/gatewayapi/webhook"
        self.gateway = gateway
        self.msisdn = random_number()

    def sms(self, message: str, message_id: Optional[str] = None) -> dict:
        return {
            "id": message_id or uuid.uuid4().int % 10**9,
            "msisdn": int(self.msisdn),
            "receiver": int(RECEIVER),
            "message": message,
            "senttime": int(time.time()),
            "webhook_label": "koege",
        }

    def send(self, message: str, message_id=None, sign: Callable[[dict], Optional[str]] = None) -> int:
        """Post the webhook as GatewayAPI does (``sign`` makes the signature); the HTTP status."""
        sms = self.sms(message, message_id)
        signature = (sign or signed)(sms)
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers["X-Gwapi-Signature"] = signature
        return post(self.webhook, json.dumps(sms).encode(), headers)[0]

    def replies(self):
        return self.gateway.messages_to(self.msisdn)

    def ask(self, message: str) -> str:
        """Send an SMS and wait for the one reply to it."""
        before = len(self.replies())
        assert self.send(message) == 200
        return self.gateway.wait_for(self.msisdn, before + 1, REPLY_TIMEOUT)[before].text


class TwilioResident:
    def __init__(self, rasa_url: str, gateway: FakeGateway):
        self.webhook = f"{rasa_url}/webhooks/twilio/webhook"
        self.gateway = gateway
        self.number = "+" + random_number()

    def send(self, message: str, auth_token: str = TWILIO_AUTH_TOKEN) -> int:
        params = {
            "MessageSid": f"SM{uuid.uuid4().hex}",
            "AccountSid": "ACtest",
            "From": self.number,
            "To": TWILIO_NUMBER,
            "Body": message,
        }
        signature = RequestValidator(auth_token).compute_signature(self.webhook, params)
        headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}
        return post(self.webhook, urllib.parse.urlencode(params).encode(), headers)[0]

    def replies(self):
        return self.gateway.messages_to(self.number)

    def ask(self, message: str) -> str:
        before = len(self.replies())
        assert self.send(message) == 200
        return self.gateway.wait_for(self.number, before + 1, REPLY_TIMEOUT)[before].text


@pytest.fixture
def resident(stack, fake_gateway):
    return GatewayApiResident(stack["assistant"].url, fake_gateway)


@pytest.fixture
def twilio_resident(stack, fake_gateway):
    return TwilioResident(stack["assistant"].url, fake_gateway)


def assert_nothing_sent(resident, wait: float = 3) -> None:
    time.sleep(wait)
    assert resident.replies() == []
