"""domain.yml's responses in the resident's language.

Rasa picks a response's variant as always (the danger variants by the
``danger`` slot), in Danish; this hands back its translation for the
conversation's ``language`` slot (``bot.language.texts``). The danger answers
ship in every language the assistant knows, so they reach the resident in
their language even when the action server is down.

Installed by ``bot.rasa_server.install()`` around
``TemplatedNaturalLanguageGenerator.generate_from_slots``, the one place
Rasa 3.6 turns a response name into a message (whatever the endpoints file says).
"""
from typing import Any, Dict, Optional, Text

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator

from bot.language.detect import DANISH
from bot.language.texts import translated_response
from bot.rasa_server.public_contacts import fallback_contact

SLOT_LANGUAGE = "language"  # domain.yml

_generate_in_danish = None


def _generate_translated(self: TemplatedNaturalLanguageGenerator, utter_action: Text,
                         filled_slots: Dict[Text, Any], output_channel: Text,
                         **kwargs: Any) -> Optional[Dict[Text, Any]]:
    response = _generate_in_danish(self, utter_action, filled_slots, output_channel, **kwargs)
    language = (filled_slots or {}).get(SLOT_LANGUAGE)
    if response is None or language in (None, DANISH):
        return response
    name, phone = fallback_contact()
    return translated_response(utter_action, response, language, name, phone)


def install() -> None:
    """Translate every response Rasa generates. Idempotent."""
    global _generate_in_danish
    if _generate_in_danish is None:
        _generate_in_danish = TemplatedNaturalLanguageGenerator.generate_from_slots
        TemplatedNaturalLanguageGenerator.generate_from_slots = _generate_translated
