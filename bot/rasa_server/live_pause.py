"""While a staff member writes with a resident, the assistant holds back.

Called at the entrance (``bot.rasa_server.entrance``) with each message,
after its personal data was removed:

- a conversation a staff member has taken: the message goes to the staff
  member (the chat's messages) and into the conversation, and the assistant
  does not answer it. A message that reads as danger is the exception: the
  emergency answer goes out at once, as always, and the staff member sees
  the message too;
- a resident waiting in the queue who writes "stop" leaves it; everything
  else they write is answered by the assistant as usual.

The state is read from the database at each message, so it holds whichever
Rasa server the message reaches.
"""
import asyncio
import logging
import re
from typing import Optional

from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage

from bot.answer_store.live_chats import TAKEN, WAITING
from bot.language.current import replying_in
from bot.live_chat.phrases import say
from bot.live_chat.store import live_chats
from bot.nlp.danger import precise_kind
from bot.privacy import logs

logger = logging.getLogger(__name__)

# What a waiting resident writes to leave the queue (whole message, any case, without punctuation).
STOP_MESSAGES = frozenset({
    "stop", "stop venligst", "stop tak", "afbryd", "annuller", "fortryd", "jeg vil ikke vente",
    "jeg gider ikke vente", "jeg vil ikke vente mere", "cancel", "i do not want to wait", "i dont want to wait",
    "/stop",
})
_PUNCTUATION = re.compile(r"[^\w/ ]+")


def is_stop(text: str) -> bool:
    return " ".join(_PUNCTUATION.sub(" ", text.lower()).split()) in STOP_MESSAGES


async def held_back(agent: Agent, message: UserMessage) -> bool:
    """Deal with ``message`` here when the live chat says so; True when the
    assistant must not answer it."""
    queue = live_chats()
    if queue is None or not isinstance(message.text, str):
        return False
    chat = await asyncio.to_thread(queue.open_for, message.sender_id)
    if chat is None:
        return False
    if chat.status == WAITING:
        if not is_stop(message.text):
            return False
        await asyncio.to_thread(queue.give_up, message.sender_id)
        logger.info("Live chat %s: %s left the queue.", chat.id, logs.hashed(message.sender_id))
        with replying_in(chat.language):
            await message.output_channel.send_text_message(message.sender_id, say("stopped"))
        await _log_only(agent, message)
        return True
    if chat.status != TAKEN:
        return False
    await asyncio.to_thread(queue.resident_wrote, chat.id, message.text)
    if precise_kind(message.text) is not None:
        logger.info("Live chat %s: a message that reads as danger is answered by the assistant too.", chat.id)
        return False
    await _log_only(agent, message)
    return True


async def _log_only(agent: Agent, message: UserMessage) -> Optional[object]:
    """The message in the conversation, without an answer (Rasa's own ``log_message``)."""
    async with agent.lock_store.lock(message.sender_id):
        return await agent.log_message(message)
