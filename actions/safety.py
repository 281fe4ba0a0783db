"""Safety mode in the actions: right after a danger answer, a short message
that names nothing from the answer data ("mine forældre må ikke vide det",
"hun svarer ikke") is about the danger, not a question about the plan."""
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.messages import previous_action
from actions.names import RESPONSE_SAFETY_NEXT, SAFETY_RESPONSES, SLOT_IN_DANGER
from bot.knowledge.text import fold

# Longer messages are new questions, whatever came before.
FOLLOW_UP_WORDS = 8


def continues_danger(tracker: Tracker, names_something: bool) -> bool:
    text = (tracker.latest_message or {}).get("text") or ""
    return (bool(tracker.get_slot(SLOT_IN_DANGER)) and not names_something
            and previous_action(tracker) in SAFETY_RESPONSES and len(fold(text).split()) <= FOLLOW_UP_WORDS)


def send_safety_next(dispatcher: CollectingDispatcher) -> list:
    # The domain's response, with its variant for the kind of danger (slot danger).
    dispatcher.utter_message(response=RESPONSE_SAFETY_NEXT)
    return []
