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
from bot.parse_thread import install as install_parse_thread

INTENT_EMERGENCY = "emergency"
INTENT_SUICIDAL = "suicidal"


def _any(*patterns: str) -> "re.Pattern":
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b")


_VICTIM = r"(?:mig|os|hende|ham|dem|boernene|(?:min|mine|mit|sin|sine|sit) \w+)"
_VICTIM_EN = r"(?:me|us|her|him|them|(?:my|his|her|their) \w+)"

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
    r"skader? mig selv",
    r"skaerer i mig selv",
    r"selvskade",
    r"ende (?:mit|mit eget) liv",
    r"goere en ende paa (?:det|mit liv|livet)",
    r"slutte det hele",
    r"ikke (?:lyst|kraefter) til at leve",
    r"orker ikke at leve",
    r"taget (?:en masse|mange|alle mine) piller",
    # Wishing to be gone for good.
    r"forsvinde for altid",
    r"aldrig vaagne\w*",
    r"(?:forsvinde|vaek) og aldrig komme tilbage",
    r"ikke lyst til at vaagne",
    r"kill myself",
    r"suicid\w*",
    r"end(?:ing)? (?:my life|it all)",
    r"want to die",
    r"(?:don'?t|do not) want to live",
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
    # Someone being hit: the resident, or another person ("naboen slår sin kone").
    r"(?:slaar|slog|slaaet|banker|taever|taesker) " + _VICTIM,
    r"bliver slaaet",
    r"(?:beating|beats|hitting|hits|hurting|attacking) " + _VICTIM_EN,
    r"(?:is|are|being) (?:beaten|attacked)",
    r"overfald\w*",
    r"truer (?:mig|os)",
    r"truet",
    r"kniv",
    r"knife",
    r"stukket ned",
    r"skud",
    r"skudt",
    r"truer med at (?:slaa|draebe|skyde|stikke)",
    r"(?:jeg|vi) er i fare",
    r"traekker ikke vejret",
    r"not breathing",
    r"det er akut",
    r"akut hjaelp",
    r"broke into",
    r"vaaben",
    r"pistol",
    r"indbrud\w*",
    r"brudt ind",
    r"bryder ind",
    r"break ?in",
    r"burglar\w*",
    r"violence",
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
        install_parse_thread()
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
