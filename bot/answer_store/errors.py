"""What can go wrong with a change to the answer store, said in Danish."""
import datetime

from bot.answer_store.times import danish_time
from bot.errors import AssistantError


class NotFound(AssistantError, LookupError):
    status, code = 404, "findes_ikke"

    def __init__(self, entry_id: str):
        self.entry_id = entry_id
        super().__init__(f"Posten '{entry_id}' findes ikke.")


class EditConflict(AssistantError):
    """Someone else saved the entry after the editor opened it."""

    status, code = 409, "konflikt"

    def __init__(self, entry_id: str, version: int, changed_by: str, changed_at: datetime.datetime):
        self.entry_id, self.version, self.changed_by, self.changed_at = entry_id, version, changed_by, changed_at
        super().__init__(
            f"Posten er blevet ændret af {changed_by} ({danish_time(changed_at)}), mens du redigerede den. "
            "Dine ændringer er ikke gemt. Kopiér dem, åbn posten igen og skriv dem ind i den nye udgave."
        )


class StoreUnavailable(AssistantError):
    """The database cannot be reached: an outage, not bad data. The assistant tells residents so."""

    status, code = 503, "svardatabasen_utilgaengelig"
    message = "Svardatabasen kan ikke nås lige nu. Prøv igen om lidt."


class TranslationNotFound(AssistantError, LookupError):
    """The entry has no translation into the language asked for."""

    status, code = 404, "findes_ikke"

    def __init__(self, entry_id: str, language: str):
        self.entry_id, self.language = entry_id, language
        super().__init__(f"Posten '{entry_id}' har ingen oversættelse til sproget '{language}'.")
