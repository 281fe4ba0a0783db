"""Set a message's intent after the classifiers, keeping their ranking below it.

The danger detector and the callback request override what the intent
classifier predicted; both put their intent first and keep the others'.
"""
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message


def put_first(message: Message, intent: str, confidence: float = 1.0) -> None:
    ranked = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
    chosen = {"name": intent, "confidence": confidence}
    message.set(INTENT, chosen, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [dict(chosen), *ranked], add_to_output=True)
