"""How fast the live chat's messages go between a staff member and a resident,
while other residents talk to the assistant.

    .venv/bin/python -m bench.live_chat [--messages 50] [--residents 50]

Starts the action server, Rasa server and web app on loopback with the live
chat always open and an answer store of their own; ``--residents`` simulated
widget residents hold conversations with the assistant the whole time
(``bench.residents``, socket.io, pauses of up to 3 s). One more resident asks
for a staff member in the widget; a staff member logs in and takes the
conversation through the admin's JSON API and follows it on the chat's
event stream (server-sent events, as the "Live samtaler" page does). Then
``--messages`` times, 2 s apart (a person's pace, within the rate limit):

- staff message → resident: from sending ``POST /admin/api/live/{id}/send``
  to the message arriving in the resident's socket.io client;
- resident message → staff: from the resident's ``user_uttered`` to the
  message arriving on the staff member's event stream.

Baseline in the same run: the simulated residents' own turns (message → the
assistant's first reply), under the same load. Prints a Markdown section and
writes it to bench/RESULTS.md.
"""
import argparse
import asyncio
import json
import statistics
import time
from typing import List, Optional

import aiohttp
import socketio

from bench import residents as simulated
from bench.models import SERVED_MODEL as MODEL
from bench.report import percentile, write_section
from bench.stack import serving_with_web
from bot.answer_store import AnswerStore
from bot.config import AnswerStoreSettings
from bot.web.admin.auth import COOKIE

HEADING = "## Live chat: staff and resident messages (issue 24)"
COMMAND = ".venv/bin/python -m bench.live_chat"
USER, PASSWORD = "bench", "bench-har-en-lang-kode"
TIMEOUT = 30
# The resident writes as a person does, within the rate limit (RATE_LIMIT_PER_MINUTE, 30 by default).
PAUSE_BETWEEN_MESSAGES = 2.0
TARGET_P95_MS = 500


class Staff:
    """A logged-in staff member: the JSON API and a chat's event stream."""

    def __init__(self, web_url: str, http: aiohttp.ClientSession, csrf: str):
        self.web_url, self.http, self.csrf = web_url, http, csrf
        self.arrived: asyncio.Queue = asyncio.Queue()  # (text, monotonic time) of the stream's messages

    @classmethod
    async def login(cls, web_url: str, store: AnswerStore) -> "Staff":
        http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        async with http.post(f"{web_url}/admin/login",
                             data={"name": USER, "password": PASSWORD, "next": "/admin"}) as response:
            await response.read()
        token = next(cookie.value for cookie in http.cookie_jar if cookie.key == COOKIE)
        return cls(web_url, http, store.staff.session(token).csrf_token)

    async def call(self, path: str, payload=None) -> dict:
        async with self.http.post(f"{self.web_url}{path}", json=payload,
                                  headers={"X-CSRF-Token": self.csrf, "Origin": self.web_url}) as response:
            if response.status >= 400:
                raise RuntimeError(f"{path}: HTTP {response.status} {await response.text()}")
            return await response.json()

    async def follow(self, chat_id: int) -> None:
        """Read the chat's event stream; each resident message goes to ``arrived``."""
        async with self.http.get(f"{self.web_url}/admin/live/{chat_id}/events",
                                 timeout=aiohttp.ClientTimeout(total=None)) as response:
            if response.status != 200 or not response.content_type.startswith("text/event-stream"):
                raise RuntimeError(f"event stream: HTTP {response.status} {response.content_type}")
            event = None
            async for raw in response.content:
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("event:"):
                    event = line.split(":", 1)[1].strip()
                elif line.startswith("data:") and event == "message":
                    message = json.loads(line.split(":", 1)[1])
                    if message.get("kind") == "resident":
                        self.arrived.put_nowait((message["text"], time.monotonic()))
                elif not line:
                    event = None


class Resident:
    """The widget resident who writes with the staff member (socket.io, websocket)."""

    def __init__(self):
        self.client = socketio.AsyncClient(reconnection=False)
        self.session_id = "livebench" + str(int(time.time() * 1000))
        self.arrived: asyncio.Queue = asyncio.Queue()
        self.client.on("bot_uttered", lambda data: self.arrived.put_nowait((data.get("text", ""), time.monotonic())))

    async def connect(self, rasa_url: str) -> None:
        confirmed = asyncio.Event()
        self.client.on("session_confirm", lambda *_: confirmed.set())
        await self.client.connect(rasa_url, socketio_path="/socket.io", transports=["websocket"])
        await self.client.emit("session_request", {"session_id": self.session_id})
        await asyncio.wait_for(confirmed.wait(), TIMEOUT)

    async def say(self, text: str) -> None:
        await self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})


async def arrival(queue: asyncio.Queue, text: str, reader: Optional[asyncio.Task] = None) -> float:
    """When ``text`` arrived (monotonic), skipping anything else; fails at once when ``reader`` died."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        if reader is not None and reader.done():
            reader.result()  # raises what stopped it
            raise RuntimeError("the event stream ended")
        seen, at = await asyncio.wait_for(queue.get(), max(deadline - time.monotonic(), 0.01))
        if text in seen:
            return at


async def measure(stack, store: AnswerStore, messages: int, residents: int) -> dict:
    staff = await Staff.login(stack.web_url, store)
    resident = Resident()
    seconds = 60 + messages * (PAUSE_BETWEEN_MESSAGES + 1)  # the others talk for longer than the measurement takes
    load = asyncio.ensure_future(simulated.load(stack.rasa_url, "socketio", simulated.Level(residents, 3.0), seconds))
    follower = None
    try:
        await resident.connect(stack.rasa_url)
        await resident.say("/live_chat")
        await arrival(resident.arrived, "i køen")
        chat = store.live_chats.open_for(resident.session_id)
        await staff.call(f"/admin/api/live/{chat.id}/take")
        follower = asyncio.ensure_future(staff.follow(chat.id))
        await arrival(resident.arrived, "skriver med dig nu")
        to_resident: List[float] = []
        to_staff: List[float] = []
        for number in range(messages):
            text = f"Besked {number} fra medarbejderen"
            started = time.monotonic()
            await staff.call(f"/admin/api/live/{chat.id}/send", {"text": text})
            to_resident.append((await arrival(resident.arrived, text) - started) * 1000)
            text = f"svar {number} fra borgeren"
            started = time.monotonic()
            await resident.say(text)
            to_staff.append((await arrival(staff.arrived, text, follower) - started) * 1000)
            await asyncio.sleep(PAUSE_BETWEEN_MESSAGES)
        await staff.call(f"/admin/api/live/{chat.id}/end")
    finally:
        if follower is not None:
            follower.cancel()
        await resident.client.disconnect()
        await staff.http.close()
    tally = await load
    return {"to_resident": to_resident, "to_staff": to_staff, "baseline": tally.latencies_ms,
            "errors": tally.errors}


def row(label: str, values) -> str:
    return f"| {label} | {len(values)} | {statistics.median(values):.0f} | {percentile(values, 0.95):.0f} |"


def report(results: dict, messages: int, residents: int) -> str:
    worst = max(percentile(results["to_resident"], 0.95), percentile(results["to_staff"], 0.95))
    errors = ", ".join(f"{name}: {count}" for name, count in results["errors"].items()) or "none"
    return "\n".join([
        HEADING, "",
        f"Measured with `{COMMAND} --messages {messages} --residents {residents}` (one Rasa server, "
        "SQLite answer store, all servers on loopback, this 2-core machine).", "",
        "| figure | count | p50 (ms) | p95 (ms) |", "|---|---|---|---|",
        row("staff message sent (admin API) → shown in the resident's widget (socket.io)", results["to_resident"]),
        row("resident message sent (widget) → on the staff member's event stream", results["to_staff"]),
        row(f"baseline: the {residents} other residents' turns with the assistant, same run", results["baseline"]),
        "",
        f"Target p95 < {TARGET_P95_MS} ms both ways: {'met' if worst < TARGET_P95_MS else 'NOT met'} "
        f"(worst p95 {worst:.0f} ms). Errors among the other residents' turns: {errors}.",
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=50)
    parser.add_argument("--residents", type=int, default=50)
    args = parser.parse_args()
    with serving_with_web(MODEL, env={"LIVE_CHAT_HOURS": "always"}) as stack:
        store = AnswerStore.open(AnswerStoreSettings.from_env(stack.env))
        try:
            store.staff.add(USER, PASSWORD)
            results = asyncio.run(measure(stack, store, args.messages, args.residents))
        finally:
            store.close()
    section = report(results, args.messages, args.residents)
    print(section)
    write_section(HEADING, section)


if __name__ == "__main__":
    main()
