""""Samtalen indtil nu": what the resident and the assistant wrote before a
staff member took the chat (while waiting the resident may go on with the
assistant), read from Rasa's conversation store (the chat's ``sender_id`` is
the conversation's id). What the resident writes after that goes into the
conversation too, but staff read it among the chat's own messages.

Redacted on the way out as the inbox redacts questions
(``bot.insights.grouping.redact_question``: CPR, card and phone numbers,
e-mail addresses, introduced names); the assistant's replies lose CPR, card
and phone numbers and e-mail addresses too (a callback summary repeats the
resident's number), except the municipality's own from the answer data.
A button the resident pressed is shown by its title, not its payload.
"""
import datetime
from dataclasses import dataclass
from typing import Iterable, List, Optional

from bot.insights.grouping import redact_question
from bot.insights.queries import ConversationEvents
from bot.privacy.redaction import redact
from bot.web.admin.live_view import clock

RESIDENT, ASSISTANT = "resident", "assistant"
# Enough to see what the resident asked about; older turns are left out.
MAX_TURNS = 40


@dataclass(frozen=True)
class Turn:
    author: str  # RESIDENT or ASSISTANT
    text: str
    at: datetime.datetime

    def json(self) -> dict:
        return {"from": self.author, "text": self.text, "at": self.at.isoformat()}

    def view(self) -> dict:
        return {**self.json(), "clock": clock(self.at)}


def _button_title(payload: str, buttons: list) -> Optional[str]:
    for button in buttons:
        if isinstance(button, dict) and button.get("payload") == payload and isinstance(button.get("title"), str):
            return button["title"]
    return None


def _turns(messages: Iterable, public: Iterable[str]) -> List[Turn]:
    turns, buttons = [], []
    for type_name, timestamp, event in messages:
        text = event.get("text")
        at = datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc)
        if not isinstance(text, str) or not text.strip():
            continue
        if type_name == "bot":
            data = event.get("data") if isinstance(event.get("data"), dict) else {}
            buttons = data.get("buttons") if isinstance(data.get("buttons"), list) else []
            turns.append(Turn(ASSISTANT, redact(text, public=public).text, at))
        elif text.startswith("/"):
            title = _button_title(text, buttons)
            turns.append(Turn(RESIDENT, f"Trykkede på »{title}«" if title else "Trykkede på en knap", at))
        else:
            turns.append(Turn(RESIDENT, redact_question(text), at))
    return turns


def conversation_so_far(conversations: ConversationEvents, sender_id: str, public: Iterable[str],
                        before: Optional[datetime.datetime] = None) -> List[Turn]:
    """The newest ``MAX_TURNS`` messages of the conversation (before ``before``), oldest first.
    ``public``: the answer data's phone numbers and e-mail addresses.
    Raises ConversationsUnavailable when the conversation store cannot be read."""
    # The insights' reader: no file before the first conversation, and one error when the store is down.
    messages = conversations.messages(sender_id, MAX_TURNS, before.timestamp() if before is not None else None)
    return _turns(messages, frozenset(public))
