"""Send an SMS with retries; keep what could not be sent and retry it later.

A reply is tried a few times at once with growing pauses. If all fail it goes
to the outbox (``SmsStore``), which ``Delivery.run_retries`` keeps retrying with
growing pauses for up to ``MAX_AGE_SECONDS``; after that it is logged as lost.
Phone numbers never appear in logs: they are shown as a keyed hash.
"""
import asyncio
import hashlib
import hmac
import logging
import re
from typing import Optional, Protocol

from bot.channels.sms_store import SmsStore
from bot.errors import AssistantError

logger = logging.getLogger(__name__)

ATTEMPTS_AT_ONCE = 3
FIRST_PAUSE_SECONDS = 0.5
LONGEST_RETRY_PAUSE_SECONDS = 3600
# A reply that arrives more than a day late answers a question nobody remembers.
MAX_AGE_SECONDS = 24 * 3600


class SendError(AssistantError):
    """The gateway did not accept the message."""

    status, code = 502, "sms_ikke_sendt"

    def __init__(self, reason: str, retry_now: bool = True):
        super().__init__(reason)
        self.retry_now = retry_now  # False when an immediate retry cannot help (4xx)


class SmsClient(Protocol):
    async def send(self, recipient: str, sender: Optional[str], text: str) -> None:
        """Send one SMS or raise ``SendError``."""

    async def close(self) -> None: ...


def number_key(number: str, secret: str) -> str:
    """A stable pseudonym for a phone number: HMAC, so it cannot be reversed
    by hashing every possible number without the channel's secret."""
    digits = re.sub(r"\D", "", str(number))
    return hmac.new(secret.encode(), digits.encode(), hashlib.sha256).hexdigest()[:16]


class Delivery:
    def __init__(
        self,
        channel: str,
        client: SmsClient,
        store: SmsStore,
        secret: str,
        retry_seconds: float = 30,
    ):
        self.channel = channel
        self.client = client
        self.store = store
        self.secret = secret
        self.retry_seconds = retry_seconds

    def who(self, number: str) -> str:
        return f"recipient {number_key(number, self.secret)}"

    async def deliver(self, recipient: str, sender: Optional[str], text: str) -> bool:
        """Send now, retrying a few times; on failure keep it for later. True if sent."""
        error: Optional[SendError] = None
        for attempt in range(ATTEMPTS_AT_ONCE):
            if attempt:
                await asyncio.sleep(FIRST_PAUSE_SECONDS * 2 ** (attempt - 1))
            try:
                await self.client.send(recipient, sender, text)
                return True
            except SendError as failure:
                error = failure
                if not failure.retry_now:
                    break
        self.store.keep_for_retry(self.channel, recipient, sender, text, str(error), self.retry_seconds)
        logger.warning(
            "%s: could not send the reply to %s (%s); kept in the outbox for a retry.",
            self.channel, self.who(recipient), error,
        )
        return False

    async def retry_due(self) -> None:
        for item in self.store.due(self.channel):
            try:
                await self.client.send(item.recipient, item.sender, item.message)
            except SendError as error:
                if self.store.clock() - item.created_at > MAX_AGE_SECONDS:
                    self.store.give_up(item.id, str(error), number_key(item.recipient, self.secret))
                    logger.error(
                        "%s: gave up on the reply to %s after %d attempts (%s); it stays in the outbox as given up.",
                        self.channel, self.who(item.recipient), item.attempts + 1, error,
                    )
                else:
                    pause = min(self.retry_seconds * 2**item.attempts, LONGEST_RETRY_PAUSE_SECONDS)
                    self.store.failed_again(item.id, str(error), pause)
                continue
            self.store.delivered(item.id)
            logger.info(
                "%s: sent the delayed reply to %s after %d attempts.",
                self.channel, self.who(item.recipient), item.attempts + 1,
            )

    async def run_retries(self) -> None:
        """Retry the outbox forever (until cancelled), also what an earlier run left."""
        while True:
            try:
                await self.retry_due()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the loop must outlive any one failure
                logger.exception("%s: retrying the outbox failed; trying again later.", self.channel)
            await asyncio.sleep(self.retry_seconds)


class HttpSmsClient:
    """Shared by the gateways' REST clients: one aiohttp session, errors as ``SendError``."""

    timeout_seconds = 10

    def __init__(self) -> None:
        self._session = None

    async def _post(self, url: str, **kwargs) -> None:
        import aiohttp  # imported here: the session must be made inside the server's loop

        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout_seconds))
        try:
            async with self._session.post(url, **kwargs) as response:
                if response.status >= 300:
                    # The body is not logged: gateways echo the recipient's number in errors.
                    raise SendError(f"HTTP {response.status}", retry_now=_worth_retrying_now(response.status))
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            raise SendError(f"{type(error).__name__}: gateway not reachable") from error

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


def _worth_retrying_now(status: int) -> bool:
    # A rejected request (bad token, bad number) fails the same way at once;
    # it waits in the outbox instead, where a fixed setting lets it through.
    return status >= 500 or status in (408, 429)
