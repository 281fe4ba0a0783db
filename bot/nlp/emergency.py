"""Emergencies come first, whatever the model predicts.

A rule-based classifier placed after every other classifier: when a message
speaks of fire, violence, a break-in or suicide, it overrides the predicted
intent with ``emergency`` or ``suicidal`` at full confidence, so the dialogue
rules answer with the emergency numbers before anything else. Patterns work
on folded text (æ/ø/å → ae/oe/aa), so "braender" and "brænder" both match.
"""
import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.action_guard import install as install_action_guard
from bot.knowledge.text import fold

INTENT_EMERGENCY = "emergency"
INTENT_SUICIDAL = "suicidal"


def _any(*patterns: str) -> "re.Pattern":
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b")


# Suicide is checked first: it gets its own answer (Livslinien).
SUICIDAL = _any(
    r"selvmord\w*",
    r"selvmords\w*",
    r"tage? (?:mit|mig|sit) (?:eget )?liv",
    r"tage? livet af mig",
    r"slaa mig selv ihjel",
    r"(?:vil|gider|orker|kan) ikke (?:mere )?leve(?: mere| laengere)?",
    r"(?:vil|oensker at|lyst til at|gerne) (?:gerne )?doe",
    r"ikke leve mere",
    r"skade mig selv",
    r"selvskade",
    r"kill myself",
    r"suicid\w*",
    r"end my life",
    r"want to die",
)
EMERGENCY = _any(
    r"braender(?! for)",  # "jeg brænder for ..." is a passion, not a fire
    r"brand",
    r"ild(?:en)?",
    r"roeg(?:en|udvikling)?",
    r"(?:on|a) fire",  # "fire" alone is Danish for "four"
    r"fire (?:in|alarm)",
    # Not "hvad gør I mod vold": a question about prevention, not an emergency.
    r"(?<!mod )(?<!imod )(?<!om )(?<!forebygge )vold(?:en|elig|ligt|taegt)?",
    r"voldt\w*",
    r"slaar (?:mig|os|hende|ham|boernene|min \w+)",
    r"bliver slaaet",
    r"slaaet (?:mig|os|hende|ham)",
    r"slog (?:mig|os|hende|ham)",
    r"banker (?:mig|os|hende|ham)",
    r"overfald\w*",
    r"truer (?:mig|os)",
    r"truet",
    r"kniv",
    r"vaaben",
    r"pistol",
    r"indbrud\w*",
    r"brudt ind",
    r"bryder ind",
    r"break ?in",
    r"burglar\w*",
    r"violence",
    r"hitting me",
    r"beating me",
    r"ring 112",
    r"112",
    r"noedsituation",
    r"emergency",
)


def emergency_intent(text: str) -> Optional[str]:
    """``suicidal``, ``emergency`` or ``None`` for a resident's message."""
    folded = fold(text)
    if SUICIDAL.search(folded):
        return INTENT_SUICIDAL
    if EMERGENCY.search(folded):
        return INTENT_EMERGENCY
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class EmergencyOverride(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "EmergencyOverride":
        install_action_guard()
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = emergency_intent(message.get(TEXT) or "")
            if intent is None:
                continue
            previous = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
            message.set(INTENT, {"name": intent, "confidence": 1.0}, add_to_output=True)
            message.set(
                INTENT_RANKING_KEY, [{"name": intent, "confidence": 1.0}, *previous], add_to_output=True
            )
        return messages
