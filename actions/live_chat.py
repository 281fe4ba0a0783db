"""Writing with a staff member now (the live chat).

``action_offer_person`` is what a resident who wants a person gets after
the contact's number: in opening hours the choice "Skriv med en medarbejder
nu", outside them when it opens again; then the offer of a callback.
``action_live_chat`` (that choice) puts the conversation in the queue and
says its place; when the live chat is closed, it says when it opens, how to
call, and offers the callback. From then on the Rasa server relays: the
place in the queue, the staff member's messages, "stop" (bot.rasa_server).
"""
import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.language import SLOT_LANGUAGE, in_conversation_language
from actions.names import ACTION_LIVE_CHAT, ACTION_OFFER_PERSON, RESPONSE_OFFER_CALLBACK
from actions.store import NoAnswerData, get_live_chats, get_store
from bot.answer_store import StoreUnavailable
from bot.answer_store.live_chats import TAKEN
from bot.answer_store.times import now
from bot.config import LiveChatSettings
from bot.language.current import reply_language
from bot.language.texts import fixed
from bot.live_chat.hours import when
from bot.live_chat.phrases import LIVE_CHAT_PAYLOAD, callback_choices, say
from bot.live_chat.status import REACHABLE_CHANNELS, Availability, availability

logger = logging.getLogger(__name__)


def current_availability(tracker: Tracker) -> Optional[Availability]:
    """Whether the live chat is open for this resident; None when it cannot be offered here
    (a channel staff messages cannot reach, or the database cannot be read)."""
    if tracker.get_latest_input_channel() not in REACHABLE_CHANNELS:
        return None
    try:
        return availability(get_live_chats(), LiveChatSettings.once().hours)
    except StoreUnavailable:
        logger.error("The live chat's queue cannot be read; the live chat is not offered.")
        return None


def opens_again(state: Availability) -> Optional[str]:
    if state.next_opening is None:
        return None
    return when(state.next_opening, now(), reply_language())


def reach_person() -> Optional[str]:
    """"Vil du tale med et menneske, så ring til ..." with the fallback contact, in the resident's language."""
    try:
        contact = get_store().current().fallback_contact
    except NoAnswerData:
        return None
    return fixed("reach_person", reply_language(), name=contact.name, phone=contact.phone)


class ActionOfferPerson(Action):
    def name(self) -> Text:
        return ACTION_OFFER_PERSON

    @in_conversation_language
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        state = current_availability(tracker)
        if state is not None and state.open:
            # One message: the widget keeps only the newest message's buttons.
            dispatcher.utter_message(text=say("offer_live"), buttons=[
                {"title": say("offer_button"), "payload": LIVE_CHAT_PAYLOAD}, *callback_choices()])
            return []
        if state is not None and state.offered and opens_again(state):
            dispatcher.utter_message(text=say("opens_again", when=opens_again(state)))
        dispatcher.utter_message(response=RESPONSE_OFFER_CALLBACK)
        return []


class ActionLiveChat(Action):
    def name(self) -> Text:
        return ACTION_LIVE_CHAT

    @in_conversation_language
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        state = current_availability(tracker)
        if state is None or not state.open:
            self.closed(dispatcher, state)
            return []
        queue = get_live_chats()
        earlier = queue.open_for(tracker.sender_id)
        if earlier is not None and earlier.status == TAKEN:
            return []  # the staff member is writing; the Rasa server does not let this reach the assistant
        chat = earlier or queue.request(tracker.sender_id, tracker.get_latest_input_channel() or "",
                                        tracker.get_slot(SLOT_LANGUAGE) or reply_language())
        position = queue.position(chat.id) or 1
        dispatcher.utter_message(text=say("already_waiting" if earlier else "queued", position=position))
        return []

    @staticmethod
    def closed(dispatcher: CollectingDispatcher, state: Optional[Availability]) -> None:
        opening = opens_again(state) if state is not None and state.offered else None
        lines = [say("closed_now", when=opening) if opening else say("not_offered"), reach_person()]
        dispatcher.utter_message(text="\n".join(line for line in lines if line))
        dispatcher.utter_message(response=RESPONSE_OFFER_CALLBACK)
