"""Each action speaks the conversation's language (its ``language`` slot).

``@in_conversation_language`` on an action's ``run`` sets
``bot.language.current`` from the tracker for the whole call, so the phrases
and the answer data the action uses are in the resident's language without
passing it around. Every action of this package has it (a test checks).
"""
import functools
from typing import Any, Awaitable, Callable, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.language.current import replying_in

SLOT_LANGUAGE = "language"  # domain.yml

Run = Callable[[Any, CollectingDispatcher, Tracker, Dict[Text, Any]], Awaitable[List[Dict[Text, Any]]]]


def in_conversation_language(run: Run) -> Run:
    @functools.wraps(run)
    async def run_in_language(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        with replying_in(tracker.get_slot(SLOT_LANGUAGE)):
            return await run(self, dispatcher, tracker, domain)

    run_in_language.in_conversation_language = True
    return run_in_language
