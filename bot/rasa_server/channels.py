"""Rasa's REST and socket.io channels, hardened for the open internet.

The channels stay Rasa's own, configured as usual in credentials.yml (``rest``,
``socketio``): same URLs, settings and protocol (``session_request``,
``user_uttered`` {message, session_id}, ``bot_uttered``). ``harden_channels``
checks every message before the channel hands it on:

- a message over ``MAX_MESSAGE_CHARS`` (2,000) characters, an empty one, or
  a payload that is not what the channel expects gets a Danish reply instead
  of reaching the assistant (never an error 500 or a crashed handler);
- each sender (and each socket connection) may send a burst of
  ``RATE_LIMIT_BURST`` messages, then ``RATE_LIMIT_PER_MINUTE``; beyond that
  it gets a Danish "slow down" reply, and the others are not kept waiting;
- request bodies are capped at ``MAX_REQUEST_BYTES`` for the whole server.

REST replies keep the channel's format (a list of ``{"recipient_id", "text"}``),
with status 400 (unreadable), 413 (too long) or 429 (too fast).

``bot.rasa_server.install()`` calls it on the app Rasa has just built, with
its channels: REST reads its request through ``_extract_sender`` (replaced on
the instance), socket.io dispatches through its ``AsyncServer``'s handler
table (our handlers wrap Rasa's).
"""
import json
import logging
import re
import types
from typing import Any, Dict, Optional, Tuple

from rasa.core.channels.channel import InputChannel
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.config import PrivacySettings
from bot.errors import AssistantError, code_for
from bot.privacy import logs
from bot.privacy.phrases import say
from bot.privacy.rate_limit import RateLimiter

logger = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 1024 * 1024
# Rasa's SQL tracker store keeps sender ids in a VARCHAR(255).
MAX_SENDER_ID_CHARS = 255
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HARDENED = "_privacy_hardened"


def clean_text(value: str) -> str:
    """Text every store and log can take: no control characters (PostgreSQL
    refuses NUL) and no lone surrogates (not encodable as UTF-8)."""
    value = value.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL_CHARACTERS.sub("", value)


def valid_id(value: Any) -> Optional[str]:
    """A sender or session id as text, or None when it is unusable."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = clean_text(str(value)).strip()
    return text if 0 < len(text) <= MAX_SENDER_ID_CHARS else None


class MessageGuard:
    """What every guarded channel checks before a message may reach the assistant."""

    def __init__(self, settings: Optional[PrivacySettings] = None):
        self.settings = settings or PrivacySettings.once()
        self.limiter = RateLimiter(self.settings.rate_limit_burst, self.settings.rate_limit_per_minute)

    def refusal(self, text: str, *rate_keys: str) -> Optional[Tuple[int, str]]:
        """(status, Danish reply) when the message must not go on, else None."""
        if not text.strip():
            return 200, say("empty")
        if len(text) > self.settings.max_message_chars:
            return 413, say("too_long", limit=f"{self.settings.max_message_chars:,}".replace(",", "."))
        if not self.limiter.allow(*rate_keys):
            return 429, say("too_fast")
        return None


class ChannelRefusal(AssistantError):
    """Ends a REST request early with a Danish reply in the channel's format."""

    def __init__(self, status: int, text: str, recipient: Optional[str] = None):
        super().__init__(text, status=status, code=code_for(status))
        self.text, self.recipient = text, recipient


def _refusal_response(_request: Request, refusal: ChannelRefusal) -> HTTPResponse:
    headers = {"Retry-After": "10"} if refusal.status == 429 else None
    return response.json([{"recipient_id": refusal.recipient or "", "text": refusal.text}],
                         status=refusal.status, headers=headers)


def checked_rest_payload(request: Request, guard: MessageGuard) -> Dict[str, Any]:
    """The REST payload reduced to what Rasa may read; raises ``ChannelRefusal``."""
    try:
        payload = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError, RecursionError):
        payload = None
    if not isinstance(payload, dict):
        raise ChannelRefusal(400, say("unreadable"))
    sender = valid_id(payload.get("sender"))
    message = payload.get("message")
    if sender is None or not isinstance(message, (str, type(None))):
        raise ChannelRefusal(400, say("unreadable"), sender)
    message = clean_text(message or "")
    refused = guard.refusal(message, f"rest:{sender}")
    if refused:
        logger.info("REST: refused a message of %s (status %s).", logs.hashed(sender), refused[0])
        raise ChannelRefusal(refused[0], refused[1], sender)
    checked: Dict[str, Any] = {"sender": sender, "message": message}
    if isinstance(payload.get("metadata"), dict):
        checked["metadata"] = payload["metadata"]
    return checked


def harden_rest(channel: InputChannel, guard: MessageGuard) -> None:
    async def extract_sender(self, request: Request) -> str:
        checked = checked_rest_payload(request, guard)
        request.parsed_json = checked  # what Rasa's handler reads next as request.json
        return checked["sender"]

    channel._extract_sender = types.MethodType(extract_sender, channel)


def harden_socketio(channel: InputChannel, guard: MessageGuard) -> None:
    sio = channel.sio
    namespace = channel.namespace
    handlers = sio.handlers[namespace or "/"]
    rasa_session_request = handlers["session_request"]
    rasa_user_message = handlers[channel.user_message_evt]

    async def reply(sid: str, text: str) -> None:
        await sio.emit(channel.bot_message_evt, {"text": text}, room=sid, namespace=namespace)

    async def session_request(sid: str, data: Any = None, *_ignored: Any) -> None:
        session_id = valid_id(data.get("session_id")) if isinstance(data, dict) else None
        await rasa_session_request(sid, {"session_id": session_id} if session_id else {})

    async def user_message(sid: str, data: Any = None, *_ignored: Any) -> None:
        if not isinstance(data, dict) or not isinstance(data.get("message", ""), (str, type(None))):
            await reply(sid, say("unreadable"))
            return
        session_id = valid_id(data.get("session_id"))
        if channel.session_persistence and session_id is None:
            await reply(sid, say("unreadable"))
            return
        text = clean_text(data.get("message") or "")
        refused = guard.refusal(text, f"socket:{sid}", f"session:{session_id}" if session_id else "")
        if refused:
            logger.info("socket.io: refused a message of %s (%s).", logs.hashed(session_id or sid), refused[0])
            await reply(sid, refused[1])
            return
        checked: Dict[str, Any] = {"message": text}
        if session_id:
            checked["session_id"] = session_id
        metadata = data.get(channel.metadata_key)
        if isinstance(metadata, dict):
            checked[channel.metadata_key] = metadata
        await rasa_user_message(sid, checked)

    sio.on("session_request", session_request, namespace=namespace)
    sio.on(channel.user_message_evt, user_message, namespace=namespace)


def harden_channels(app: Sanic) -> None:
    """Guard the REST and socket.io channels of the Rasa app (once)."""
    if getattr(app.ctx, _HARDENED, False):
        return
    guard = MessageGuard()
    app.config.REQUEST_MAX_SIZE = min(app.config.REQUEST_MAX_SIZE, MAX_REQUEST_BYTES)
    app.error_handler.add(ChannelRefusal, _refusal_response)
    for channel in getattr(app.ctx, "input_channels", []) or []:
        if channel.name() == "rest":
            harden_rest(channel, guard)
        elif channel.name() == "socketio" and getattr(channel, "sio", None) is not None:
            harden_socketio(channel, guard)
    setattr(app.ctx, _HARDENED, True)
