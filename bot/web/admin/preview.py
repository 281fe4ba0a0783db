"""How the assistant would answer about an entry, before it is saved."""
from typing import List, Optional

from bot.answer_store import EntryStore
from bot.answer_store.entries import validate
from bot.knowledge.answers import Reply, describe


def preview_reply(entries: EntryStore, data: dict, entry_id: Optional[str] = None) -> Reply:
    """The reply a resident asking about the entry would get with ``data`` saved.

    Raises ``KnowledgeError`` (Danish problems) when ``data`` could not be saved.
    """
    knowledge = entries.preview_knowledge(data, entry_id)
    # The validated id: the raw one may carry spaces or be a number (" ab ", 12).
    return describe(knowledge, knowledge.get(validate(data, entry_id).id))


def button_titles(reply: Reply) -> List[str]:
    return [button.title for button in reply.buttons]
