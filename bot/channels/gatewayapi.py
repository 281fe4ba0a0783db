"""SMS through GatewayAPI: webhook ``/webhooks/gatewayapi/webhook`` on the Rasa server.

GatewayAPI posts each incoming SMS (MO SMS) as JSON and signs it: the
``X-Gwapi-Signature`` header is a JWT (HS256) made with the secret set on the
webhook in GatewayAPI's dashboard, carrying the whole message as its claims.
The message is therefore read from the verified claims, never from the
unsigned body. The webhook answers at once (GatewayAPI retries anything slower
than 5 s) and the turn runs in the background; the reply is sent through
GatewayAPI's REST API (``POST {url}/rest/mtsms``, ``Authorization: Token ...``).

Enabled in the credentials file as ``bot.channels.gatewayapi.GatewayApiInput``
with ``token``, ``webhook_secret`` and optionally ``sender``, ``url``, ``keyword``.
"""
import logging
import re
from typing import Any, Awaitable, Callable, Dict, Optional, Text

import jwt
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.sms_delivery import HttpSmsClient
from bot.channels.sms_format import needs_unicode
from bot.channels.sms_turn import SmsConversations
from bot.errors import error_body

logger = logging.getLogger(__name__)

DEFAULT_URL = "https://gatewayapi.com"
SIGNATURE_HEADER = "X-Gwapi-Signature"


class GatewayApiClient(HttpSmsClient):
    def __init__(self, url: str, token: str):
        super().__init__()
        self.endpoint = f"{url.rstrip('/')}/rest/mtsms"
        self.token = token

    async def send(self, recipient: str, sender: Optional[str], text: str) -> None:
        message: Dict[str, Any] = {"message": text, "recipients": [{"msisdn": int(re.sub(r"\D", "", recipient))}]}
        if sender:
            message["sender"] = sender
        if needs_unicode(text):
            # Arabic, Cyrillic, Ethiopic: GatewayAPI sends GSM 03.38 unless told otherwise.
            message["encoding"] = "UCS2"
        await self._post(self.endpoint, json=message, headers={"Authorization": f"Token {self.token}"})


def verified_claims(token: Optional[str], secret: str) -> Optional[Dict[str, Any]]:
    """The JWT's claims when it is signed with ``secret`` (HS256 only), else None."""
    if not token:
        return None
    try:
        return jwt.decode(token, secret, algorithms=["HS256"])
    except jwt.InvalidTokenError:
        return None


def without_keyword(text: str, keyword: Optional[str]) -> str:
    """On a shared short code residents start the SMS with the keyword ("KOEGE hej")."""
    if keyword and re.match(rf"{re.escape(keyword)}(\s|$)", text.strip(), re.IGNORECASE):
        return text.strip()[len(keyword) :].strip()
    return text


class GatewayApiInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "gatewayapi"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials or not credentials.get("token") or not credentials.get("webhook_secret"):
            cls.raise_missing_credentials_exception()
        return cls(
            token=credentials["token"],
            webhook_secret=credentials["webhook_secret"],
            sender=credentials.get("sender"),
            url=credentials.get("url") or DEFAULT_URL,
            keyword=credentials.get("keyword"),
        )

    def __init__(
        self,
        token: str,
        webhook_secret: str,
        sender: Optional[str] = None,
        url: str = DEFAULT_URL,
        keyword: Optional[str] = None,
    ) -> None:
        self.token = token
        self.webhook_secret = webhook_secret
        self.sender = str(sender) if sender else None
        self.url = url
        self.keyword = keyword

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        conversations = SmsConversations(self.name(), GatewayApiClient(self.url, self.token), self.webhook_secret)
        self.conversations = conversations  # the live chat's relay sends staff messages through it
        webhook = conversations.webhook_blueprint("gatewayapi_webhook")

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            sms = verified_claims(request.headers.get(SIGNATURE_HEADER), self.webhook_secret)
            if sms is None:
                logger.warning("gatewayapi: rejected a webhook call without a valid %s.", SIGNATURE_HEADER)
                return response.json(error_body("Kaldet mangler en gyldig signatur.", "ugyldig_signatur"), status=401)
            if "message" not in sms and "status" in sms:
                return response.json({"status": "ignored"})  # a delivery report, not an SMS
            if not all(sms.get(field) not in (None, "") for field in ("id", "msisdn", "message")):
                return response.json(error_body("Kaldet skal have id, msisdn og message.", "ugyldig_anmodning"),
                                     status=400)
            if not conversations.first_time(str(sms["id"])):
                return response.json({"status": "duplicate"})
            # Replies come from the configured sender, else from the number the
            # resident wrote to, so that they can answer it.
            reply_from = self.sender or (str(sms["receiver"]) if sms.get("receiver") else None)
            text = without_keyword(str(sms["message"]), self.keyword)
            conversations.in_background(conversations.handle(on_new_message, str(sms["msisdn"]), text, reply_from))
            return response.json({"status": "accepted"})

        return webhook

    def get_output_channel(self) -> None:
        # Conversations are keyed by a pseudonym, not the phone number, so the
        # channel can answer but cannot start a conversation on its own.
        return None
