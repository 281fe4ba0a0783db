"""The Rasa actions: tracker in, Danish messages and slot events out."""
import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import store as action_store
from actions.answers import ActionAnswer
from actions.fallback import ActionFallback
from bot.knowledge import KnowledgeError
from bot.knowledge.store import StaticKnowledgeStore


@pytest.fixture(autouse=True)
def use_seed_store(kb):
    action_store.set_store(StaticKnowledgeStore(kb))
    yield
    action_store.set_store(None)


def tracker(text, intent, entities=(), **slots):
    return Tracker(
        sender_id="test",
        slots={"subject": None, "subject_list": None, **slots},
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": list(entities)},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


async def run(action, t):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, t, {})
    return dispatcher.messages, events


async def test_answer_uses_the_recognised_entity():
    entities = [{"entity": "initiative", "value": "jobplaneten"}]
    messages, events = await run(ActionAnswer(), tracker("hvad er jobplaneten", "ask_initiative", entities))
    assert "https://jobplaneten.dk" in messages[0]["text"]
    assert SlotSet("subject", "jobplaneten") in events


async def test_answer_finds_a_misspelt_name_without_an_entity():
    messages, _ = await run(ActionAnswer(), tracker("hvad laver faeles fremtid", "ask_initiative"))
    assert "fritidsjob" in messages[0]["text"]


async def test_follow_up_contact_uses_the_subject_slot():
    messages, _ = await run(ActionAnswer(), tracker("hvordan kontakter jeg dem?", "ask_contact", subject="bestyrelsen"))
    assert "Rikke Willesen" in messages[0]["text"] and "30 54 83 43" in messages[0]["text"]


async def test_ordinal_follow_up_picks_from_the_last_list():
    t = tracker("fortæl mere om den anden", "ask_more", [{"entity": "ordinal", "value": "2"}],
                subject_list=["jobplaneten", "get2sport"])
    messages, events = await run(ActionAnswer(), t)
    assert "Get2Sport" in messages[0]["text"]
    assert SlotSet("subject", "get2sport") in events


async def test_list_answers_send_buttons_that_name_the_entry():
    messages, events = await run(ActionAnswer(), tracker("hvilke indsatser har i", "ask_work_areas"))
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads[0] == '/ask_more{"entry":"beskaeftigelse"}'
    assert SlotSet("subject_list", ["beskaeftigelse", "familie", "faellesskab", "kriminalitet"]) in events


async def test_fallback_is_honest_and_gives_the_contact():
    messages, _ = await run(ActionFallback(), tracker("hvad koster en pizza", "nlu_fallback"))
    assert "Det kan jeg desværre ikke hjælpe med" in messages[0]["text"]
    assert "56 67 67 67" in messages[0]["text"]
    assert messages[0]["buttons"]


async def test_fallback_still_answers_a_clearly_named_entry():
    messages, _ = await run(ActionFallback(), tracker("kvindenetvaerket??", "nlu_fallback"))
    assert "Køge Kvindenetværk" in messages[0]["text"]


async def test_fallback_ignores_topic_words_in_unrelated_questions():
    messages, _ = await run(ActionFallback(), tracker("skal på arbejde, hvad er vejret", "out_of_scope"))
    assert "Det kan jeg desværre ikke hjælpe med" in messages[0]["text"]


@pytest.mark.parametrize("action", [ActionAnswer(), ActionFallback()])
async def test_unreadable_store_gives_an_apology_with_the_phone(action):
    class BrokenStore:
        def current(self):
            raise KnowledgeError([])

    action_store.set_store(BrokenStore())
    messages, events = await run(action, tracker("hvad er jobplaneten", "ask_initiative"))
    assert "56 67 67 67" in messages[0]["text"] and events == []


def with_new_entry(kb):
    from bot.answer_store.entries import knowledge_from
    from bot.knowledge import Entry

    new = Entry(id="lektiecafe", kind="initiative", name="Lektiecaféen", aliases=["lektie cafe"],
                summary="Lektiecaféen hjælper skolebørn med lektierne.", source="Test")
    return knowledge_from([*kb.entries.values(), new])


async def test_an_entry_added_after_training_is_answered_when_named(kb):
    action_store.set_store(StaticKnowledgeStore(with_new_entry(kb)))
    # The model knows no "lektiecafé" and files the question under the nearest topic.
    messages, _ = await run(ActionAnswer(), tracker("hvad er lektiecafeen", "ask_family_support"))
    assert "hjælper skolebørn med lektierne" in messages[0]["text"]


async def test_a_topic_question_naming_a_known_entry_keeps_the_topic_answer(kb):
    action_store.set_store(StaticKnowledgeStore(with_new_entry(kb)))
    messages, _ = await run(ActionAnswer(), tracker("hvad gør familiecenteret for forældre", "ask_family_support"))
    assert "Sundhedsplejen" in messages[0]["text"]
