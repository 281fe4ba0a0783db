"""Understand messages in worker threads, not on the server's event loop.

Rasa 3.6 runs the NLU pipeline inside its event loop: while one message is
parsed, no other conversation moves. Here parses run in two worker threads
and the loop meanwhile loads, saves and answers other conversations.

The pipeline's components were written for one parse at a time, so a parse
holds ``PIPELINE`` throughout, except while it waits for a sentence vector
(``pipeline_released``): the vector is C code that runs without the GIL, so a
message the n-grams are sure of is understood on the other core meanwhile
instead of queueing behind it. What follows the parse is Rasa's own
(3.6.21), except that the debug line leaves out the resident's text.
Installed by ``bot.rasa_server.install()``.
"""
import asyncio
import contextlib
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, Iterator, Optional, Text

from rasa.core.channels import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

PIPELINE = threading.Lock()
_holding = threading.local()
_parsers = ThreadPoolExecutor(max_workers=2, thread_name_prefix="nlu")
_original_parse_message = MessageProcessor.parse_message


@contextlib.contextmanager
def pipeline_released() -> Iterator[None]:
    """Let another parse use the pipeline meanwhile (a no-op outside a worker's parse)."""
    if not getattr(_holding, "pipeline", False):
        yield
        return
    _holding.pipeline = False
    PIPELINE.release()
    try:
        yield
    finally:
        PIPELINE.acquire()
        _holding.pipeline = True


def _parse(processor: MessageProcessor, *args: Any) -> Dict[Text, Any]:
    with PIPELINE:
        _holding.pipeline = True
        try:
            return processor._parse_message_with_graph(*args)
        finally:
            _holding.pipeline = False


async def parse_message(
    self: MessageProcessor,
    message: UserMessage,
    tracker: Optional[DialogueStateTracker] = None,
    only_output_properties: bool = True,
) -> Dict[Text, Any]:
    if self.http_interpreter:  # NLU served elsewhere: Rasa already awaits it
        return await _original_parse_message(self, message, tracker, only_output_properties)
    if tracker is None:
        tracker = DialogueStateTracker.from_events(message.sender_id, [])
    parse_data = await asyncio.get_running_loop().run_in_executor(
        _parsers, _parse, self, message, tracker, only_output_properties
    )
    self._update_full_retrieval_intent(parse_data)
    logger.debug("Parsed a message: intent %s", parse_data.get("intent"))
    self._check_for_unseen_features(parse_data)
    return parse_data


def install() -> None:
    MessageProcessor.parse_message = parse_message
