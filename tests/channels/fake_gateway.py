"""A stand-in for GatewayAPI's and Twilio's send APIs, on loopback.

It runs its own event loop in a thread (the test session is synchronous),
checks the credentials the real gateways would check, records every SMS it
accepts, and can be taken down to return 503 like a gateway having an outage.
"""
import asyncio
import base64
import socket
import threading
import time
from dataclasses import dataclass
from typing import List, Optional

from aiohttp import web

GATEWAYAPI_TOKEN = "test-gatewayapi-token"
GATEWAYAPI_WEBHOOK_SECRET = "test-gatewayapi-webhook-secret-of-32-bytes"
TWILIO_ACCOUNT_SID = "ACtest00000000000000000000000000"
TWILIO_AUTH_TOKEN = "test-twilio-auth-token"
TWILIO_NUMBER = "+4570000000"


@dataclass
class SentSms:
    channel: str
    to: str  # digits only
    sender: Optional[str]
    text: str
    encoding: Optional[str] = None  # GatewayAPI's "encoding" field ("UCS2"), as sent


class FakeGateway:
    def __init__(self) -> None:
        self.sent: List[SentSms] = []
        self.rejected = 0  # requests answered 503 while down
        self.down = False
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._runner: Optional[web.AppRunner] = None
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"

    # --- lifecycle -----------------------------------------------------------

    def start(self) -> "FakeGateway":
        started = threading.Event()
        threading.Thread(target=self._serve, args=(started,), daemon=True).start()
        if not started.wait(10):
            raise RuntimeError("The fake SMS gateway did not start.")
        return self

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)

    def _serve(self, started: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_post("/rest/mtsms", self._gatewayapi_send)
        app.router.add_post("/2010-04-01/Accounts/{sid}/Messages.json", self._twilio_send)
        self._runner = web.AppRunner(app)
        self._loop.run_until_complete(self._runner.setup())
        self._loop.run_until_complete(web.TCPSite(self._runner, "127.0.0.1", self.port).start())
        started.set()
        self._loop.run_forever()

    # --- what tests look at ----------------------------------------------------

    def messages_to(self, number: str) -> List[SentSms]:
        digits = "".join(c for c in str(number) if c.isdigit())
        with self._lock:
            return [m for m in self.sent if m.to == digits]

    def wait_for(self, number: str, count: int = 1, timeout: float = 30) -> List[SentSms]:
        """The first ``count`` SMS sent to ``number``; fails after ``timeout``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            messages = self.messages_to(number)
            if len(messages) >= count:
                return messages
            time.sleep(0.1)
        raise AssertionError(f"{count} SMS to {number} expected within {timeout:.0f} s, got {self.messages_to(number)}")

    # --- the two APIs ------------------------------------------------------------

    def _record(self, sms: SentSms) -> None:
        with self._lock:
            self.sent.append(sms)

    async def _gatewayapi_send(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Token {GATEWAYAPI_TOKEN}":
            return web.json_response({"message": "Unauthorized"}, status=401)
        if self.down:
            self.rejected += 1
            return web.json_response({"message": "Service unavailable"}, status=503)
        body = await request.json()
        for recipient in body["recipients"]:
            self._record(SentSms("gatewayapi", str(recipient["msisdn"]), body.get("sender"), body["message"],
                                 body.get("encoding")))
        return web.json_response({"ids": [len(self.sent)], "usage": {}})

    async def _twilio_send(self, request: web.Request) -> web.Response:
        expected = base64.b64encode(f"{TWILIO_ACCOUNT_SID}:{TWILIO_AUTH_TOKEN}".encode()).decode()
        if request.match_info["sid"] != TWILIO_ACCOUNT_SID or request.headers.get("Authorization") != f"Basic {expected}":
            return web.json_response({"message": "Authenticate"}, status=401)
        if self.down:
            self.rejected += 1
            return web.json_response({"message": "Service unavailable"}, status=503)
        form = await request.post()
        to = "".join(c for c in form["To"] if c.isdigit())
        self._record(SentSms("twilio", to, form.get("From"), form["Body"]))
        return web.json_response({"sid": f"SM{len(self.sent):032d}"}, status=201)


def sms_environment(gateway: FakeGateway, data_dir) -> dict:
    """Environment that enables both SMS channels against ``gateway``."""
    return {
        "GATEWAYAPI_TOKEN": GATEWAYAPI_TOKEN,
        "GATEWAYAPI_WEBHOOK_SECRET": GATEWAYAPI_WEBHOOK_SECRET,
        "GATEWAYAPI_URL": gateway.url,
        "TWILIO_ACCOUNT_SID": TWILIO_ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN,
        "TWILIO_NUMBER": TWILIO_NUMBER,
        "TWILIO_API_URL": gateway.url,
        "SMS_DATA_DIR": str(data_dir),
        "SMS_RETRY_SECONDS": "1",
    }
