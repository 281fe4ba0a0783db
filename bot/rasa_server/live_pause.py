"""While a staff member writes with a resident, the assistant holds back.

Called at the entrance (``bot.rasa_server.entrance``) with each message,
after its personal data was removed:

- a conversation a staff member has taken: the message goes to the staff
  member (the chat's messages) and into the conversation, and the assistant
  does not answer it. A message that reads as danger (the precise patterns,
  or the model's emergency and suicide intents) is the exception: the
  emergency answer goes out at once, as always, and the staff member sees
  the message too;
- "stop" ends the chat, waiting or taken: the resident is back with the
  assistant (a staff member who had it is told);
- a waiting resident's other messages are answered by the assistant as usual.

The state is read from the database at each message, so it holds whichever
Rasa server the message reaches; each change is conditional on the state the
message saw (an end or a release at the same moment wins, and the assistant
answers). When the database cannot be read, the assistant answers.
"""
import asyncio
import logging
import re
from typing import Optional

from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage

from bot.answer_store.live_chats import TAKEN, LiveChat, LiveChatStore
from bot.language.current import replying_in
from bot.live_chat.phrases import say
from bot.live_chat.store import live_chats
from bot.nlp.danger import INTENT_EMERGENCY, INTENT_SUICIDAL, precise_kind
from bot.privacy import logs

logger = logging.getLogger(__name__)

# What a resident writes to leave the queue or the chat (whole message, any case, without punctuation).
STOP_MESSAGES = frozenset({
    "stop", "stop venligst", "stop tak", "afbryd", "annuller", "fortryd", "jeg vil ikke vente",
    "jeg gider ikke vente", "jeg vil ikke vente mere", "cancel", "i do not want to wait", "i dont want to wait",
    "/stop",
})
_PUNCTUATION = re.compile(r"[^\w/ ]+")
DANGER_INTENTS = frozenset({INTENT_EMERGENCY, INTENT_SUICIDAL})


def is_stop(text: str) -> bool:
    return " ".join(_PUNCTUATION.sub(" ", text.lower()).split()) in STOP_MESSAGES


async def held_back(agent: Agent, message: UserMessage) -> bool:
    """Deal with ``message`` here when the live chat says so; True when the
    assistant must not answer it."""
    queue = live_chats()
    if queue is None or not isinstance(message.text, str):
        return False
    try:
        return await _held_back(agent, message, queue)
    except Exception as error:  # noqa: BLE001 - the live chat's database must not silence the assistant
        logger.error("Live chat: the queue could not be read (%s); the assistant answers.", type(error).__name__)
        return False


async def _held_back(agent: Agent, message: UserMessage, queue: LiveChatStore) -> bool:
    chat = await asyncio.to_thread(queue.open_for, message.sender_id)
    if chat is not None and is_stop(message.text):
        if await _stopped(agent, message, queue, chat):
            return True
        chat = await asyncio.to_thread(queue.open_for, message.sender_id)  # it changed just now
    if chat is None or chat.status != TAKEN:
        return False
    parsed = None if precise_kind(message.text) is not None else await agent.parse_message(message.text)
    if parsed is None or ((parsed.get("intent") or {}).get("name") in DANGER_INTENTS):
        logger.info("Live chat %s: a message that reads as danger is answered by the assistant too.", chat.id)
        await asyncio.to_thread(queue.resident_wrote, chat.id, message.text)
        return False
    if await asyncio.to_thread(queue.resident_wrote, chat.id, message.text) is None:
        return False  # ended or handed back at this moment: the assistant answers
    message.parse_data = parsed  # parsed once: Rasa's log_message keeps it
    await _log_only(agent, message)
    return True


async def _stopped(agent: Agent, message: UserMessage, queue: LiveChatStore, chat: LiveChat) -> bool:
    """End the chat as the resident saw it; False when it changed meanwhile."""
    if not await asyncio.to_thread(queue.give_up, chat):
        return False
    logger.info("Live chat %s: %s wrote stop.", chat.id, logs.hashed(message.sender_id))
    if chat.status != TAKEN:  # a taken chat's resident is told by the notice the staff member sees too
        with replying_in(chat.language):
            await message.output_channel.send_text_message(message.sender_id, say("stopped"))
    await _log_only(agent, message)
    return True


async def _log_only(agent: Agent, message: UserMessage) -> Optional[object]:
    """The message in the conversation, without an answer (Rasa's own ``log_message``)."""
    async with agent.lock_store.lock(message.sender_id):
        return await agent.log_message(message)
