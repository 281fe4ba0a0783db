"""Safety mode: right after a danger answer, the next message is about the danger.

A resident who was just given 112 or Livslinien writes "hvad skal jeg gøre",
"han er kun 11", "skal jeg ringe til nogen" or "det var for en time siden".
Read alone, such a message looks like a callback request, small talk or a
question the assistant cannot place; read in the conversation, it is the
danger going on. The NLU pipeline sees one message at a time, so this step
runs after it, with the conversation: unless the message is itself a danger
message, or a clear question about something the answer data names, or a
long question the model is sure of, it becomes ``distress``, which gets the
safety answer again with the next step (data/rules.yml); a "tak" or "farvel"
gets the numbers once more too. A child named in it ("jeg er 14") makes the
answer the one for a child at risk.

Installed by ``bot.rasa_server.install()`` around ``MessageProcessor.parse_message``
(after ``parse_thread``), which Rasa 3.6 calls with the conversation's tracker.
"""
from typing import Any, Dict, Optional

from rasa.core.channels import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker

from bot.nlp.danger import CHILD, ENTITY_DANGER, INTENT_EMERGENCY, INTENT_SUICIDAL, SUICIDAL, names_a_child

INTENT_DISTRESS = "distress"
SLOT_DANGER = "danger"  # which danger (domain.yml), set from the detector's entity
# The danger answers (domain.yml), said by the Rasa server itself.
SAFETY_RESPONSES = frozenset({"utter_emergency", "utter_suicidal", "utter_safety_next"})
# A new question about the plan: it names a thing from the answer data (a topic word such as
# "forældre" does not count) and the model is sure.
THING_ENTITIES = frozenset({"entry", "initiative", "organisation", "housing_area"})
SURE = 0.8
# Longer questions about the plan the model is sure of are new questions; a
# callback request, thanks or "hjælp" is not (a callback could come too late).
FOLLOW_UP_WORDS = 8
PLAN_QUESTIONS = "ask_"
LISTEN = "action_listen"
BUTTON_PAYLOAD = "/"  # "/request_callback": Rasa's prefix for an intent given by a button


def last_answer(tracker: Optional[DialogueStateTracker]) -> Optional[str]:
    """The assistant's last action before this message (listening aside)."""
    for event in reversed(tracker.events if tracker else []):
        if isinstance(event, ActionExecuted) and event.action_name != LISTEN:
            return event.action_name
    return None


def in_context(parse_data: Dict[str, Any], tracker: Optional[DialogueStateTracker]) -> Dict[str, Any]:
    """``parse_data``, read as a message of the safety mode where it is one (changed in place)."""
    if last_answer(tracker) not in SAFETY_RESPONSES:
        return parse_data
    intent = parse_data.get("intent") or {}
    name, confidence = intent.get("name") or "", intent.get("confidence") or 0.0
    text = parse_data.get("text") or ""
    entities = parse_data.get("entities") or []
    if text.startswith(BUTTON_PAYLOAD):
        return parse_data  # a button pressed is a choice made
    if name in (INTENT_EMERGENCY, INTENT_SUICIDAL):
        return _child_still_at_risk(parse_data, tracker)  # a danger message has its own answer
    if name.startswith(PLAN_QUESTIONS) and confidence >= SURE and (
            len(text.split()) > FOLLOW_UP_WORDS or any(e.get("entity") in THING_ENTITIES for e in entities)):
        return parse_data
    parse_data["intent"] = {"name": INTENT_DISTRESS, "confidence": 1.0}
    ranking = [r for r in parse_data.get("intent_ranking") or [] if r.get("name") != INTENT_DISTRESS]
    parse_data["intent_ranking"] = [dict(parse_data["intent"]), *ranking]
    # A child at risk gets BørneTelefonen; suicidal thoughts keep Livslinien's answer.
    if names_a_child(text) and (tracker.get_slot(SLOT_DANGER) if tracker else None) != SUICIDAL:
        _set_danger(parse_data, CHILD)
    return parse_data


def _child_still_at_risk(parse_data: Dict[str, Any], tracker: Optional[DialogueStateTracker]) -> Dict[str, Any]:
    """A danger message after a child's danger answer is still about the child ("han har
    låst sig inde på sit værelse" after "min søn på 14 vil ikke leve"): BørneTelefonen
    stays in the answer (the suicidal answer for a child keeps Livslinien)."""
    if tracker is not None and tracker.get_slot(SLOT_DANGER) == CHILD:
        _set_danger(parse_data, CHILD)
    return parse_data


def _set_danger(parse_data: Dict[str, Any], kind: str) -> None:
    text = parse_data.get("text") or ""
    parse_data["entities"] = [e for e in parse_data.get("entities") or [] if e.get("entity") != ENTITY_DANGER] + [
        {"entity": ENTITY_DANGER, "value": kind, "start": 0, "end": len(text), "extractor": "SafetyMode"}]


_parse_alone = None


async def _parse_in_context(self: MessageProcessor, message: UserMessage,
                            tracker: Optional[DialogueStateTracker] = None,
                            only_output_properties: bool = True) -> Dict[str, Any]:
    return in_context(await _parse_alone(self, message, tracker, only_output_properties), tracker)


def install() -> None:
    """Read each message in its conversation after parsing it. Idempotent."""
    global _parse_alone
    if _parse_alone is None:
        _parse_alone = MessageProcessor.parse_message
        MessageProcessor.parse_message = _parse_in_context
