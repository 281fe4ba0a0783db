"""One SMS turn, the same for every SMS channel.

The incoming text goes to Rasa under a pseudonymous sender id (the tracker
store never sees the phone number); the assistant's messages for the turn are
collected and sent back as one SMS (``sms_format.compose``). A reply that is
just a number picks that option of the last numbered list sent to the number.
"""
import asyncio
import logging
from pathlib import Path
from typing import Any, Awaitable, Callable, Optional, Set

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import sms_format
from bot.channels.sms_delivery import Delivery, SmsClient, number_key
from bot.channels.sms_store import SmsStore
from bot.config import Settings
from bot.knowledge.answers import say
from bot.live_chat.store import live_chats

logger = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 10

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class SmsConversations:
    def __init__(self, channel: str, client: SmsClient, secret: str, settings: Optional[Settings] = None):
        settings = settings or Settings.once()
        self.channel = channel
        self.secret = secret
        self.store = SmsStore(Path(settings.sms_data_dir) / f"{channel}.db")
        self.delivery = Delivery(channel, client, self.store, secret, settings.sms_retry_seconds)
        self._tasks: Set[asyncio.Task] = set()
        self._retries: Optional[asyncio.Task] = None

    def sender_id(self, number: str) -> str:
        return f"sms-{number_key(number, self.secret)}"

    def first_time(self, message_id: str) -> bool:
        return self.store.first_time(self.channel, message_id)

    def in_background(self, work: Awaitable[Any]) -> None:
        """Run ``work`` after the webhook has answered; keep a reference so the
        task is not garbage-collected half-way."""
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def handle(self, on_new_message: OnNewMessage, number: str, text: str, reply_from: Optional[str]) -> None:
        """Answer one incoming SMS. Never raises: it runs in the background."""
        try:
            await self._handle(on_new_message, number, text, reply_from)
        except Exception:  # noqa: BLE001 - a background failure must not pass unnoticed
            logger.exception("%s: could not answer %s.", self.channel, self.delivery.who(number))
            await self.delivery.deliver(number, reply_from, sms_format.to_gsm7(say("service_down")))

    async def _handle(self, on_new_message: OnNewMessage, number: str, text: str, reply_from: Optional[str]) -> None:
        key = number_key(number, self.secret)
        choice = sms_format.chosen_number(text)
        options = self.store.last_options(key) if choice is not None else None
        if options:
            titles, payloads = options
            payload = sms_format.payload_for(payloads, choice)
            if payload is None:
                await self.delivery.deliver(number, reply_from, sms_format.not_on_list(titles))
                return
            text = payload
        collector = CollectingOutputChannel()
        await on_new_message(UserMessage(text, collector, self.sender_id(number), input_channel=self.channel))
        self.remember_live_chat_address(number, reply_from)
        reply = sms_format.compose(collector.messages)
        if reply.payloads:
            self.store.remember_options(key, reply.titles, reply.payloads)
        if not reply.text:  # a message for the staff member who writes with the resident, say
            logger.info("%s: no reply from the assistant for %s.", self.channel, self.delivery.who(number))
            return
        await self.delivery.deliver(number, reply_from, reply.text)

    def remember_live_chat_address(self, number: str, reply_from: Optional[str]) -> None:
        """While the resident waits for or writes with a staff member, the staff
        member's messages go to this number (forgotten when the chat ends)."""
        queue = live_chats()
        if queue is not None:
            queue.set_sms_address(self.sender_id(number), number, reply_from)

    async def send_live(self, number: str, reply_from: Optional[str], messages) -> bool:
        """Messages from the live chat (a staff member's, a notice) as one SMS; True if sent."""
        reply = sms_format.compose(messages)
        if reply.payloads:
            self.store.remember_options(number_key(number, self.secret), reply.titles, reply.payloads)
        return bool(reply.text) and await self.delivery.deliver(number, reply_from, reply.text)

    def webhook_blueprint(self, name: str) -> Blueprint:
        """A channel's blueprint with its health route (``GET /``) and the outbox attached."""
        blueprint = Blueprint(name, __name__)
        self.attach(blueprint)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        return blueprint

    def attach(self, blueprint: Blueprint) -> None:
        """Retry the outbox while the server runs; stop cleanly with it."""

        @blueprint.listener("after_server_start")
        async def start_retries(app, loop) -> None:
            self._retries = asyncio.ensure_future(self.delivery.run_retries())

        @blueprint.listener("before_server_stop")
        async def stop(app, loop) -> None:
            if self._retries is not None:
                self._retries.cancel()
            # Let turns in progress send their replies; what cannot finish in
            # time is cancelled (an unsent reply of a cancelled turn is lost).
            if self._tasks:
                await asyncio.wait(list(self._tasks), timeout=STOP_GRACE_SECONDS)
            for task in list(self._tasks):
                task.cancel()
            await self.delivery.client.close()
            self.store.close()
