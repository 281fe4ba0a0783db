"""An immutable, validated snapshot of all answer data with its indexes."""
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, List, Optional

from bot.errors import AssistantError
from bot.language.detect import DANISH
from bot.knowledge.retrieval import AnswerSearch
from bot.knowledge.schema import Entry
from bot.knowledge.search import NameIndex


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the answer data, located for the person fixing it."""

    file: str
    entry: Optional[str]
    field: Optional[str]
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.entry:
            where.append(f"post '{self.entry}'")
        if self.field:
            where.append(f"felt '{self.field}'")
        return f"{', '.join(where)}: {self.message}"


class KnowledgeError(AssistantError):
    """The answer data is invalid; ``problems`` says where and why."""

    status, code = 422, "ugyldige_svardata"

    def __init__(self, problems: List[Problem]):
        self.problems = problems
        super().__init__("Fejl i svardata:\n" + "\n".join(f"- {p}" for p in problems))


class KnowledgeBase:
    """All entries by id and by intent, plus a fuzzy name index."""

    def __init__(self, entries: Iterable[Entry], origin: Optional[Dict[str, str]] = None):
        self.entries: Dict[str, Entry] = {}
        origin = origin or {}
        problems: List[Problem] = []
        for entry in entries:
            if entry.id in self.entries:
                problems.append(
                    Problem(origin.get(entry.id, "?"), entry.id, "id", "Id'et bruges allerede af en anden post.")
                )
            self.entries[entry.id] = entry
        self.by_intent: Dict[str, Entry] = {}
        for entry in self.entries.values():
            where = origin.get(entry.id, "?")
            if entry.intent:
                if entry.intent in self.by_intent:
                    problems.append(
                        Problem(where, entry.id, "intent",
                                f"Spørgsmålstypen besvares allerede af '{self.by_intent[entry.intent].id}'.")
                    )
                self.by_intent[entry.intent] = entry
            problems.extend(self._reference_problems(entry, where))
        fallbacks = [e for e in self.entries.values() if e.fallback_contact]
        if len(fallbacks) != 1:
            problems.append(
                Problem("contacts", None, "fallback_contact",
                        f"Der skal være præcis én standardkontakt (fallback_contact: true), der er {len(fallbacks)}.")
            )
        if len(fallbacks) == 1 and not fallbacks[0].phone:
            # Replies that send residents on ("ring til ...") rely on it.
            problems.append(
                Problem(origin.get(fallbacks[0].id, "?"), fallbacks[0].id, "phone",
                        "Standardkontakten skal have et telefonnummer.")
            )
        if problems:
            raise KnowledgeError(problems)
        self.fallback_contact: Entry = fallbacks[0]
        self.untranslated: FrozenSet[str] = frozenset()  # in in_language()'s views
        self.names = NameIndex(self.entries.values())
        self.search = AnswerSearch(self.entries.values())

    def _reference_problems(self, entry: Entry, where: str) -> List[Problem]:
        problems = []
        if entry.contact:
            target = self.entries.get(entry.contact)
            if target is None or target.kind != "contact":
                problems.append(Problem(where, entry.id, "contact", f"Kontakten '{entry.contact}' findes ikke."))
        for field in ("related", "work_areas"):
            for ref in getattr(entry, field):
                if ref not in self.entries:
                    problems.append(Problem(where, entry.id, field, f"Posten '{ref}' findes ikke."))
        if entry.kind == "contact" and not entry.has_contact_details():
            problems.append(
                Problem(where, entry.id, "phone", "En kontakt skal have telefon, e-mail eller adresse.")
            )
        return problems

    def in_language(self, language: str) -> "KnowledgeBase":
        """The same answer data with each entry's current translation into
        ``language`` (an entry without one stays Danish; ``untranslated`` names
        them). Names and search stay the Danish ones: they find entry ids."""
        views = self.__dict__.setdefault("_views", {})
        if language == DANISH:
            return self
        if language not in views:
            view = object.__new__(KnowledgeBase)
            view.__dict__.update(self.__dict__)
            view.entries = {i: e.in_language(language) for i, e in self.entries.items()}
            view.by_intent = {intent: view.entries[e.id] for intent, e in self.by_intent.items()}
            view.fallback_contact = view.entries[self.fallback_contact.id]
            view.untranslated = frozenset(i for i, e in self.entries.items() if not e.translation_is_current(language))
            view._views = {}
            views[language] = view
        return views[language]

    def get(self, entry_id: Optional[str]) -> Optional[Entry]:
        return self.entries.get(entry_id) if entry_id else None

    def for_intent(self, intent: Optional[str]) -> Optional[Entry]:
        return self.by_intent.get(intent) if intent else None

    def of_kind(self, kind: str) -> List[Entry]:
        return [e for e in self.entries.values() if e.kind == kind]

    def contact_for(self, entry: Entry) -> Optional[Entry]:
        """The contact the page names for an entry, if any (a contact is its own)."""
        if entry.kind == "contact":
            return entry
        return self.get(entry.contact)
