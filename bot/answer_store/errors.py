"""What can go wrong with a change to the answer store, said in Danish."""
import datetime

from bot.answer_store.times import danish_time
from bot.knowledge.model import KnowledgeError, Problem


class NotFound(LookupError):
    def __init__(self, entry_id: str):
        self.entry_id = entry_id
        super().__init__(f"Posten '{entry_id}' findes ikke.")


class EditConflict(Exception):
    """Someone else saved the entry after the editor opened it."""

    def __init__(self, entry_id: str, version: int, changed_by: str, changed_at: datetime.datetime):
        self.entry_id, self.version, self.changed_by, self.changed_at = entry_id, version, changed_by, changed_at
        super().__init__(
            f"Posten er blevet ændret af {changed_by} ({danish_time(changed_at)}), mens du redigerede den. "
            "Dine ændringer er ikke gemt. Kopiér dem, åbn posten igen og skriv dem ind i den nye udgave."
        )


class StoreUnavailable(KnowledgeError):
    """The database cannot be reached; the assistant tells residents so."""

    def __init__(self):
        super().__init__([Problem("svardatabasen", None, None, "Svardatabasen kan ikke nås lige nu.")])
