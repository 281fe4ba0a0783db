"""How the assistant would answer about an entry, before it is saved ("Vis svaret"),
for the admin's pages and its API alike."""
from dataclasses import dataclass
from typing import List, Optional

from bot.answer_store import EntryStore
from bot.answer_store.entries import validate
from bot.knowledge.answers import describe


@dataclass(frozen=True)
class Preview:
    text: str
    buttons: List[str]
    more: Optional[str]  # the "fortæl mere" answer, when it says more than the first


def preview_reply(entries: EntryStore, data: dict, entry_id: Optional[str] = None) -> Preview:
    """The reply a resident asking about the entry would get with ``data`` saved; nothing is saved.

    Raises ``KnowledgeError`` (Danish problems) when ``data`` could not be saved.
    """
    knowledge = entries.preview_knowledge(data, entry_id)
    # The validated id: the raw one may carry spaces or be a number (" ab ", 12).
    entry = knowledge.get(validate(data, entry_id).id)
    first, more = describe(knowledge, entry), describe(knowledge, entry, more=True)
    return Preview(first.text, [button.title for button in first.buttons],
                   more.text if more.text != first.text else None)
