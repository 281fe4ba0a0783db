"""Synthetic conversations, written by Rasa's own SQLTrackerStore, for the
inbox and dashboard tests: the same ``events`` rows a real Rasa server writes."""
import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List, Optional, Union

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_server.conversation_store import connection_arguments

DAY = 24 * 3600


def session(at: float) -> list:
    return [ActionExecuted("action_session_start", timestamp=at), SessionStarted(timestamp=at),
            ActionExecuted("action_listen", timestamp=at)]


def turn(text: str, intent: str, at: float, confidence: float = 0.97, action: str = "action_answer",
         channel: str = "socketio") -> list:
    """A resident's message, the assistant's action and reply, and listening again."""
    parse_data = {"intent": {"name": intent, "confidence": confidence}, "entities": [], "text": text,
                  "intent_ranking": [{"name": intent, "confidence": confidence}]}
    return [
        UserUttered(text, intent=parse_data["intent"], parse_data=parse_data, timestamp=at, input_channel=channel),
        ActionExecuted(action, timestamp=at + 0.1),
        BotUttered("Et svar.", timestamp=at + 0.2),
        ActionExecuted("action_listen", timestamp=at + 0.3),
    ]


def form_turns(at: float, answers: List[str], form: str = "callback_form", channel: str = "socketio") -> list:
    """A form started and filled in: the answers typed into it (a name, a phone number...)."""
    events = [ActiveLoop(form, timestamp=at)]
    for number, answer in enumerate(answers, start=1):
        events += turn(answer, "inform", at + number, confidence=0.31, action=form, channel=channel)
    return events + [ActiveLoop(None, timestamp=at + len(answers) + 1)]


def write_conversations(where: Union[Path, str], conversations: Dict[str, list]) -> str:
    """Stores each sender's events with Rasa's SQLTrackerStore, in an SQLite
    file (a path) or any database (a URL); returns the database URL."""
    url = where if isinstance(where, str) else f"sqlite:///{where}"
    store = SQLTrackerStore(Domain.empty(), **connection_arguments(url))

    async def save_all():
        for sender, events in conversations.items():
            await store.save(DialogueStateTracker.from_events(sender, events))

    # Its own thread and event loop: callers may be inside a running loop (aiohttp tests).
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, save_all()).result()
    store.engine.dispose()
    return url


def days_ago(days: float, now: Optional[float] = None) -> float:
    return (time.time() if now is None else now) - days * DAY
