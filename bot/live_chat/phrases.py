"""The sentences of ``phrases.yml`` (and its translations): what a resident is told about the live chat."""
from pathlib import Path

from bot.phrases import Phrases

PHRASES = Phrases(Path(__file__).with_name("phrases.yml"))
say = PHRASES.say


def named(key: str, name: str = None, **values) -> str:
    """``key`` or, when a staff member chose to show their name, ``key_named`` with it."""
    return say(f"{key}_named", name=name, **values) if name else say(key, **values)
