"""The live chat's messages on their way to residents, from each Rasa server.

Staff write in the admin (web app); their messages, the notices ("a staff
member is writing with you now", "the conversation is back with the
chatbot") and "typing" wait in the database (``live_messages``). Every Rasa
server runs one ``LiveRelay``: a few times a second it reads what waits and
delivers what it can:

- to the widget (socket.io), when the resident's socket is connected to this
  server (the room of their session id), as a ``bot_uttered`` message with
  who wrote it, or the ``live_typing`` event;
- by SMS, through the channel the resident wrote from (any server can: the
  number is kept with the open chat).

Each message is claimed in the database before it goes out, so of several
servers one delivers it. Every second or two the relay also tells waiting
widget residents their place in the queue (``live_status``, when it
changed), hands chats whose staff page has gone quiet back to the queue
(``LIVE_CHAT_GRACE_SECONDS``) and ends those nobody took in time
(``LIVE_CHAT_WAIT_MINUTES``, the resident is offered a callback): each of
these is one conditional UPDATE, safe with several servers.

Attached to the Rasa app by ``bot.rasa_server.install()``'s app settings.
"""
import asyncio
import logging
import time
from typing import Any, Dict, FrozenSet, List, Optional, Tuple

from bot.answer_store.live_chats import (
    ENDED, NOTICE, STAFF, TAKEN, TAKEN_NOTICE, TYPING, WAITED_TOO_LONG, WAITING, LiveChat, LiveChatStore,
    Outgoing,
)
from bot.config import LiveChatSettings
from bot.language.current import replying_in
from bot.live_chat.phrases import callback_choices, named, say
from bot.rasa_server.message_language import marked

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.15
HOUSEKEEPING_SECONDS = 2.0
TYPING_EVENT, STATUS_EVENT = "live_typing", "live_status"
SMS_STOP_SECONDS = 10


class SocketRooms:
    """The widget residents connected to this server, by Rasa's socket.io channel."""

    def __init__(self, channel):
        self.sio = channel.sio
        self.namespace = channel.namespace or "/"
        self.bot_message_evt = channel.bot_message_evt

    def sockets(self, room: str) -> FrozenSet[str]:
        """The connections in ``room`` on this server (one per open widget of that session)."""
        try:
            return frozenset(self.sio.manager.rooms.get(self.namespace, {}).get(room) or ())
        except AttributeError:  # another python-socketio than the pinned 5.9
            return frozenset()

    def here(self, room: str) -> bool:
        return bool(self.sockets(room))

    def all(self) -> List[str]:
        """Every room with a connection on this server (session ids among them)."""
        try:
            return [room for room, sids in self.sio.manager.rooms.get(self.namespace, {}).items() if room and sids]
        except AttributeError:
            return []

    async def emit(self, event: str, data: Dict[str, Any], room: str) -> None:
        await self.sio.emit(event, data, room=room, namespace=self.namespace)


def notice_message(chat: LiveChat, key: str) -> Dict[str, Any]:
    """A notice as a message, in the chat's language (``live`` marks it for the widget)."""
    with replying_in(chat.language):
        if key == TAKEN_NOTICE:
            return {"text": named("taken", chat.shown_name), "live": {"notice": key}}
        if key == WAITED_TOO_LONG:
            return {"text": say("waited_too_long"), "buttons": callback_choices(), "live": {"notice": key}}
        return {"text": say(key), "live": {"notice": key}}


def staff_message(chat: LiveChat, text: str) -> Dict[str, Any]:
    with replying_in(chat.language):
        return {"text": text, "live": {"from": named("staff_label", chat.shown_name)}}


def as_sms(message: Dict[str, Any]) -> Dict[str, Any]:
    """An SMS shows no label above a message: who wrote it goes in front ("Mette, Køge Kommune: ...")."""
    author = (message.get("live") or {}).get("from")
    return {**message, "text": f"{author}: {message['text']}"} if author else message


def status(chat: LiveChat, position: Optional[int]) -> Dict[str, str]:
    """The widget's status line for an open chat: its text, and the state the widget acts on."""
    with replying_in(chat.language):
        if chat.status == TAKEN:
            return {"state": TAKEN, "text": named("status_taken", chat.shown_name)}
        return {"state": WAITING, "text": say("status_waiting", position=position or 1)}


NO_STATUS = {"state": "", "text": ""}


def widget_message(message: Dict[str, Any]) -> Dict[str, Any]:
    """Rasa's socket.io shape (buttons as ``quick_replies``), with ``lang`` and ``dir``."""
    shaped = dict(message)
    if "buttons" in shaped:
        shaped["quick_replies"] = [{"content_type": "text", **b} for b in shaped.pop("buttons")]
    return marked(shaped)


class LiveRelay:
    def __init__(self, store: LiveChatStore, rooms: Optional[SocketRooms], sms: Dict[str, Any],
                 settings: Optional[LiveChatSettings] = None):
        self.store = store
        self.rooms = rooms
        self.sms = sms  # channel name -> bot.channels.sms_turn.SmsConversations
        self.settings = settings or LiveChatSettings.once()
        # room -> the status line last sent there, and to which connections (a reload gets it again)
        self._statuses: Dict[str, Tuple[Dict[str, str], FrozenSet[str]]] = {}
        self._housekept = float("-inf")
        self._failing = False
        self._sending = set()  # SMS being sent (with retries): not waited for by the next round

    async def run(self) -> None:
        while True:
            try:
                await self.tick()
                if self._failing:
                    logger.info("Live chat relay: the database answers again.")
                self._failing = False
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - the relay must outlive a database outage
                if not self._failing:
                    logger.error("Live chat relay: %s; trying again.", type(error).__name__)
                self._failing = True
            await asyncio.sleep(POLL_SECONDS)

    async def tick(self) -> None:
        rooms = self.rooms.all() if self.rooms is not None else []
        for item in await asyncio.to_thread(self.store.outbox, rooms, list(self.sms)):
            await self.deliver(item)
        if time.monotonic() - self._housekept >= HOUSEKEEPING_SECONDS:
            self._housekept = time.monotonic()
            await self.housekeeping()

    async def deliver(self, item: Outgoing) -> None:
        chat, message = item.chat, item.message
        sms = self.sms.get(chat.channel)
        if sms is not None:
            if message.kind == TYPING or not chat.sms_number:
                await asyncio.to_thread(self.store.claim, message.id)  # nothing to send by SMS
            elif await asyncio.to_thread(self.store.claim, message.id):
                self.in_background(self.send_sms(sms, item))
            return
        if self.rooms is None or not self.rooms.here(chat.sender_id):
            return  # another server holds the socket (or the resident is offline for now)
        if not await asyncio.to_thread(self.store.claim, message.id):
            return
        if message.kind == TYPING:
            with replying_in(chat.language):
                await self.rooms.emit(TYPING_EVENT, {"text": say("typing")}, chat.sender_id)
            return
        await self.rooms.emit(self.rooms.bot_message_evt, widget_message(self.content(item)), chat.sender_id)
        if message.kind == NOTICE:
            await self.send_statuses()  # the status line follows the change at once

    async def sent(self) -> None:
        """Wait for the SMS being sent (tests; the server's stop)."""
        if self._sending:
            await asyncio.wait(list(self._sending), timeout=SMS_STOP_SECONDS)

    def in_background(self, work) -> None:
        task = asyncio.ensure_future(work)
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def send_sms(self, sms, item: Outgoing) -> None:
        chat = item.chat
        try:
            await sms.send_live(chat.sms_number, chat.sms_from, [as_sms(self.content(item))])
            if chat.status == ENDED:
                await asyncio.to_thread(self.store.forget_sms_numbers, chat.id)
        except Exception as error:  # noqa: BLE001 - a background send must not pass unnoticed
            logger.error("Live chat %s: an SMS could not be sent (%s).", chat.id, type(error).__name__)

    @staticmethod
    def content(item: Outgoing) -> Dict[str, Any]:
        if item.message.kind == STAFF:
            return staff_message(item.chat, item.message.text)
        return notice_message(item.chat, item.message.text)

    async def housekeeping(self) -> None:
        await asyncio.to_thread(self.store.release_unseen, self.settings.grace_seconds)
        await asyncio.to_thread(self.store.expire_waiting, self.settings.wait_minutes * 60)
        await asyncio.to_thread(self.store.forget_sms_numbers)
        if self.rooms is not None:
            await self.send_statuses()

    async def send_statuses(self) -> None:
        """The status line of each widget resident here whose chat is open: sent when it changed,
        and an empty one when the chat ended."""
        chats = await asyncio.to_thread(self.store.open_chats)
        places = {chat.id: place for place, chat in enumerate((c for c in chats if c.status == WAITING), start=1)}
        current = {chat.sender_id: status(chat, places.get(chat.id))
                   for chat in chats if self.rooms.here(chat.sender_id)}
        for room in set(self._statuses) - set(current):
            if self.rooms.here(room):
                await self.rooms.emit(STATUS_EVENT, NO_STATUS, room)
            del self._statuses[room]
        for room, line in current.items():
            sent = (line, self.rooms.sockets(room))
            if self._statuses.get(room) != sent:
                await self.rooms.emit(STATUS_EVENT, line, room)
                self._statuses[room] = sent


def sms_channels(channels: List[Any]) -> Dict[str, Any]:
    return {channel.name(): channel.conversations for channel in channels if getattr(channel, "conversations", None)}


def attach(app) -> None:
    """Run a relay with the Rasa app while the live chat is on (not when LIVE_CHAT_HOURS is off)."""
    from bot.live_chat.store import live_chats

    if live_chats() is None:
        return

    async def start(app, _loop) -> None:
        channels = list(getattr(app.ctx, "input_channels", []) or [])
        socket = next((c for c in channels if c.name() == "socketio" and getattr(c, "sio", None)), None)
        # The SMS channels make their SmsConversations when their blueprint is built: read them now.
        relay = LiveRelay(live_chats(), SocketRooms(socket) if socket else None, sms_channels(channels))
        app.ctx.live_relay = relay
        app.ctx.live_relay_task = asyncio.ensure_future(relay.run())

    async def stop(app, _loop) -> None:
        task = getattr(app.ctx, "live_relay_task", None)
        if task is not None:
            task.cancel()
            await app.ctx.live_relay.sent()

    app.register_listener(start, "after_server_start")
    app.register_listener(stop, "before_server_stop")
