"""The callback form: a resident asks to be called back by a person.

``callback_form`` (domain.yml) asks for the first name, the phone number, the
topic in a few words, and consent to keep them. ``ValidateCallbackForm``
reads each answer (custom slot mappings: every slot is filled here, from the
message that answers the question just asked), checks it, and re-asks in
Danish when it cannot be used. The resident can stop at any step ("stop",
"glem det", "nej tak": the form is rejected and a rule ends it), and can
correct the phone number at a later step by writing the right one or saying
it is wrong. Nothing is stored before the resident says yes; then
``ActionSubmitCallback`` keeps the request in the answer store (not in the
conversation) and clears the form's slots.

While the form is active, the entrance lets phone numbers through
(``bot.rasa_server.entrance.CONTACT_DETAIL_FORMS``); once it is over, the
conversation store removes them from the stored conversation.
"""
import logging
import re
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Text

import sqlalchemy as sa
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.language import in_conversation_language
from actions.names import (
    ACTION_ASK_CALLBACK_CONSENT,
    ACTION_ASK_CALLBACK_NAME,
    ACTION_ASK_CALLBACK_PHONE,
    ACTION_ASK_CALLBACK_TOPIC,
    ACTION_CANCEL_CALLBACK,
    ACTION_CLEAR_CALLBACK,
    ACTION_SUBMIT_CALLBACK,
    CALLBACK_SLOTS,
    FORM_CALLBACK,
    INTENT_AFFIRM,
    INTENT_DENY,
    INTENT_EMERGENCY,
    INTENT_GOODBYE,
    INTENT_STOP,
    INTENT_SUICIDAL,
    SLOT_CALLBACK_CONSENT,
    SLOT_CALLBACK_NAME,
    SLOT_CALLBACK_PHONE,
    SLOT_CALLBACK_TOPIC,
    SLOT_REQUESTED,
    VALIDATE_CALLBACK_FORM,
)
from actions.messages import previous_action
from actions.phrases import phrase
from actions.store import NoAnswerData, get_callbacks, get_store
from bot.answer_store.callbacks import MAX_TOPIC, spaced_phone
from bot.config import PrivacySettings
from bot.privacy import logs
from bot.privacy.redaction import phone_numbers

logger = logging.getLogger(__name__)
# The action server's log lines are scrubbed of phone numbers like the Rasa server's.
logs.configure()

# Intents that end the form (a rule then says so), and emergencies, which come first.
LEAVING = {INTENT_STOP, INTENT_DENY, INTENT_GOODBYE}
URGENT = {INTENT_EMERGENCY, INTENT_SUICIDAL}
MAX_NAME_LENGTH = 40
# "jeg hedder Mette", "hej, det er Mette": the name is what follows.
_NAME_PREFIX = re.compile(
    r"^(?:(?:hej|hejsa|hey|hi)\b[\s,!.]*)?(?:(?:jeg|ja) hed(?:d)?er|mit (?:for)?navn er|(?:for)?navnet er|"
    r"det er|jeg er|du kan kalde mig|kald mig)?\s*",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# Words of a sentence, not of a name: "hvad er det", "ja tak", "ved ikke".
NOT_NAME_WORDS = {
    "hvad", "hvem", "hvor", "hvorfor", "hvordan", "hvornår", "hvilken", "hvilke", "er", "jeg", "du", "det", "den",
    "og", "at", "en", "et", "til", "med", "om", "ikke", "vil", "kan", "har", "mig", "min", "mit", "skal", "ja",
    "nej", "tak", "ok", "okay", "hej", "jo", "jep", "gerne", "ved", "navn", "fornavn", "nummer", "telefon",
    "stop", "stopp", "afbryd", "annuller", "annuler", "fortryd", "farvel", "glem", "drop", "slut", "afslut",
}
# Words that end the form, as residents write them. The model's intent alone is
# not enough: a name or a topic can look like "stop" or "nej" to it.
_LEAVING_WORDS = re.compile(
    r"\b(?:stop+\w*|afbr[yu]d\w*|annull?[eé]r\w*|fortr[yu]d\w*|glem\w*|drop\w*|nej\w*|n[æa]h?|nope|no|nix|farvel|"
    r"bye|afslut\w*|slut|cancel|quit|hold op|lad v(?:æ|ae)re|ikke alligevel|ikke nu|ellers tak|gider ikke)\b",
    re.IGNORECASE,
)
# The resident says the number is wrong: "nej, nummeret er forkert", "forkert nr", "ret mit tlf".
_ABOUT_THE_NUMBER = re.compile(r"\b(?:num+[ae]r\w*|nr|tlf\w*|telefon\w*|mobil\w*)\b", re.IGNORECASE)
_WRONG = re.compile(r"\b(?:forke?rt|forket|fejl\w*|ret|rette|ændre|aendre|skrev)\b", re.IGNORECASE)
MAX_CORRECTION_WORDS = 8


def retention_days() -> str:
    return f"{PrivacySettings.once().retention_days:g}"


# --- reading the answers -------------------------------------------------------------


def danish_phone(text: str) -> Optional[str]:
    """The first Danish phone number in ``text`` as 8 digits ("+45 22 33 44 55" -> "22334455"), else None.

    Only what redaction recognises as a phone number counts, so the number the
    form keeps can always be removed from the stored conversation again."""
    for written in phone_numbers(text):
        digits = re.sub(r"\D", "", written)
        if written.startswith(("+", "00")):
            if digits.startswith("0045"):
                digits = digits[4:]
            elif digits.startswith("45"):
                digits = digits[2:]
            else:
                continue  # a foreign number
        if len(digits) == 8 and digits[0] in "23456789":
            return digits
    return None


def first_name(text: str) -> Optional[str]:
    """The name in "Mette", "jeg hedder mette", "Anne-Marie"; None for what is not a name."""
    name = _NAME_PREFIX.sub("", (text or "").strip()).strip(" .,!")
    words = name.split()
    if not 1 <= len(words) <= 3 or len(name) > MAX_NAME_LENGTH:
        return None
    if not all(_NAME_WORD.fullmatch(word) for word in words):
        return None
    if any(word.lower() in NOT_NAME_WORDS for word in words):
        return None
    return re.sub(r"(^|[\s'’-])(\w)", lambda m: m.group(1) + m.group(2).upper(), " ".join(words))


def only_a_phone_number(text: str) -> bool:
    """The message is a phone number and nothing more ("22 33 44 55", "+45 22334455.")."""
    numbers = phone_numbers(text)
    return len(numbers) == 1 and not re.sub(r"[\W_]", "", text.replace(numbers[0], ""))


def answering_the_form(tracker: Tracker) -> bool:
    """The latest message answers a question the form asked: the form was the
    last thing to run before it. At the form's start it is not (and anything
    left in the slots from before is not taken over)."""
    return previous_action(tracker) == FORM_CALLBACK


def _intent(tracker: Tracker) -> str:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name") or ""


def _text(tracker: Tracker) -> str:
    return ((tracker.latest_message or {}).get("text") or "").strip()


def leaving(intent: str, text: str) -> bool:
    """The resident wants to stop: an emergency, or the model heard "stop", "nej"
    or "farvel" and the words say so too."""
    return intent in URGENT or intent in LEAVING and bool(_LEAVING_WORDS.search(text))


def says_the_number_is_wrong(text: str) -> bool:
    """ "nej, nummeret er forkert", "forkert nr", "jeg skrev forkert nummer" """
    return bool(_ABOUT_THE_NUMBER.search(text) and _WRONG.search(text)) and len(text.split()) <= MAX_CORRECTION_WORDS


def read_answer(tracker: Tracker) -> Dict[Text, Any]:
    """What the latest message fills in, by slot. Empty when it fills nothing:
    the form is then rejected, and the rules for leaving it apply."""
    if not answering_the_form(tracker):
        return {}
    asked, intent, text = tracker.get_slot(SLOT_REQUESTED), _intent(tracker), _text(tracker)
    if intent in URGENT:
        return {}
    phone = danish_phone(text)
    if asked in (SLOT_CALLBACK_TOPIC, SLOT_CALLBACK_CONSENT):
        # A new number, or "the number is wrong": the number is corrected, then the form goes on.
        if phone and (asked == SLOT_CALLBACK_CONSENT or only_a_phone_number(text)):
            return {SLOT_CALLBACK_PHONE: text, SLOT_CALLBACK_CONSENT: None}
        if says_the_number_is_wrong(text) or (asked == SLOT_CALLBACK_CONSENT and intent != INTENT_AFFIRM
                                              and _ABOUT_THE_NUMBER.search(text)):
            return {SLOT_CALLBACK_PHONE: None, SLOT_CALLBACK_CONSENT: None}
    if asked == SLOT_CALLBACK_CONSENT:
        if intent == INTENT_AFFIRM:
            return {SLOT_CALLBACK_CONSENT: True}
        if intent == INTENT_DENY:
            return {SLOT_CALLBACK_CONSENT: False}
        if leaving(intent, text):
            return {}
        return {SLOT_CALLBACK_CONSENT: None}  # neither yes nor no: asked again
    if leaving(intent, text) and not phone:
        return {}
    if asked in (SLOT_CALLBACK_NAME, SLOT_CALLBACK_PHONE, SLOT_CALLBACK_TOPIC):
        return {asked: text}
    return {}


# --- the form ------------------------------------------------------------------------


class ValidateCallbackForm(FormValidationAction):
    def name(self) -> Text:
        return VALIDATE_CALLBACK_FORM

    @in_conversation_language
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List:
        return await super().run(dispatcher, tracker, domain)

    # Extraction: each slot takes its part of what the message answers.

    def _extract(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
        answer = read_answer(tracker)
        if slot not in answer:
            return {}
        if slot == SLOT_CALLBACK_PHONE and answer[slot] is None:
            dispatcher.utter_message(text=phrase("fix_phone"))
        if answer == {SLOT_CALLBACK_CONSENT: None}:
            dispatcher.utter_message(text=phrase("unclear_consent"))
        return {slot: answer[slot]}

    async def extract_callback_name(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract(SLOT_CALLBACK_NAME, dispatcher, tracker)

    async def extract_callback_phone(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract(SLOT_CALLBACK_PHONE, dispatcher, tracker)

    async def extract_callback_topic(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract(SLOT_CALLBACK_TOPIC, dispatcher, tracker)

    async def extract_callback_consent(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._extract(SLOT_CALLBACK_CONSENT, dispatcher, tracker)

    # Validation: a value from before the form started is never taken over.

    def validate_callback_name(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if value is None or not answering_the_form(tracker):
            return {SLOT_CALLBACK_NAME: None}
        name = first_name(str(value))
        if name is None:
            dispatcher.utter_message(text=phrase("invalid_name"))
        return {SLOT_CALLBACK_NAME: name}

    def validate_callback_phone(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if value is None or not answering_the_form(tracker):
            return {SLOT_CALLBACK_PHONE: None}
        phone = danish_phone(str(value))
        if phone is None:
            dispatcher.utter_message(text=phrase("invalid_phone"))
        elif tracker.get_slot(SLOT_REQUESTED) != SLOT_CALLBACK_PHONE:
            dispatcher.utter_message(text=phrase("phone_replaced", phone=spaced_phone(phone)))
        return {SLOT_CALLBACK_PHONE: phone}

    def validate_callback_topic(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if value is None or not answering_the_form(tracker):
            return {SLOT_CALLBACK_TOPIC: None}
        topic = " ".join(str(value).split())
        if len(topic) > MAX_TOPIC:
            dispatcher.utter_message(text=phrase("topic_too_long", limit=MAX_TOPIC))
            return {SLOT_CALLBACK_TOPIC: None}
        if len(topic) < 2 or not re.search(r"[^\W_]", topic):
            dispatcher.utter_message(text=phrase("invalid_topic"))
            return {SLOT_CALLBACK_TOPIC: None}
        return {SLOT_CALLBACK_TOPIC: topic}

    def validate_callback_consent(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if not answering_the_form(tracker) or not isinstance(value, bool):
            return {SLOT_CALLBACK_CONSENT: None}
        return {SLOT_CALLBACK_CONSENT: value}


class _AskForCallbackSlot(Action, ABC):
    """Asks the form's question for ``SLOT``: "again" when the resident's
    answer to the very same question could not be used."""

    SLOT = ""

    @abstractmethod
    def name(self) -> Text:
        """The action's name."""

    def asking_again(self, tracker: Tracker) -> bool:
        return answering_the_form(tracker) and tracker.get_slot(SLOT_REQUESTED) == self.SLOT

    @in_conversation_language
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List:
        dispatcher.utter_message(text=self.question(tracker, self.asking_again(tracker)))
        return []

    def question(self, tracker: Tracker, again: bool) -> str:
        """The question, in Danish."""
        return ""


class ActionAskCallbackName(_AskForCallbackSlot):
    SLOT = SLOT_CALLBACK_NAME

    def name(self) -> Text:
        return ACTION_ASK_CALLBACK_NAME

    def question(self, tracker: Tracker, again: bool) -> str:
        return phrase("ask_name_again" if again else "ask_name")


class ActionAskCallbackPhone(_AskForCallbackSlot):
    SLOT = SLOT_CALLBACK_PHONE

    def name(self) -> Text:
        return ACTION_ASK_CALLBACK_PHONE

    def question(self, tracker: Tracker, again: bool) -> str:
        name = tracker.get_slot(SLOT_CALLBACK_NAME)
        if again or not name or tracker.get_slot(SLOT_REQUESTED) != SLOT_CALLBACK_NAME:
            return phrase("ask_phone_again")
        return phrase("ask_phone", name=name)


class ActionAskCallbackTopic(_AskForCallbackSlot):
    SLOT = SLOT_CALLBACK_TOPIC

    def name(self) -> Text:
        return ACTION_ASK_CALLBACK_TOPIC

    def question(self, tracker: Tracker, again: bool) -> str:
        return phrase("ask_topic_again" if again else "ask_topic")


class ActionAskCallbackConsent(_AskForCallbackSlot):
    SLOT = SLOT_CALLBACK_CONSENT

    def name(self) -> Text:
        return ACTION_ASK_CALLBACK_CONSENT

    @in_conversation_language
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List:
        text = phrase("ask_consent", days=retention_days(), name=tracker.get_slot(SLOT_CALLBACK_NAME),
                      phone=spaced_phone(tracker.get_slot(SLOT_CALLBACK_PHONE) or ""),
                      topic=tracker.get_slot(SLOT_CALLBACK_TOPIC))
        dispatcher.utter_message(text=text, buttons=[
            {"title": phrase("consent_yes"), "payload": f"/{INTENT_AFFIRM}"},
            {"title": phrase("consent_no"), "payload": f"/{INTENT_DENY}"},
        ])
        return []


# --- how it ends -----------------------------------------------------------------------


def cleared() -> List[Dict[Text, Any]]:
    """The form's slots emptied, so name and number do not stay in the conversation."""
    return [SlotSet(slot, None) for slot in CALLBACK_SLOTS]


def _call_yourself() -> List[str]:
    try:
        contact = get_store().current().fallback_contact
    except NoAnswerData:
        return []
    return [phrase("call_yourself", name=contact.name, phone=contact.phone)] if contact.phone else []


class ActionSubmitCallback(Action):
    """Keeps the request when the resident said yes; says what happened; empties the slots."""

    def name(self) -> Text:
        return ACTION_SUBMIT_CALLBACK

    @in_conversation_language
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List:
        name, phone, topic = (tracker.get_slot(slot) for slot in CALLBACK_SLOTS[:3])
        if tracker.get_slot(SLOT_CALLBACK_CONSENT) is not True or not (name and phone and topic):
            dispatcher.utter_message(text="\n".join([phrase("no_consent"), *_call_yourself()]))
            return cleared()
        try:
            get_callbacks().add(name, phone, topic, tracker.get_latest_input_channel() or "")
        except (sa.exc.SQLAlchemyError, *NoAnswerData) as error:
            # The class only: the error's text would hold the name and number.
            logger.error("A callback request could not be saved: %s", error.__class__.__name__)
            dispatcher.utter_message(text=phrase("not_saved"))
            return cleared()
        dispatcher.utter_message(text=phrase("confirmed", name=name, phone=spaced_phone(phone),
                                             days=retention_days()))
        return cleared()


class ActionCancelCallback(Action):
    """The resident stopped the form: nothing is kept."""

    def name(self) -> Text:
        return ACTION_CANCEL_CALLBACK

    @in_conversation_language
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List:
        dispatcher.utter_message(text=phrase("cancelled"))
        return cleared()


class ActionClearCallback(Action):
    """Empties the form's slots without a word (after an emergency interrupted the form)."""

    def name(self) -> Text:
        return ACTION_CLEAR_CALLBACK

    @in_conversation_language
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List:
        return cleared()
