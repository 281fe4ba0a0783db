"""Simulated residents: multi-turn conversations over REST or socket.io, with
pauses between turns as a person makes them. Used by the load benchmark and by
its smoke test in CI.

A turn's time is from sending the message to the first reply the resident
sees. A turn is an error when no reply comes (HTTP error, timeout, dropped
connection, nothing to show) or the reply is the apology the assistant sends
when its action server failed. Throughput counts the turns without error.
"""
import asyncio
import random
import string
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence

import aiohttp
import socketio
import yaml

from bot.config import PROJECT_ROOT
from bot.knowledge.answers import say

CONVERSATIONS = PROJECT_ROOT / "bench" / "data" / "load_conversations.yml"
TURN_TIMEOUT_SECONDS = 30
# Over socket.io a turn the assistant answers with nothing looks like a slow one:
# after this long it counts as unanswered (far above any real turn's time here).
SOCKETIO_NO_REPLY_SECONDS = 10
SETTLE_SECONDS = 0.1


def conversations() -> List[List[str]]:
    return yaml.safe_load(CONVERSATIONS.read_text(encoding="utf-8"))["conversations"]


@dataclass(frozen=True)
class Level:
    residents: int
    max_pause: float  # seconds a resident waits between turns: uniform in [0, max_pause]

    @property
    def label(self) -> str:
        return f"{self.residents} residents, pauses 0–{self.max_pause:g} s" if self.max_pause else \
            f"{self.residents} residents, no pauses"


@dataclass
class Tally:
    """What the residents of one level saw."""

    latencies_ms: List[float] = field(default_factory=list)
    errors: Dict[str, int] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)
    finished: float = 0.0

    def turn(self, started: float, error: Optional[str]) -> None:
        self.finished = time.monotonic()
        if error:
            self.errors[error] = self.errors.get(error, 0) + 1
        else:
            self.latencies_ms.append((self.finished - started) * 1000)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def turns_per_second(self) -> float:
        return len(self.latencies_ms) / max(self.finished - self.started, 1e-9)


def sender_id(rng: random.Random) -> str:
    # Letters only: a digit run in an id could look like a phone number to the privacy filter.
    return "load" + "".join(rng.choices(string.ascii_lowercase, k=16))


def shown(message: dict) -> str:
    """What a message shows the resident: its text, or a stand-in for a picture or a card."""
    if not isinstance(message, dict):
        return ""
    return message.get("text") or ("[attachment]" if message.get("image") or message.get("attachment") else "")


def reply_problem(messages: Sequence[dict]) -> Optional[str]:
    texts = [shown(message) for message in messages]
    if not any(text.strip() for text in texts):
        return "no reply"
    if any(say("service_down") in text for text in texts):
        return "apology: action server failed"
    return None


async def rest_resident(base_url: str, level: Level, until: float, rng: random.Random, tally: Tally,
                        scripts: List[List[str]]) -> None:
    url = f"{base_url}/webhooks/rest/webhook"
    timeout = aiohttp.ClientTimeout(total=TURN_TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        await asyncio.sleep(rng.uniform(0, level.max_pause))  # residents arrive spread out, not in one instant
        while time.monotonic() < until:
            sender = sender_id(rng)
            for text in rng.choice(scripts):
                if time.monotonic() >= until:
                    return
                started = time.monotonic()
                try:
                    async with session.post(url, json={"sender": sender, "message": text}) as response:
                        if response.status != 200:
                            error = f"HTTP {response.status}"
                        else:
                            error = reply_problem(await response.json())
                except (aiohttp.ClientError, asyncio.TimeoutError) as failure:
                    error = type(failure).__name__
                tally.turn(started, error)
                await asyncio.sleep(rng.uniform(0, level.max_pause))


async def socketio_resident(base_url: str, level: Level, until: float, rng: random.Random, tally: Tally,
                            scripts: List[List[str]]) -> None:
    """One widget per conversation: connect, ask for a session, hold the conversation, leave."""
    await asyncio.sleep(rng.uniform(0, level.max_pause))
    while time.monotonic() < until:
        client = socketio.AsyncClient(reconnection=False)
        replies: asyncio.Queue = asyncio.Queue()
        confirmed = asyncio.Event()
        client.on("bot_uttered", lambda data: replies.put_nowait(data))
        client.on("session_confirm", lambda *_: confirmed.set())
        session = sender_id(rng)
        started = time.monotonic()
        try:
            await client.connect(base_url, socketio_path="/socket.io", transports=["websocket"],
                                 wait_timeout=TURN_TIMEOUT_SECONDS)
            await client.emit("session_request", {"session_id": session})
            await asyncio.wait_for(confirmed.wait(), TURN_TIMEOUT_SECONDS)
        except (socketio.exceptions.ConnectionError, asyncio.TimeoutError) as failure:
            tally.turn(started, f"socket.io connect: {type(failure).__name__}")
            await client.disconnect()
            await asyncio.sleep(rng.uniform(0, level.max_pause) or 0.1)
            continue
        try:
            for text in rng.choice(scripts):
                if time.monotonic() >= until:
                    return
                started = time.monotonic()
                try:
                    await client.emit("user_uttered", {"message": text, "session_id": session})
                    reply = await asyncio.wait_for(replies.get(), SOCKETIO_NO_REPLY_SECONDS)
                    error = reply_problem([reply])
                except asyncio.TimeoutError:
                    error = "no reply"
                except socketio.exceptions.SocketIOError as failure:
                    error = f"socket.io: {type(failure).__name__}"
                tally.turn(started, error)
                # socket.io has no end-of-turn mark: the turn's further messages (a picture,
                # a second text) come just after the first; they must not pass for the next answer.
                await asyncio.sleep(SETTLE_SECONDS)
                while not replies.empty():
                    replies.get_nowait()
                if error and not client.connected:
                    break
                await asyncio.sleep(rng.uniform(0, level.max_pause))
        finally:
            await client.disconnect()


RESIDENTS: Dict[str, Callable] = {"rest": rest_resident, "socketio": socketio_resident}


async def load(base_url: str, channel: str, level: Level, seconds: float, seed: int = 42) -> Tally:
    """``level.residents`` residents on ``channel`` for ``seconds``; turns under way at the end are finished."""
    scripts, tally, rng = conversations(), Tally(), random.Random(seed)
    until = time.monotonic() + seconds
    await asyncio.gather(*(RESIDENTS[channel](base_url, level, until, random.Random(rng.random()), tally, scripts)
                           for _ in range(level.residents)))
    return tally
