"""Answer data: schema, loading, search and reply composition.

Used by the action server (``actions/``) and, later, by the web app.
"""
from bot.knowledge.loader import KnowledgeError, Problem, load_directory
from bot.knowledge.model import KnowledgeBase
from bot.knowledge.schema import Entry
from bot.knowledge.store import KnowledgeStore, YamlKnowledgeStore

__all__ = [
    "Entry",
    "KnowledgeBase",
    "KnowledgeError",
    "KnowledgeStore",
    "Problem",
    "YamlKnowledgeStore",
    "load_directory",
]
