"""How staff read the live chat: the chat and its messages as JSON, and the
Danish lines the pages, the API and the streams share (channels, languages,
waiting times, what the resident was told, where a chat stands)."""
import datetime
from typing import Optional

from bot.answer_store import LiveChat
from bot.answer_store.live_chats import (
    BY_RESIDENT, BY_STAFF, ENDED, ENDED_NOTICE, LEFT_NOTICE, NOTICE, RELEASED_NOTICE, RESIDENT, STAFF, TAKEN,
    TAKEN_NOTICE, WAITED_TOO_LONG, WAITING, LiveMessage,
)
from bot.answer_store.times import LOCAL_TIME, danish_today, now
from bot.language.texts import danish_name
from bot.live_chat.hours import when
from bot.live_chat.status import Availability

# Where the resident writes, as staff call it.
CHANNEL_NAMES = {"socketio": "Chat på hjemmesiden", "gatewayapi": "SMS", "twilio": "SMS"}
OTHER_CHANNEL = "Chat (REST)"

# The notices the resident got, as a line for staff (keys of bot/live_chat/phrases.yml).
NOTICE_LINES = {
    TAKEN_NOTICE: "Borgeren fik besked: en medarbejder skriver nu.",
    ENDED_NOTICE: "Borgeren fik besked: samtalen er slut, og chatbotten svarer igen.",
    RELEASED_NOTICE: "Borgeren fik besked: medarbejderen blev afbrudt, og samtalen er tilbage i køen.",
    LEFT_NOTICE: "Borgeren skrev stop og er tilbage hos chatbotten.",
    WAITED_TOO_LONG: "Borgeren fik besked: ingen nåede at tage samtalen, og borgeren fik tilbudt at blive ringet op.",
}
# How long a resident waits (or waited, once taken): under a minute, and whole minutes.
WAIT_WORDS = {"waiting": ("venter under 1 min", "venter {n} min"), "taken": ("ventede under 1 min", "ventede {n} min")}
# Who wrote a message, above it.
AUTHORS = {RESIDENT: "Borgeren", STAFF: "Dig"}


def channel_name(channel: str) -> str:
    return CHANNEL_NAMES.get(channel, OTHER_CHANNEL)


def waited_seconds(chat: LiveChat) -> int:
    return max(0, int(((chat.taken_at or now()) - chat.requested_at).total_seconds()))


def wait_text(seconds: int, done: bool = False) -> str:
    """"venter 3 min" (``done``: "ventede 3 min"); admin-live.js counts on from the same words."""
    under, minutes = WAIT_WORDS["taken" if done else "waiting"]
    return under if seconds < 60 else minutes.format(n=seconds // 60)


def clock(moment: datetime.datetime) -> str:
    """The time of day in Køge, as Danes write it: 14.05."""
    return moment.astimezone(LOCAL_TIME).strftime("%H.%M")


def message_text(message: LiveMessage) -> str:
    """What staff read: the text, or for a notice the line saying what the resident was told."""
    if message.kind == NOTICE:
        return NOTICE_LINES.get(message.text, f"Borgeren fik besked ({message.text}).")
    return message.text


def message_json(message: LiveMessage) -> dict:
    return {"id": message.id, "kind": message.kind, "text": message_text(message),
            "created_at": message.created_at.isoformat()}


def message_view(message: LiveMessage) -> dict:
    """A message as the chat page shows it."""
    return {**message_json(message), "author": AUTHORS.get(message.kind), "clock": clock(message.created_at)}


def live_chat_json(chat: LiveChat, user: str, position: Optional[int] = None) -> dict:
    return {
        "id": chat.id, "status": chat.status, "channel": chat.channel, "language": chat.language,
        "channel_name": channel_name(chat.channel), "language_name": danish_name(chat.language),
        "requested_at": chat.requested_at.isoformat(), "waited_seconds": waited_seconds(chat),
        "position": position, "staff_name": chat.staff_name, "mine": chat.staff_name == user,
        "shown_name": chat.shown_name, "staff_messages": chat.staff_messages, "ended_by": chat.ended_by,
    }


def status_text(chat: LiveChat, user: str, position: Optional[int] = None) -> str:
    """Where the chat stands, for the staff member ``user``."""
    if chat.status == TAKEN and chat.staff_name == user:
        shown = f"»{chat.shown_name}«" if chat.shown_name else "»Medarbejder« (uden dit navn)"
        return f"Du skriver med borgeren. Borgeren ser dig som {shown}."
    if chat.status == TAKEN:
        return f"{chat.staff_name} har samtalen."
    if chat.status == WAITING:
        place = f" som nr. {position}" if position else ""
        return f"Borgeren venter i køen{place}. Ingen har samtalen lige nu."
    if chat.ended_by == BY_RESIDENT:
        return "Samtalen er slut: borgeren stoppede den. Borgeren er tilbage hos chatbotten."
    if chat.ended_by == WAITED_TOO_LONG:
        return "Samtalen er slut: ingen nåede at tage den. Borgeren fik tilbudt at blive ringet op."
    if chat.ended_by == BY_STAFF:
        return "Samtalen er slut. Borgeren er tilbage hos chatbotten."
    return "Samtalen er slut." if chat.status == ENDED else chat.status


def opening_text(state: Availability) -> str:
    """Whether residents can ask for a staff member now, and when they can next."""
    if not state.offered:
        return "Live chatten er slået fra. Borgerne får ikke tilbudt at skrive med en medarbejder."
    if state.open:
        return "Live chatten er åben nu. Borgerne kan bede om at skrive med en medarbejder."
    closed = "Live chatten er lukket i dag." if danish_today() in state.closed_days else "Live chatten er lukket nu."
    if state.next_opening is None:
        return f"{closed} Den åbner ikke de næste to uger."
    return f"{closed} Den åbner igen {when(state.next_opening, now())}."
