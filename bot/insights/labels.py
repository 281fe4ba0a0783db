"""Danish names for what the conversation store records in English: the
intents the model recognises (as topics), the channels residents write on and
the languages they write in.

The one place these names live: the dashboard, the inbox and the API all take
them from here. An intent or channel not named here is shown by its own name,
so a new intent shows up at once and only needs a line here to read well.
"""
from typing import Dict, Optional

from bot.language.detect import DANISH, SUPPORTED, is_right_to_left
from bot.language.texts import DANISH_NAMES, danish_name, language_name

# Small talk: turns that are part of every conversation, not something asked
# about ("stop" leaves a form).
SMALL_TALK = frozenset({"greet", "goodbye", "thank", "affirm", "deny", "stop"})

# The model's "I did not understand" (FallbackClassifier): a failure, not a topic.
NOT_UNDERSTOOD = "nlu_fallback"

TOPIC_LABELS: Dict[str, str] = {
    "ask_plan": "Hvad helhedsplanen er",
    "ask_plan_period": "Planens periode",
    "ask_plan_admin": "Hvem der står bag planen",
    "ask_plan_funding": "Planens økonomi",
    "ask_housing_areas": "Boligområderne",
    "ask_work_areas": "Indsatsområderne",
    "ask_website": "Hjemmeside og mere at læse",
    "ask_initiative": "En bestemt indsats",
    "ask_job_help": "Job og uddannelse",
    "ask_family_support": "Støtte til familier",
    "ask_crime_prevention": "Kriminalitetsforebyggelse",
    "ask_community": "Fællesskab og aktiviteter",
    "ask_board": "Bestyrelsen",
    "ask_forum": "Boligsocialt forum",
    "ask_coordination": "Koordinationsgrupperne",
    "ask_contact": "Kontakt til en medarbejder",
    "ask_more": "Vil vide mere (opfølgning)",
    "human_handoff": "Vil tale med et menneske",
    "request_callback": "Vil ringes op",
    "help": "Hvad assistenten kan",
    "bot_challenge": "Om det er en robot",
    "emergency": "Nødsituation",
    "suicidal": "Selvmordstanker",
    "out_of_scope": "Andet end helhedsplanen",
}

CHANNEL_LABELS: Dict[str, str] = {
    "socketio": "Chat på hjemmesiden",
    "rest": "REST",
    "gatewayapi": "SMS (GatewayAPI)",
    "twilio": "SMS (Twilio)",
}
UNKNOWN_CHANNEL = "ukendt"

# The languages of bot.language.detect.SUPPORTED as staff call them. The
# language's name for itself (bot.language.texts.language_name) is shown beside it.
LANGUAGE_LABELS = DANISH_NAMES  # bot/language/texts.py


def is_topic(intent: str) -> bool:
    """Whether an intent counts as a topic residents ask about."""
    return bool(intent) and intent not in SMALL_TALK and intent != NOT_UNDERSTOOD


def topic_label(intent: str) -> str:
    return TOPIC_LABELS.get(intent, intent)


def channel_label(channel: str) -> str:
    if channel == UNKNOWN_CHANNEL:
        return "Ukendt kanal"
    return CHANNEL_LABELS.get(channel, channel)


def language_code(value: object) -> Optional[str]:
    """``value`` when it is one of the languages the assistant tells apart (``SUPPORTED``), else None."""
    return value if isinstance(value, str) and value in SUPPORTED else None


def language_label(language: str) -> str:
    """The Danish name of a language ("Arabisk"); an unknown code as it is."""
    return danish_name(language)


def language_own_name(language: str) -> Optional[str]:
    """The language's name for itself ("العربية"), or None for Danish and unknown codes."""
    if language == DANISH or language not in SUPPORTED:
        return None
    return language_name(language)


def text_direction(language: str) -> str:
    """The writing direction of a text in ``language``: "rtl" for Arabic, Farsi and Urdu, else "ltr"."""
    return "rtl" if is_right_to_left(language) else "ltr"
