"""Right after a danger answer, a message is read as part of the danger."""
import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_server.safety_mode import in_context, last_answer


def _tracker(*actions):
    events = []
    for action in actions:
        events += [UserUttered("..."), ActionExecuted(action), BotUttered("..."), ActionExecuted("action_listen")]
    return DialogueStateTracker.from_events("someone", events)


def _parse(text, intent, confidence=0.9, entities=()):
    return {"text": text, "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": [{"name": intent, "confidence": confidence}], "entities": list(entities)}


AREA = {"entity": "initiative", "value": "jobplaneten"}
TOPIC = {"entity": "topic", "value": "familie"}


def test_the_last_answer_skips_listening():
    assert last_answer(_tracker("utter_greet", "utter_emergency")) == "utter_emergency"
    assert last_answer(DialogueStateTracker.from_events("someone", [])) is None
    assert last_answer(None) is None


@pytest.mark.parametrize("text, intent", [
    ("hvad skal jeg gøre", "distress"), ("kan i ringe til mig", "request_callback"), ("tak", "thank"),
    ("det var for en time siden", "goodbye"), ("skal jeg ringe til nogen", "ask_contact"),
    ("mine forældre må ikke vide det", "ask_family_support"), ("asdf", "nlu_fallback"),
])
@pytest.mark.parametrize("danger_answer", ["utter_emergency", "utter_suicidal", "utter_safety_next"])
def test_after_a_danger_answer_a_message_is_about_the_danger(danger_answer, text, intent):
    parsed = in_context(_parse(text, intent, entities=[TOPIC]), _tracker("utter_greet", danger_answer))
    assert parsed["intent"]["name"] == "distress"
    assert parsed["intent_ranking"][0]["name"] == "distress"
    assert not any(e["entity"] == "danger" for e in parsed["entities"])


def test_a_child_named_after_a_danger_answer_gets_the_childs_answer():
    parsed = in_context(_parse("jeg er 14 og tør ikke sige det", "out_of_scope"), _tracker("utter_emergency"))
    assert parsed["intent"]["name"] == "distress"
    assert [e["value"] for e in parsed["entities"] if e["entity"] == "danger"] == ["child"]


@pytest.mark.parametrize("parsed", [
    _parse("han har en kniv nu", "emergency", 1.0),
    _parse("jeg vil ikke leve mere", "suicidal", 1.0),
    _parse("hvad er jobplaneten", "ask_initiative", 0.95, [AREA]),
    _parse("hvem betaler egentlig for helhedsplanen og hvor længe løber den", "ask_plan_funding", 0.9),
    _parse("/request_callback", "request_callback", 1.0),
])
def test_danger_and_clear_new_questions_keep_their_intent(parsed):
    intent = parsed["intent"]["name"]
    assert in_context(parsed, _tracker("utter_emergency"))["intent"]["name"] == intent


@pytest.mark.parametrize("tracker", [_tracker("utter_greet"), _tracker("utter_emergency", "action_answer"), None])
def test_outside_the_safety_mode_nothing_changes(tracker):
    parsed = _parse("hvad skal jeg gøre", "help")
    assert in_context(parsed, tracker)["intent"]["name"] == "help"


def test_an_unsure_question_naming_something_is_still_about_the_danger():
    parsed = _parse("er jobplaneten noget", "ask_initiative", 0.5, [AREA])
    assert in_context(parsed, _tracker("utter_emergency"))["intent"]["name"] == "distress"


def test_a_callback_asked_for_in_danger_gets_the_safety_answer_first():
    parsed = _parse("jeg kan ikke dansk så godt, kan i ringe til mig", "request_callback", 1.0)
    assert in_context(parsed, _tracker("utter_emergency"))["intent"]["name"] == "distress"


def test_a_child_after_suicidal_thoughts_keeps_livslinien():
    tracker = _tracker("utter_suicidal")
    tracker.update(SlotSet("danger", "suicidal"))
    parsed = in_context(_parse("jeg er 15", "out_of_scope"), tracker)
    assert parsed["intent"]["name"] == "distress" and not parsed["entities"]


@pytest.mark.parametrize("intent, kind", [("suicidal", "suicidal"), ("emergency", "home"), ("emergency", None)])
def test_a_danger_message_after_a_childs_danger_answer_is_still_about_the_child(intent, kind):
    tracker = _tracker("utter_emergency")
    tracker.update(SlotSet("danger", "child"))
    entities = [{"entity": "danger", "value": kind}] if kind else []
    parsed = in_context(_parse("han har låst sig inde på sit værelse", intent, 1.0, entities), tracker)
    assert parsed["intent"]["name"] == intent
    assert [e["value"] for e in parsed["entities"] if e["entity"] == "danger"] == ["child"]


def test_a_danger_message_after_another_danger_answer_keeps_its_own_kind():
    tracker = _tracker("utter_emergency")
    tracker.update(SlotSet("danger", "home"))
    parsed = in_context(_parse("jeg vil ikke leve mere", "suicidal", 1.0, [{"entity": "danger", "value": "suicidal"}]),
                        tracker)
    assert [e["value"] for e in parsed["entities"] if e["entity"] == "danger"] == ["suicidal"]
