"""What to say when the question is outside the plan or not understood.

Before admitting it does not know, the assistant looks for a name from the
answer data in the message (also entries added after training)."""
import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.messages import send
from actions.names import ACTION_FALLBACK
from actions.store import KnowledgeError, get_store
from bot.knowledge.answers import describe, list_reply, say

logger = logging.getLogger(__name__)

# Only distinctive names count here: topic words such as "job" or "familie"
# also occur in questions that have nothing to do with the plan.
STRICT_THRESHOLD = 90.0
MIN_NAME_LENGTH = 5
SKIPPED_KINDS = {"work_area"}


class ActionFallback(Action):
    def name(self) -> Text:
        return ACTION_FALLBACK

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        try:
            kb = get_store().current()
        except KnowledgeError:
            logger.exception("No valid answer data")
            dispatcher.utter_message(text=say("service_down"))
            return []
        text = (tracker.latest_message or {}).get("text") or ""
        entry_id = kb.names.best(
            text,
            threshold=STRICT_THRESHOLD,
            min_alias_length=MIN_NAME_LENGTH,
            kinds_filter=lambda i: kb.get(i).kind not in SKIPPED_KINDS,
        )
        if entry_id:
            return send(dispatcher, describe(kb, kb.get(entry_id)))
        contact = kb.fallback_contact
        text = "\n".join([say("out_of_scope"), say("out_of_scope_contact", name=contact.name, phone=contact.phone)])
        overview = kb.for_intent("ask_work_areas")
        return send(dispatcher, list_reply(kb, text, overview.related if overview else []))
