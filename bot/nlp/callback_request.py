"""A resident who asks to be called starts the callback form at once.

"kan nogen ringe mig op", "ring mig tilbage", "kan i kontakte mig på telefon",
"gider i give mig et kald": however it is put, the resident asked for exactly
what the callback form does, and another question first ("Vil du hellere
have, at en medarbejder ringer dig op?") would be one too many. The intent
classifier files some of these under talking to a person or the topic they
name; a message in which the resident asks to be called (the verb with
"mig" as its object) is a ``request_callback``, whatever it predicted.
Placed before the danger detector, which still overrides it.
"""
import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.knowledge.text import fold
from bot.nlp.intent_override import put_first

INTENT_REQUEST_CALLBACK = "request_callback"
# Folded text (æ/ø/å → ae/oe/aa, or a plain a/o). "ringe til mig", not "ringe til min mor"
# or "hvem kan jeg ringe til".
ASKS_TO_BE_CALLED = re.compile(
    r"\b(?:"
    r"ring(?:e|er)? (?:\w+ ){0,2}(?:til )?mig\b"
    r"|ringes? (?:op|tilbage)\b"
    r"|(?:kontakte?|fange?) mig (?:\w+ ){0,2}(?:telefon\w*|tlf)\b"
    r"|telefon\w* (?:til )?mig\b"
    r"|mig et (?:kald|opkald|ring)\b"
    r"|kontaktet (?:\w+ ){0,2}(?:telefon\w*|tlf)\b"
    r"|(?:snakke|tale) med (?:\w+ ){0,4}i telefonen\b"
    r"|\bbare ring\b(?! til)"
    r"|call me\b|(?:give|get) me a call\b"
    r")"
)


def asks_to_be_called(text: str) -> bool:
    return ASKS_TO_BE_CALLED.search(fold(text)) is not None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CallbackRequest(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "CallbackRequest":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if asks_to_be_called(message.get(TEXT) or ""):
                put_first(message, INTENT_REQUEST_CALLBACK)
        return messages
