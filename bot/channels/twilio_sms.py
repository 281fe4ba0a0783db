"""SMS through Twilio: Rasa's Twilio channel, made safe and SMS-friendly.

Rasa 3.6's own Twilio channel accepts unsigned requests and sends one SMS per
button. This one keeps its name and webhook (``/webhooks/twilio/webhook``) and
its credentials keys, and instead

- checks ``X-Twilio-Signature`` with the ``twilio`` package's RequestValidator
  (403 and nothing processed when it does not match, as Twilio recommends);
- answers Twilio at once with empty TwiML and runs the turn in the background,
  processing a retried ``MessageSid`` once;
- sends one SMS per turn with numbered options and at most three parts, through
  Twilio's REST API with aiohttp (the ``twilio`` client would block the server).

Enabled in the credentials file as ``bot.channels.twilio_sms.TwilioSmsInput``
with ``account_sid``, ``auth_token``, ``twilio_number`` and optionally
``webhook_url`` (the public URL Twilio calls, needed behind a proxy, since the
signature covers the URL) and ``api_url``.
"""
import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from bot.channels.sms_delivery import HttpSmsClient
from bot.channels.sms_turn import SmsConversations

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.twilio.com"
SIGNATURE_HEADER = "X-Twilio-Signature"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


class TwilioClient(HttpSmsClient):
    def __init__(self, api_url: str, account_sid: str, auth_token: str):
        super().__init__()
        self.endpoint = f"{api_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
        self.account_sid = account_sid
        self.auth_token = auth_token

    async def send(self, recipient: str, sender: Optional[str], text: str) -> None:
        import aiohttp

        await self._post(
            self.endpoint,
            data={"To": recipient, "From": sender or "", "Body": text},
            auth=aiohttp.BasicAuth(self.account_sid, self.auth_token),
        )


class TwilioSmsInput(TwilioInput):
    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        required = ("account_sid", "auth_token", "twilio_number")
        if not credentials or not all(credentials.get(key) for key in required):
            cls.raise_missing_credentials_exception()
        return cls(
            credentials["account_sid"],
            credentials["auth_token"],
            str(credentials["twilio_number"]),
            webhook_url=credentials.get("webhook_url"),
            api_url=credentials.get("api_url") or DEFAULT_API_URL,
        )

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        twilio_number: str,
        webhook_url: Optional[str] = None,
        api_url: str = DEFAULT_API_URL,
    ) -> None:
        super().__init__(account_sid, auth_token, twilio_number, debug_mode=False)
        self.webhook_url = webhook_url
        self.api_url = api_url
        self.validator = RequestValidator(auth_token)

    def signed_by_twilio(self, request: Request) -> bool:
        params = {key: request.form.get(key) for key in request.form}
        url = self.webhook_url or request.url
        return self.validator.validate(url, params, request.headers.get(SIGNATURE_HEADER, ""))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        client = TwilioClient(self.api_url, self.account_sid, self.auth_token)
        conversations = SmsConversations(self.name(), client, self.auth_token)
        self.conversations = conversations  # the live chat's relay sends staff messages through it
        webhook = conversations.webhook_blueprint("twilio_sms_webhook")

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.signed_by_twilio(request):
                logger.warning("twilio: rejected a webhook call without a valid %s.", SIGNATURE_HEADER)
                return response.text("invalid signature", status=403)
            number, text, sid = (request.form.get(key) for key in ("From", "Body", "MessageSid"))
            if not number or text is None:
                return response.text("From and Body are required", status=400)
            if sid and not conversations.first_time(sid):
                return response.text(EMPTY_TWIML, content_type="text/xml")
            # Some carriers turn "@" into "¡" (as Rasa's own Twilio channel notes).
            text = text.replace("¡", "@")
            conversations.in_background(conversations.handle(on_new_message, number, text, self.twilio_number))
            return response.text(EMPTY_TWIML, content_type="text/xml")

        return webhook

    def get_output_channel(self) -> None:
        # Conversations are keyed by a pseudonym, not the phone number, so the
        # channel can answer but cannot start a conversation on its own.
        return None
