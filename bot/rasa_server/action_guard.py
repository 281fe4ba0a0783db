"""Never leave a resident in silence when the action server fails.

Rasa 3.6 logs a failing custom action and sends nothing. This wraps its
``RemoteAction.run``: an action server that is down, errs or answers slower
than ``ACTION_TIMEOUT_SECONDS`` yields a Danish apology with the
municipality's phone number (phrase ``service_down``) instead. Installed by
``bot.rasa_server.install()``.
"""
import asyncio
import logging

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction, create_bot_utterance

from bot.rasa_server import action_response_check
from bot.config import Settings
from bot.knowledge.answers import say

logger = logging.getLogger(__name__)

_original_run = RemoteAction.run


async def _run_or_apologise(self, output_channel, nlg, tracker, domain):
    timeout = Settings.once().action_timeout_seconds
    try:
        return await asyncio.wait_for(_original_run(self, output_channel, nlg, tracker, domain), timeout)
    except ActionExecutionRejection:
        raise  # forms rely on rejections; they are not failures
    except Exception as error:  # noqa: BLE001 - anything here would mean silence
        logger.error("Custom action '%s' failed (%s); sending the apology.", self.name(), type(error).__name__)
        return [create_bot_utterance({"text": say("service_down")})]


def install() -> None:
    RemoteAction.run = _run_or_apologise
    action_response_check.install()
