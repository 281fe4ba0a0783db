"""Turn a tracker into a ``Question`` and a ``Reply`` into messages and slots."""
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.names import (
    ACTION_LISTEN,
    ENTITY_CONTACT_ATTRIBUTE,
    ENTITY_ORDINAL,
    SLOT_SUBJECT,
    SLOT_SUBJECT_LIST,
    THING_ENTITIES,
)
from actions.trained import known_to_the_model, plan_words
from bot.knowledge import KnowledgeBase
from bot.knowledge.answers import Question, Reply
from bot.knowledge.attributes import asked_attribute
from bot.language.current import reply_language
from bot.language.detect import DANISH, ENGLISH
from bot.language.texts import fixed, language_buttons, only_some_in

# The languages every reply is put together in; in the others, the resident is told so.
ANSWERS_IN = (DANISH, ENGLISH)


def question_from(tracker: Tracker, kb: KnowledgeBase) -> Question:
    message = tracker.latest_message or {}
    intent = (message.get("intent") or {}).get("name") or ""
    text = message.get("text") or ""
    entities = message.get("entities") or []
    mentioned = mentioned_entries(kb, entities, text)
    return Question(
        intent=intent,
        text=text,
        mentioned=mentioned,
        new_to_model=[entry_id for entry_id in mentioned if not known_to_the_model(kb.get(entry_id))],
        subject=tracker.get_slot(SLOT_SUBJECT),
        subject_list=list(tracker.get_slot(SLOT_SUBJECT_LIST) or []),
        ordinal=_ordinal(entities),
        # What the question asks about ("hvornår kan man ringe": the times, not the phone).
        attribute=asked_attribute(text) or _first_value(entities, ENTITY_CONTACT_ATTRIBUTE),
        plan_words=plan_words(),
    )


def mentioned_entries(kb: KnowledgeBase, entities: List[Dict[str, Any]], text: str) -> List[str]:
    """Entry ids the message names: recognised entities first, then a fuzzy
    scan of the text, which also finds entries added after training."""
    found: List[str] = []
    for entity in entities:
        if entity.get("entity") not in THING_ENTITIES:
            continue
        value = str(entity.get("value") or "")
        entry_id = value if kb.get(value) else kb.names.best(value)
        if entry_id and entry_id not in found:
            found.append(entry_id)
    for match in kb.names.find(text):
        if match.entry_id not in found:
            found.append(match.entry_id)
    return found


def previous_action(tracker: Tracker) -> Optional[str]:
    """What the assistant did last before the latest message (listening aside)."""
    seen_message = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_message = True
        elif seen_message and event.get("event") == "action" and event.get("name") != ACTION_LISTEN:
            return event.get("name")
    return None


def send(dispatcher: CollectingDispatcher, reply: Reply, kb: KnowledgeBase) -> List[Dict[str, Any]]:
    """The reply as messages, in the reply's language as far as there are words for it."""
    buttons = [
        {"title": b.title, "payload": f'/ask_more{{"entry":"{b.entry_id}"}}'} for b in reply.buttons
    ]
    language = reply_language()
    subject = kb.get(reply.subject)
    if language not in ANSWERS_IN and subject is not None and subject.id not in kb.untranslated:
        # An entry staff translated into the resident's language: its own words, and whom to call.
        contact = kb.fallback_contact
        dispatcher.utter_message(text="\n".join(
            [subject.summary, *([subject.url] if subject.url else []),
             fixed("reach_person", language, name=contact.name, phone=contact.phone)]))
    else:
        if language not in ANSWERS_IN:
            # What can be done in the resident's language first; its buttons go on the
            # answer below, since a widget shows the newest message's buttons only.
            notice = only_some_in(language, kb.fallback_contact.name, kb.fallback_contact.phone)
            dispatcher.utter_message(text=notice["text"])
            buttons = buttons + language_buttons(language) if buttons else notice["buttons"]
        elif subject is not None and subject.id in kb.untranslated and language != DANISH:
            dispatcher.utter_message(text=fixed("only_in_danish", language))
        dispatcher.utter_message(text=reply.text, buttons=buttons or None)
    events = [SlotSet(SLOT_SUBJECT, reply.subject)] if reply.subject else []
    if reply.subject_list is not None:
        events.append(SlotSet(SLOT_SUBJECT_LIST, reply.subject_list))
    return events


def _first_value(entities: List[Dict[str, Any]], entity_type: str) -> Optional[str]:
    return next((str(e.get("value")) for e in entities if e.get("entity") == entity_type), None)


def _ordinal(entities: List[Dict[str, Any]]) -> Optional[int]:
    value = _first_value(entities, ENTITY_ORDINAL)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
