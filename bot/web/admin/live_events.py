"""Live updates for the "Live samtaler" pages, as server-sent events.

``GET /admin/live/events`` sends the queue (``queue``: the JSON of ``GET
/admin/api/live``) whenever it changes, and whether the live chat is open
(``opening``) when that changes. ``GET /admin/live/{id}/events`` sends the
chat's status (``chat``) when it changes and, while the logged-in staff
member has the chat, its new messages (``message``, with the message's id as
the event id, so a reconnecting browser continues after the last one it got).
"Still here" (``seen``) is not said by the stream but by the page itself
(admin-live.js): a connection that died half-way keeps a stream looking alive
for many minutes; a page that is closed or offline stops saying it, and after
``LIVE_CHAT_GRACE_SECONDS`` the chat goes back to the queue.

Both read the database every ``POLL_SECONDS`` (every Rasa server and web app
writes there; there is nothing to listen to) and send only what changed,
with a comment line now and then so proxies keep the connection open. A
stream ends when the browser goes away, when the chat ends, when the login
does (checked again every ``SESSION_CHECK_SECONDS``), and when the app shuts
down (``on_shutdown`` sets ``STOP``; the loops see it within one poll, and
the hook waits for them). Login comes from ``auth.staff_only`` as for every
page.
"""
import asyncio
import json
import logging
import time
from typing import AsyncIterator, Optional

from aiohttp import web

from bot.answer_store.live_chats import ENDED, WAITING, LiveChatStore
from bot.live_chat.status import availability
from bot.web.admin.auth import COOKIE, staff
from bot.web.admin.live import chat_id, queue_json
from bot.web.admin.live_view import live_chat_json, message_json, opening_text, status_text
from bot.web.keys import ANSWER_STORE, LIVE_CHAT

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.25
KEEP_ALIVE_SECONDS = 15.0
RETRY_MILLISECONDS = 3000  # how soon a browser reconnects after a lost connection
SHUTDOWN_WAIT_SECONDS = 2.0  # a stream sees the stop within one poll; this is plenty
SESSION_CHECK_SECONDS = 30.0  # a stream outlives no logout, closed account or expired session by more

STOP = web.AppKey("live_streams_stop", asyncio.Event)
OPEN_STREAMS = web.AppKey("live_streams_open", set)  # the EventStreams open now (tests look)


def setup_live_streams(app: web.Application) -> None:
    app[OPEN_STREAMS] = set()

    async def start(app: web.Application) -> None:
        app[STOP] = asyncio.Event()  # made in the loop that serves the app

    async def stop(app: web.Application) -> None:
        app[STOP].set()
        # Streams whose browser is already gone are not among the connections aiohttp waits
        # for: wait here, so none is left pending when the loop closes.
        handlers = [stream.task for stream in app[OPEN_STREAMS]]
        if handlers:
            await asyncio.wait(handlers, timeout=SHUTDOWN_WAIT_SECONDS)

    app.on_startup.append(start)
    app.on_shutdown.append(stop)


class EventStream:
    """One text/event-stream response; ``send`` and ``ticks`` stop quietly once the browser is gone."""

    def __init__(self, request: web.Request):
        self.request = request
        self.response = web.StreamResponse(headers={
            "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store",
            "X-Accel-Buffering": "no",  # nginx: pass each event on at once
        })
        self.gone = False
        self.task = asyncio.current_task()  # the request's handler, awaited at shutdown
        self._last_write = self._session_checked = time.monotonic()

    async def __aenter__(self) -> "EventStream":
        await self.response.prepare(self.request)
        self.request.app[OPEN_STREAMS].add(self)
        await self._write(f"retry: {RETRY_MILLISECONDS}\n\n")
        return self

    async def __aexit__(self, kind, error, trace) -> bool:
        self.request.app[OPEN_STREAMS].discard(self)
        if isinstance(error, Exception):
            # The response has begun: no error page can follow it. The stream just ends,
            # and the browser connects again after RETRY_MILLISECONDS.
            logger.warning("A live stream ended on %s at %s.", type(error).__name__, self.request.path)
            return True
        return False

    @property
    def closed(self) -> bool:
        transport = self.request.transport
        return self.gone or transport is None or transport.is_closing() or self.request.app[STOP].is_set()

    async def _write(self, text: str) -> None:
        if self.closed:
            return
        try:
            await self.response.write(text.encode("utf-8"))
            self._last_write = time.monotonic()
        except ConnectionError:  # the browser went away between two checks
            self.gone = True

    async def send(self, event: str, data: dict, event_id: Optional[int] = None) -> None:
        head = f"id: {event_id}\n" if event_id is not None else ""
        # json.dumps writes no line breaks, so the data is one "data:" line.
        await self._write(f"{head}event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n")

    async def _check_session(self) -> None:
        """The login was checked when the stream began; a stream open for hours checks it again.
        Ended, the browser's reconnect meets the login page, and the page says to reload."""
        self._session_checked = time.monotonic()
        staff_store = self.request.app[ANSWER_STORE].staff
        if await asyncio.to_thread(staff_store.session, self.request.cookies.get(COOKIE)) is None:
            self.gone = True

    async def ticks(self) -> AsyncIterator[None]:
        """Every POLL_SECONDS until the stream closes (a keep-alive comment when quiet)."""
        stop = self.request.app[STOP]
        while not self.closed:
            yield
            if time.monotonic() - self._last_write >= KEEP_ALIVE_SECONDS:
                await self._write(": still here\n\n")
            if time.monotonic() - self._session_checked >= SESSION_CHECK_SECONDS:
                await self._check_session()
            try:
                await asyncio.wait_for(stop.wait(), POLL_SECONDS)
            except asyncio.TimeoutError:
                pass


def _number(value: Optional[str]) -> int:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 12 else 0


# --- the queue ---------------------------------------------------------------------------------


def _queue_key(queue: dict) -> str:
    """What a change of the queue is: not the seconds ticking by, nor "next opening: now" while open."""
    chats = [{k: v for k, v in chat.items() if k != "waited_seconds"} for chat in queue["chats"]]
    opening = {k: v for k, v in queue["live_chat"].items() if k != "next_opening" or not queue["live_chat"]["open"]}
    return json.dumps([chats, opening], sort_keys=True)


def _read_queue(store: LiveChatStore, hours, user: str):
    state = availability(store, hours)
    return queue_json(store, state, user), {"open": state.open, "text": opening_text(state)}


async def queue_events(request: web.Request) -> web.StreamResponse:
    user = staff(request).user.name
    store, hours = request.app[ANSWER_STORE].live_chats, request.app[LIVE_CHAT].hours
    sent_queue = sent_opening = None
    async with EventStream(request) as stream:
        async for _ in stream.ticks():
            queue, opening = await asyncio.to_thread(_read_queue, store, hours, user)
            if _queue_key(queue) != sent_queue:
                await stream.send("queue", queue)
                sent_queue = _queue_key(queue)
            if opening != sent_opening:
                await stream.send("opening", opening)
                sent_opening = opening
    return stream.response


# --- one chat ------------------------------------------------------------------------------------


def _read_chat(store: LiveChatStore, number: int, user: str, after: int):
    """The chat as ``user`` sees it now, and its messages after ``after`` when it is (or was, until
    it ended) theirs: the holder sees the last notice too."""
    chat = store.get(number)
    position = store.position(number) if chat.status == WAITING else None
    view = {**live_chat_json(chat, user, position), "status_text": status_text(chat, user, position)}
    return chat, view, store.messages(number, after) if chat.staff_name == user else []


def _without_seconds(view: Optional[dict]) -> Optional[dict]:
    """A chat's status without the waiting time, which changes every second."""
    return {k: v for k, v in view.items() if k != "waited_seconds"} if view else None


async def chat_events(request: web.Request) -> web.StreamResponse:
    user = staff(request).user.name
    store = request.app[ANSWER_STORE].live_chats
    number = chat_id(request)
    store.get(number)  # an unknown chat is 404 before the stream starts
    # A reconnecting browser says the last message it got; the page, the last one it shows.
    after = _number(request.headers.get("Last-Event-ID")) or _number(request.query.get("after"))
    sent_view = None
    async with EventStream(request) as stream:
        async for _ in stream.ticks():
            chat, view, messages = await asyncio.to_thread(_read_chat, store, number, user, after)
            for message in messages:
                await stream.send("message", message_json(message), event_id=message.id)
                after = message.id
            if _without_seconds(view) != sent_view:
                await stream.send("chat", view)
                sent_view = _without_seconds(view)
            if chat.status == ENDED:
                break
    return stream.response

