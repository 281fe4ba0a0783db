"""Slot, entity, intent, form and action names shared by the actions (one place each)."""
SLOT_SUBJECT = "subject"
SLOT_SUBJECT_LIST = "subject_list"
# Questions in a row the assistant could not answer: "once", then "twice" (a callback is offered).
SLOT_UNANSWERED = "unanswered"
UNANSWERED_ONCE = "once"
UNANSWERED_TWICE = "twice"

# Entity types whose values name an answer-data entry.
THING_ENTITIES = ("entry", "initiative", "organisation", "housing_area", "topic")
ENTITY_ORDINAL = "ordinal"
ENTITY_CONTACT_ATTRIBUTE = "contact_attribute"

ACTION_ANSWER = "action_answer"
ACTION_FALLBACK = "action_fallback"
ACTION_LISTEN = "action_listen"

# The callback form: first name, phone number, topic, consent (in that order).
FORM_CALLBACK = "callback_form"
SLOT_REQUESTED = "requested_slot"
SLOT_CALLBACK_NAME = "callback_name"
SLOT_CALLBACK_PHONE = "callback_phone"
SLOT_CALLBACK_TOPIC = "callback_topic"
SLOT_CALLBACK_CONSENT = "callback_consent"
CALLBACK_SLOTS = (SLOT_CALLBACK_NAME, SLOT_CALLBACK_PHONE, SLOT_CALLBACK_TOPIC, SLOT_CALLBACK_CONSENT)
VALIDATE_CALLBACK_FORM = "validate_callback_form"
ACTION_ASK_CALLBACK_NAME = "action_ask_callback_name"
ACTION_ASK_CALLBACK_PHONE = "action_ask_callback_phone"
ACTION_ASK_CALLBACK_TOPIC = "action_ask_callback_topic"
ACTION_ASK_CALLBACK_CONSENT = "action_ask_callback_consent"
ACTION_SUBMIT_CALLBACK = "action_submit_callback"
ACTION_CANCEL_CALLBACK = "action_cancel_callback"
ACTION_CLEAR_CALLBACK = "action_clear_callback"

INTENT_AFFIRM = "affirm"
INTENT_DENY = "deny"
INTENT_STOP = "stop"
INTENT_GOODBYE = "goodbye"
INTENT_EMERGENCY = "emergency"
INTENT_SUICIDAL = "suicidal"
INTENT_REQUEST_CALLBACK = "request_callback"

# Writing with a staff member now (actions/live_chat.py): offered beside the callback.
ACTION_OFFER_PERSON = "action_offer_person"
ACTION_LIVE_CHAT = "action_live_chat"
RESPONSE_OFFER_CALLBACK = "utter_offer_callback"
