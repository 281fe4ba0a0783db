"""Where the action server gets the current answer data from.

In service that is the answer store's database
(``bot.answer_store.DatabaseKnowledgeStore``); tests and benchmarks can hand
in a fixed knowledge base instead.
"""
from typing import Protocol

from bot.knowledge.model import KnowledgeBase


class KnowledgeStore(Protocol):
    def current(self) -> KnowledgeBase:
        """The newest valid answer data."""


class StaticKnowledgeStore:
    """A fixed knowledge base (tests, benchmarks)."""

    def __init__(self, knowledge: KnowledgeBase):
        self._knowledge = knowledge

    def current(self) -> KnowledgeBase:
        return self._knowledge
