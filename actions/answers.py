"""Answer questions about the plan from the answer store."""
import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.language import in_conversation_language
from actions.messages import question_from, send
from actions.names import ACTION_ANSWER
from actions.store import answer_data_or_apology
from bot.knowledge.answers import answer

logger = logging.getLogger(__name__)


class ActionAnswer(Action):
    def name(self) -> Text:
        return ACTION_ANSWER

    @in_conversation_language
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        kb = answer_data_or_apology(dispatcher)
        if kb is None:
            return []
        return send(dispatcher, answer(kb, question_from(tracker, kb)), kb)
