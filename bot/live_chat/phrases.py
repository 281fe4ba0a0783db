"""The sentences of ``phrases.yml`` (and its translations): what a resident is told about the live chat."""
from pathlib import Path

from bot.phrases import Phrases

PHRASES = Phrases(Path(__file__).with_name("phrases.yml"))
say = PHRASES.say
# What the choices offered with these sentences ask the assistant (domain.yml's intents).
LIVE_CHAT_PAYLOAD, CALLBACK_PAYLOAD, NO_PAYLOAD = "/live_chat", "/request_callback", "/deny"


def callback_choices():
    """"Ja, ring mig op" and "Nej tak" as buttons, in the reply's language."""
    return [{"title": say("callback_yes"), "payload": CALLBACK_PAYLOAD},
            {"title": say("callback_no"), "payload": NO_PAYLOAD}]


def named(key: str, name: str = None, **values) -> str:
    """``key`` or, when a staff member chose to show their name, ``key_named`` with it."""
    return say(f"{key}_named", name=name, **values) if name else say(key, **values)
