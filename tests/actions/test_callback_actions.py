"""The callback form's actions: reading and checking each answer, asking, and
keeping the request only after a yes (against a real answer store)."""
import pytest
import sqlalchemy as sa
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import store as action_store
from actions.callback import (
    ActionAskCallbackConsent,
    ActionAskCallbackName,
    ActionAskCallbackPhone,
    ActionCancelCallback,
    ActionClearCallback,
    ActionSubmitCallback,
    ValidateCallbackForm,
    danish_phone,
    first_name,
)
from actions.fallback import ActionFallback
from actions.names import CALLBACK_SLOTS
from bot.config import PROJECT_ROOT
from bot.knowledge.store import StaticKnowledgeStore

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
NAME, PHONE, TOPIC, CONSENT = CALLBACK_SLOTS
CLEARED = [SlotSet(slot, None) for slot in CALLBACK_SLOTS]


@pytest.fixture(autouse=True)
def stores(kb, answer_store):
    action_store.set_store(StaticKnowledgeStore(kb))
    action_store.set_callbacks(answer_store.callbacks)
    yield
    action_store.set_store(None)
    action_store.set_callbacks(None)


def in_the_form(text, intent, asked, before="callback_form", channel="socketio", **slots):
    """The tracker the form hands its validation action: the resident answered
    the question for ``asked`` (the form ran last before the message, unless
    ``before`` says otherwise)."""
    values = {slot: None for slot in CALLBACK_SLOTS}
    values.update(slots, requested_slot=asked)
    message = {"text": text, "intent": {"name": intent, "confidence": 0.95}, "entities": []}
    events = [
        {"event": "action", "name": before},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": message, "input_channel": channel},
        {"event": "slot", "name": "requested_slot", "value": asked},
        {"event": "action", "name": "callback_form"},
    ]
    return Tracker("resident", values, message, events, False, None, {"name": "callback_form"}, "callback_form")


async def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, DOMAIN)
    return [m["text"] for m in dispatcher.messages], events, dispatcher.messages


async def validate(text, intent, asked, **slots):
    said, events, _ = await run(ValidateCallbackForm(), in_the_form(text, intent, asked, **slots))
    return said, {e["name"]: e["value"] for e in events if e["name"] != "requested_slot"}


# --- reading answers -------------------------------------------------------------------


@pytest.mark.parametrize("written, digits", [
    ("22 33 44 55", "22334455"), ("22334455", "22334455"), ("+45 22334455", "22334455"),
    ("+4522 33 44 55", "22334455"), ("0045 22 33 44 55", "22334455"), ("2233 4455", "22334455"),
    ("22-33-44-55", "22334455"), ("mit nummer er 22 33 44 55 tak", "22334455"),
    ("123", None), ("2233445", None), ("223344556", None), ("12 34 56 78", None), ("+46 70 123 45 67", None),
    ("ring mig", None), ("", None),
])
def test_danish_phone_numbers_in_the_ways_residents_write_them(written, digits):
    assert danish_phone(written) == digits


@pytest.mark.parametrize("written, name", [
    ("Mette", "Mette"), ("mette", "Mette"), ("jeg hedder mette", "Mette"), ("Hej, jeg hedder Ali.", "Ali"),
    ("mit navn er anne-marie", "Anne-Marie"), ("Søren", "Søren"), ("Ali Hassan", "Ali Hassan"),
    ("", None), ("   ", None), ("ja", None), ("hvad er jobplaneten?", None), ("12345", None),
    ("jeg ved ikke", None), ("Mette" * 10, None),
])
def test_first_names(written, name):
    assert first_name(written) == name


# --- the form's validation ---------------------------------------------------------------


async def test_name_then_phone_then_topic_then_yes():
    assert await validate("jeg hedder mette", "nlu_fallback", NAME) == ([], {NAME: "Mette"})
    assert await validate("+45 22 33 44 55", "nlu_fallback", PHONE) == ([], {PHONE: "22334455"})
    assert await validate("hjælp til at søge job", "ask_job_help", TOPIC) == ([], {TOPIC: "hjælp til at søge job"})
    assert await validate("ja", "affirm", CONSENT, callback_phone="22334455") == ([], {CONSENT: True})


async def test_a_name_the_model_mistakes_for_stop_is_still_a_name():
    assert await validate("mit navn er Hans", "stop", NAME) == ([], {NAME: "Hans"})
    assert await validate("Sara", "affirm", NAME) == ([], {NAME: "Sara"})


async def test_an_empty_or_wrong_name_is_asked_again_kindly():
    said, slots = await validate("hvad er jobplaneten?", "ask_initiative", NAME)
    assert slots == {NAME: None} and said == ["Skriv kun dit fornavn, fx Mette."]
    said, slots = await validate("   ", "nlu_fallback", NAME)
    assert slots == {NAME: None} and said == ["Skriv kun dit fornavn, fx Mette."]


@pytest.mark.parametrize("written", ["123", "2233445", "12 34 56 78", "ved ikke", "ja"])
async def test_a_phone_number_that_is_not_8_danish_digits_is_asked_again(written):
    said, slots = await validate(written, "nlu_fallback", PHONE)
    assert slots == {PHONE: None}
    assert said == ["Det ligner ikke et dansk telefonnummer. Skriv de 8 cifre i dit nummer, med eller uden mellemrum."]


async def test_a_topic_must_say_something_in_a_few_words():
    said, slots = await validate("?", "nlu_fallback", TOPIC)
    assert slots == {TOPIC: None} and "med få ord" in said[0]
    said, slots = await validate("ord " * 100, "nlu_fallback", TOPIC)
    assert slots == {TOPIC: None} and "højst 300 tegn" in said[0]


@pytest.mark.parametrize("asked", [NAME, PHONE, TOPIC, CONSENT])
@pytest.mark.parametrize("text, intent", [("stop", "stop"), ("glem det", "deny"), ("farvel", "goodbye"),
                                          ("det brænder", "emergency")])
async def test_leaving_fills_nothing_so_the_form_is_rejected_and_a_rule_ends_it(asked, text, intent):
    if asked == CONSENT and intent == "deny":
        return  # at the consent question "nej" is an answer: no consent
    assert await validate(text, intent, asked, callback_phone="22334455") == ([], {})


async def test_no_is_no_consent():
    assert await validate("nej tak", "deny", CONSENT, callback_phone="22334455") == ([], {CONSENT: False})


async def test_the_number_is_wrong_at_the_consent_question_so_it_is_asked_again():
    said, slots = await validate("nej, nummeret er forkert", "deny", CONSENT, callback_name="Mette",
                                 callback_phone="22334455", callback_topic="job")
    assert slots == {PHONE: None, CONSENT: None}
    assert said == ["Okay, lad os rette nummeret."]


@pytest.mark.parametrize("text, intent", [("nummeret er forkert", "ask_more"), ("nej, nummeret er forkert", "deny"),
                                          ("jeg skrev forkert nr", "nlu_fallback")])
async def test_the_number_is_wrong_instead_of_the_topic(text, intent):
    said, slots = await validate(text, intent, TOPIC, callback_phone="22334455")
    assert slots == {PHONE: None, CONSENT: None} and said == ["Okay, lad os rette nummeret."]


async def test_a_topic_about_stopping_is_a_topic():
    assert await validate("min søn vil stoppe i skolen", "ask_family_support", TOPIC) == (
        [], {TOPIC: "min søn vil stoppe i skolen"})


async def test_a_new_number_at_the_consent_question_replaces_the_old_one():
    said, slots = await validate("det er 22 33 44 66", "nlu_fallback", CONSENT, callback_phone="22334455")
    assert slots == {PHONE: "22334466", CONSENT: None}
    assert said == ["Tak. Jeg har rettet nummeret til 22 33 44 66."]


async def test_a_new_number_instead_of_the_topic_replaces_the_old_one():
    said, slots = await validate("+45 22 33 44 66", "nlu_fallback", TOPIC, callback_phone="22334455")
    assert slots == {PHONE: "22334466", CONSENT: None}
    assert said == ["Tak. Jeg har rettet nummeret til 22 33 44 66."]


async def test_neither_yes_nor_no_asks_for_yes_or_no():
    said, slots = await validate("hvad betyder det", "help", CONSENT, callback_phone="22334455")
    assert slots == {CONSENT: None} and said == ["Svar ja eller nej."]


async def test_nothing_from_before_the_form_started_is_taken_over():
    # At the start the form validates what is already in its slots (say, left from a
    # conversation that ended mid-form): all of it is emptied, so every question is asked.
    tracker = in_the_form("bestil opkald", "request_callback", None, before="action_offer_person",
                          callback_name="Ali", callback_phone="22334455", callback_topic="job")
    tracker.events.extend({"event": "slot", "name": slot, "value": value}
                          for slot, value in (("callback_name", "Ali"), ("callback_phone", "22334455")))
    said, events, _ = await run(ValidateCallbackForm(), tracker)
    assert said == [] and {e["name"]: e["value"] for e in events} == {NAME: None, PHONE: None}


# --- asking ------------------------------------------------------------------------------


async def test_the_first_question_says_what_is_needed_and_how_to_stop():
    said, _, _ = await run(ActionAskCallbackName(), in_the_form("bestil opkald", "request_callback", None,
                                                                before="action_offer_person"))
    assert "fornavn, dit telefonnummer og hvad det drejer sig om" in said[0] and "stop" in said[0]
    said, _, _ = await run(ActionAskCallbackName(), in_the_form("?", "nlu_fallback", NAME))
    assert said == ["Hvad er dit fornavn?"]


async def test_the_phone_question_uses_the_name():
    said, _, _ = await run(ActionAskCallbackPhone(), in_the_form("Mette", "nlu_fallback", NAME, callback_name="Mette"))
    assert said == ["Tak, Mette. Hvilket telefonnummer kan vi ringe til?"]


async def test_the_consent_question_says_what_why_and_how_long(monkeypatch):
    monkeypatch.setenv("RETENTION_DAYS", "14")
    tracker = in_the_form("job", "nlu_fallback", TOPIC, callback_name="Mette", callback_phone="22334455",
                          callback_topic="hjælp til job")
    said, _, messages = await run(ActionAskCallbackConsent(), tracker)
    text = said[0]
    assert "fornavn, dit telefonnummer og emnet" in text and "ringe dig op" in text and "efter 14 dage" in text
    assert "Mette" in text and "22 33 44 55" in text and "hjælp til job" in text
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/affirm", "/deny"]


# --- how it ends ---------------------------------------------------------------------------


def submitted(consent, **slots):
    values = {"callback_name": "Mette", "callback_phone": "22334455", "callback_topic": "hjælp til job",
              "callback_consent": consent, **slots}
    return in_the_form("ja", "affirm", None, **values)


async def test_yes_keeps_the_request_in_the_answer_store_and_empties_the_slots(answer_store):
    said, events, _ = await run(ActionSubmitCallback(), submitted(True))
    [request] = answer_store.callbacks.list()
    assert (request.first_name, request.phone, request.topic, request.channel, request.status) == (
        "Mette", "22334455", "hjælp til job", "socketio", "new")
    assert "Tak, Mette" in said[0] and "22 33 44 55" in said[0] and "efter 30 dage" in said[0]
    assert events == CLEARED


@pytest.mark.parametrize("consent", [False, None])
async def test_no_consent_stores_nothing(answer_store, consent):
    said, events, _ = await run(ActionSubmitCallback(), submitted(consent))
    assert answer_store.callbacks.list() == []
    with answer_store.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM callback_requests")).scalar() == 0
    assert said == ["Det er helt i orden. Jeg har ikke gemt noget.\n"
                    "Du kan også selv ringe til Køge Kommune på tlf. 56 67 67 67."]
    assert events == CLEARED


async def test_a_store_that_cannot_be_reached_gets_an_apology_with_the_phone(answer_store):
    answer_store.engine.dispose()
    with answer_store.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE callback_requests"))
    said, events, _ = await run(ActionSubmitCallback(), submitted(True))
    assert said == ["Undskyld, jeg kunne ikke gemme din besked lige nu. Ring i stedet til Køge Kommune på tlf. "
                    "56 67 67 67."]
    assert events == CLEARED


async def test_stopping_says_nothing_was_kept_and_empties_the_slots(answer_store):
    said, events, _ = await run(ActionCancelCallback(), submitted(None))
    assert said == ["Okay, jeg stopper her. Jeg har ikke gemt noget af det, du har skrevet."]
    assert events == CLEARED and answer_store.callbacks.list() == []
    said, events, _ = await run(ActionClearCallback(), submitted(None))
    assert said == [] and events == CLEARED


# --- two unanswered questions in a row ------------------------------------------------------


def after(previous, text, intent, unanswered=None):
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    events = [{"event": "action", "name": previous}, {"event": "action", "name": "action_listen"},
              {"event": "user", "text": text, "parse_data": message}]
    return Tracker("resident", {"subject": None, "subject_list": None, "unanswered": unanswered}, message, events,
                   False, None, {}, "action_listen")


async def test_the_second_unanswered_question_in_a_row_gives_the_contact():
    said, events, _ = await run(ActionFallback(), after("utter_greet", "hvad koster en pizza", "out_of_scope"))
    assert "Det kan jeg desværre ikke hjælpe med" in said[0]
    assert SlotSet("unanswered", "once") in events
    said, events, _ = await run(ActionFallback(), after("action_fallback", "hvornår er der fodbold", "out_of_scope",
                                                        unanswered="once"))
    assert "Det kan jeg desværre ikke hjælpe med" in said[0] and "tale med et menneske" in said[0]
    assert "Tlf. 56 67 67 67" in said[0] and "raadhus@koege.dk" in said[0]
    assert SlotSet("unanswered", "twice") in events


async def test_a_question_answered_in_between_starts_the_count_again():
    said, events, _ = await run(ActionFallback(), after("action_answer", "hvad koster en pizza", "out_of_scope",
                                                        unanswered="once"))
    assert SlotSet("unanswered", "once") in events
    said, events, _ = await run(ActionFallback(), after("action_fallback", "kvindenetvaerket??", "nlu_fallback",
                                                        unanswered="once"))
    assert "Køge Kvindenetværk" in said[0] and SlotSet("unanswered", None) in events
