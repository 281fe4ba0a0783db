"""Answer data: schema, loading, search and reply composition.

Used by the action server (``actions/``) and by the staff admin (preview).
"""
from bot.knowledge.loader import KnowledgeError, Problem, load_directory
from bot.knowledge.model import KnowledgeBase
from bot.knowledge.schema import Entry
from bot.knowledge.store import KnowledgeStore, StaticKnowledgeStore

__all__ = [
    "Entry",
    "KnowledgeBase",
    "KnowledgeError",
    "KnowledgeStore",
    "Problem",
    "StaticKnowledgeStore",
    "load_directory",
]
