"""What to say when the model is unsure or the question is outside the plan.

In order: a topic outside the plan that a referral in the answer data names
gets where to ask instead; when the model was unsure (``nlu_fallback``), a
distinctive name from the answer data in the message gets its answer, then
a clear best match from searching all answer data, or a few plausible
matches as buttons; otherwise the assistant says honestly that it cannot
help and gives the contact. The answer data is searched as it is now, so entries added
after training are found too.

The second question in a row it cannot answer gets the contact's details
(phone, e-mail, hours) instead, and slot ``unanswered`` = "twice", on which a
rule offers to have a person call the resident back."""
import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.language import in_conversation_language
from actions.messages import previous_action, send
from actions.names import ACTION_FALLBACK, SLOT_SUBJECT, SLOT_UNANSWERED, UNANSWERED_ONCE, UNANSWERED_TWICE
from actions.phrases import phrase
from actions.store import answer_data_or_apology
from actions.trained import known_to_the_model, plan_words
from bot.knowledge import KnowledgeBase
from bot.knowledge.answers import (PERSON_ATTRIBUTES, Reply, area_reply, attribute_reply, beyond_what_it_does,
                                   contact_card, describe,
                                   follow_up, list_reply, not_known, referral_for, referral_reply, say)
from bot.knowledge.attributes import asked_attribute

logger = logging.getLogger(__name__)

# Only distinctive names count for a direct answer: topic words such as "job"
# or "familie" also occur in questions that have nothing to do with the plan.
STRICT_THRESHOLD = 90.0
MIN_NAME_LENGTH = 5
SKIPPED_KINDS = {"work_area", "referral"}
# Search scores (see bot/knowledge/retrieval.py), tuned on the held-out set
# in bench/: answer only a clear winner, suggest when something fits a bit.
ANSWER_SCORE = 8.0
ANSWER_MARGIN = 1.5
SUGGEST_SCORE = 5.0
SUGGEST_SHARE = 0.5
UNSURE_INTENT = "nlu_fallback"


def fallback_reply(kb: KnowledgeBase, text: str, model_unsure: bool, subject: Optional[str] = None) -> Reply:
    return found_reply(kb, text, model_unsure, subject) or not_answered(kb)


def found_reply(kb: KnowledgeBase, text: str, model_unsure: bool, subject: Optional[str] = None) -> Optional[Reply]:
    """An answer or suggestions from the answer data, if anything fits."""
    # A topic outside the plan names where to ask, whatever place or initiative the question names.
    referral = referral_for(kb, text)
    if referral is not None:
        return referral_reply(kb, referral)
    # "hvor tit samles de" after the board's answer is about the board.
    followed = follow_up(kb, text, subject)
    if followed is not None:
        return followed
    if not model_unsure:
        # The model is sure it is outside the plan: a place or initiative it
        # names must not turn it into that entry's description, unless staff
        # added the entry after training, which the model cannot know.
        added = kb.names.best(text, threshold=STRICT_THRESHOLD, min_alias_length=MIN_NAME_LENGTH,
                              kinds_filter=lambda i: kb.get(i).kind not in SKIPPED_KINDS
                              and not known_to_the_model(kb.get(i)))
        return _about(kb, kb.get(added), text) if added else None
    entry_id = kb.names.best(
        text,
        threshold=STRICT_THRESHOLD,
        min_alias_length=MIN_NAME_LENGTH,
        kinds_filter=lambda i: kb.get(i).kind not in SKIPPED_KINDS,
    )
    if entry_id and kb.get(entry_id).kind == "housing_area":
        # "må man have hund i Hastrupparken": where to ask, not suggestions.
        return area_reply(kb, kb.get(entry_id), text)
    if entry_id:
        return _about(kb, kb.get(entry_id), text)
    if model_unsure:
        hits = kb.search.search(text)
        if hits and hits[0].score >= ANSWER_SCORE and (
            len(hits) == 1 or hits[0].score >= ANSWER_MARGIN * hits[1].score
        ):
            return _about(kb, kb.get(hits[0].entry_id), text)
        if hits and hits[0].score >= SUGGEST_SCORE:
            ids = [h.entry_id for h in hits if h.score >= SUGGEST_SHARE * hits[0].score]
            return list_reply(kb, say("did_you_mean"), ids)
    return None


def _about(kb: KnowledgeBase, entry, text: str) -> Reply:
    """The entry's answer, or, when the question asks one thing about it ("koster
    kvindenetværket noget"), the answer for that thing."""
    attribute = asked_attribute(text)
    if attribute and (entry.kind not in ("contact", "housing_area") or attribute in PERSON_ATTRIBUTES):
        return attribute_reply(kb, entry, attribute)
    if beyond_what_it_does(entry, text, plan_words()):
        return not_known(kb, entry)
    return describe(kb, entry)


def not_answered(kb: KnowledgeBase) -> Reply:
    """Honest: it cannot help; whom to call; the main topics as buttons."""
    contact = kb.fallback_contact
    honest = "\n".join([say("out_of_scope"), say("out_of_scope_contact", name=contact.name, phone=contact.phone)])
    overview = kb.for_intent("ask_work_areas")
    return list_reply(kb, honest, overview.related if overview else [])


def not_answered_again(kb: KnowledgeBase) -> Reply:
    """The second time in a row: the contact's details, to talk to a person."""
    contact = kb.fallback_contact
    return Reply("\n".join([say("out_of_scope"), phrase("unanswered_twice", name=contact.name),
                             *contact_card(contact)]))


def unanswered_before(tracker: Tracker) -> bool:
    """The question just before this one went unanswered too."""
    return previous_action(tracker) == ACTION_FALLBACK and tracker.get_slot(SLOT_UNANSWERED) == UNANSWERED_ONCE


class ActionFallback(Action):
    def name(self) -> Text:
        return ACTION_FALLBACK

    @in_conversation_language
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        kb = answer_data_or_apology(dispatcher)
        if kb is None:
            return []
        message = tracker.latest_message or {}
        unsure = (message.get("intent") or {}).get("name") == UNSURE_INTENT
        found = found_reply(kb, message.get("text") or "", unsure, tracker.get_slot(SLOT_SUBJECT))
        if found:
            return send(dispatcher, found, kb) + [SlotSet(SLOT_UNANSWERED, None)]
        if unanswered_before(tracker):
            return send(dispatcher, not_answered_again(kb), kb) + [SlotSet(SLOT_UNANSWERED, UNANSWERED_TWICE)]
        return send(dispatcher, not_answered(kb), kb) + [SlotSet(SLOT_UNANSWERED, UNANSWERED_ONCE)]
