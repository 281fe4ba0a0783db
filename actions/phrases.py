"""The Danish sentences of ``phrases.yml`` (the callback form, and what is said
after a second unanswered question)."""
from pathlib import Path

from bot.phrases import Phrases

PHRASES = Phrases(Path(__file__).with_name("phrases.yml"))
phrase = PHRASES.say
