"""Redaction at the one door every message comes through.

Every Rasa 3.6 input channel (REST, socket.io, the SMS channels) hands its
messages to the handler ``rasa.core.channels.channel.register`` gives it,
which calls ``Agent.handle_message``. ``install()`` wraps that method, so
before the message is parsed, stored or logged by Rasa:

- CPR, card and phone numbers and e-mail addresses are replaced in the text,
  the metadata and any parse data (``redaction.redact``);
- a sender id that is itself personal data (a phone number used as REST
  sender) is replaced by a keyed pseudonym;
- the resident is told, in Danish, what was removed, and the assistant then
  answers the rest of the message as usual;
- while a staff member writes with the resident, the message goes to them
  instead of the assistant (``live_pause``).

Installed by ``bot.rasa_server.install()``.
"""
import logging
import re
from typing import Any, FrozenSet, Optional, Set, Text

from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage

from bot.knowledge.answers import say
from bot.language.current import replying_in
from bot.language.detect import detect
from bot.privacy import logs
from bot.privacy.phrases import removed_notice
from bot.privacy.redaction import EMAIL, PHONE, contains_personal_data, redact
from bot.rasa_server import live_pause
from bot.rasa_server.public_contacts import public_contact_details

logger = logging.getLogger(__name__)

# Forms that ask residents for a phone number or e-mail are named here; while
# one of them is active, those two kinds are kept. Once it is over, the
# conversation store removes them from the stored conversation
# (conversation_store.ConversationStore). The callback form: domain.yml, actions/callback.py.
CONTACT_DETAIL_FORMS: FrozenSet[str] = frozenset({"callback_form"})
METADATA_KEY = "redacted"

_original_handle_message = None


def _redacted(value: Any, allowed: Set[str], kinds: Set[str]) -> Any:
    """``value`` (text, or dicts and lists of it) with personal data replaced."""
    if isinstance(value, str):
        result = redact(value, allowed, public_contact_details())
        kinds.update(result.kinds)
        return result.text
    if isinstance(value, dict):
        return {key: _redacted(item, allowed, kinds) for key, item in value.items()}
    if isinstance(value, list):
        return [_redacted(item, allowed, kinds) for item in value]
    return value


def pseudonym(sender_id: str) -> str:
    return "anon-" + logs.hashed(sender_id).split(":", 1)[1]


class _ToOriginalRecipient(OutputChannel):
    """Delivers to the channel's own recipient id when Rasa knows the sender
    by a pseudonym (socket.io sends to a room named after the raw id)."""

    def __init__(self, channel: OutputChannel, recipient_id: str):
        self.channel = channel
        self.recipient_id = recipient_id

    def name(self) -> Text:
        return self.channel.name()

    async def send_response(self, recipient_id: Text, message: dict) -> None:
        await self.channel.send_response(self.recipient_id, message)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self.channel.send_text_message(self.recipient_id, text, **kwargs)


async def _allowed_kinds(agent: Agent, message: UserMessage) -> Set[str]:
    if not CONTACT_DETAIL_FORMS or not isinstance(message.text, str) or "@" not in message.text and not re.search(
        r"\d", message.text
    ):
        return set()
    tracker_store = getattr(agent, "tracker_store", None)
    tracker = await tracker_store.retrieve(message.sender_id) if tracker_store else None
    return {PHONE, EMAIL} if tracker and tracker.active_loop_name in CONTACT_DETAIL_FORMS else set()


async def protect(agent: Agent, message: UserMessage) -> Set[str]:
    """Redact ``message`` in place; the kinds of personal data removed."""
    kinds: Set[str] = set()
    if contains_personal_data(message.sender_id):
        if not isinstance(message.output_channel, CollectingOutputChannel):
            message.output_channel = _ToOriginalRecipient(message.output_channel, message.sender_id)
        message.sender_id = pseudonym(message.sender_id)
    allowed = await _allowed_kinds(agent, message)
    if isinstance(message.text, str):
        message.text = _redacted(message.text, allowed, kinds)
    if message.metadata:
        message.metadata = _redacted(message.metadata, allowed, kinds)
    if isinstance(message.parse_data, dict):
        message.parse_data = _redacted(message.parse_data, allowed, kinds)
    if kinds:
        message.metadata = {**(message.metadata if isinstance(message.metadata, dict) else {}),
                            METADATA_KEY: sorted(kinds)}
    return kinds


async def _handle_private_message(self: Agent, message: UserMessage) -> Optional[list]:
    # The notice and the apology in the message's own language (Danish when it cannot be told).
    with logs.about_sender(message.sender_id), replying_in(detect(message.text or "")):
        try:
            kinds = await protect(self, message)
            if kinds:
                logger.info("Removed %s from a message of %s.", ", ".join(sorted(kinds)),
                            logs.hashed(message.sender_id))
                await message.output_channel.send_text_message(message.sender_id, removed_notice(kinds))
            if await live_pause.held_back(self, message):
                return []
            return await _original_handle_message(self, message)
        except Exception as error:  # noqa: BLE001 - anything here would mean silence
            # The conversation store or the lock store (Redis) is unreachable, say:
            # Rasa would log it and send nothing. The resident gets the apology with
            # the municipality's number instead.
            logger.error("A message of %s could not be handled (%s); sending the apology.",
                         logs.hashed(message.sender_id), type(error).__name__)
            await message.output_channel.send_text_message(message.sender_id, say("service_down"))
            return None


def install() -> None:
    """Redact every message before Rasa sees it. Idempotent."""
    global _original_handle_message
    if _original_handle_message is None:
        _original_handle_message = Agent.handle_message
        Agent.handle_message = _handle_private_message
