"""The language of each message, for the conversation's ``language`` slot.

``bot.language.detect`` reads the message (a short crisis message it cannot
place, by the language of its danger words: ``bot.nlp.danger_words``); when
it can tell, the message gets
a ``language`` entity, which domain.yml maps to the slot, so the reply follows
the resident's language and switches when they switch. When it cannot tell
("ok", "112", a button's payload) the conversation keeps its language. A
language chosen by button (``/choose_language{"language": "en"}``) comes as
the same entity.

Installed by ``bot.rasa_server.install()`` around ``MessageProcessor.parse_message``
(outside ``safety_mode``'s): it needs only the text, but runs after the NLU
pipeline, so the model's own evaluation never sees the entity.
"""
from typing import Any, Dict, Optional

from rasa.core.channels import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.trackers import DialogueStateTracker

from bot.language.detect import detect
from bot.nlp import danger_words

ENTITY_LANGUAGE = "language"  # domain.yml
BUTTON_PAYLOAD = "/"


def with_language(parse_data: Dict[str, Any]) -> Dict[str, Any]:
    """``parse_data`` with the message's language as an entity, where it can be told (in place)."""
    text = parse_data.get("text") or ""
    entities = parse_data.get("entities") or []
    if text.startswith(BUTTON_PAYLOAD) or any(e.get("entity") == ENTITY_LANGUAGE for e in entities):
        return parse_data
    language = detect(text) or danger_words.language(text)
    if language is not None:
        parse_data["entities"] = [*entities, {"entity": ENTITY_LANGUAGE, "value": language, "start": 0,
                                              "end": len(text), "extractor": "LanguageDetector"}]
    return parse_data


_parse = None


async def _parse_with_language(self: MessageProcessor, message: UserMessage,
                               tracker: Optional[DialogueStateTracker] = None,
                               only_output_properties: bool = True) -> Dict[str, Any]:
    parse_data = await _parse(self, message, tracker, only_output_properties)
    # Without a conversation (``/model/parse``) there is no slot to set.
    return with_language(parse_data) if tracker is not None else parse_data


def install() -> None:
    """Tell each message's language after parsing it. Idempotent."""
    global _parse
    if _parse is None:
        _parse = MessageProcessor.parse_message
        MessageProcessor.parse_message = _parse_with_language
