"""Rasa's Redis lock store, with the ticket of a waiting turn kept alive.

Rasa 3.6's ticket lock lets every ticket expire ``TICKET_LOCK_LIFETIME`` seconds
after it was issued, also the ticket of a turn that is still waiting. A waiter
whose own ticket expired waits for ever: the lock then holds no ticket, and
"now serving" (0) is never its number. It happens when a Rasa server dies
mid-turn and the proxy retries the turn on another server at once: the dead
turn's ticket and the retried turn's ticket, issued within a second of each
other, expire within the same one-second poll, and the retried turn hangs
until the proxy gives up. Here a waiting turn renews its own ticket at every
poll, so its ticket lives as long as the turn does; a dead server's tickets
still expire.

In endpoints.yml: ``lock_store: {type: bot.rasa_server.lock_store.RedisLockStore, url: ..., port: ...}``.
"""
import asyncio
import time
from collections import deque
from typing import Text

from rasa.core import lock_store
from rasa.core.lock import Ticket, TicketLock
from rasa.utils.endpoints import EndpointConfig


class RedisLockStore(lock_store.RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        # Rasa builds a custom lock store from its endpoint config, its own one from url and kwargs.
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    async def _acquire_lock(self, conversation_id: Text, ticket: int, wait_time_in_seconds: float) -> TicketLock:
        while True:
            lock = self.get_lock(conversation_id)
            if not lock:  # deleted: no one seemed to be waiting (as in Rasa)
                break
            if not lock.is_locked(ticket):
                return lock
            await asyncio.sleep(wait_time_in_seconds)
            self._renew(conversation_id, ticket)  # Rasa: only drops expired tickets
        raise lock_store.LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")

    def _renew(self, conversation_id: Text, number: int) -> None:
        """Drops expired tickets and gives this turn's ticket a full lifetime again."""
        lock = self.get_lock(conversation_id)
        if lock is None:
            return
        lock.remove_expired_tickets()
        expires = time.time() + lock_store.LOCK_LIFETIME
        tickets = [t for t in lock.tickets if t.number != number] + [Ticket(number, expires)]
        lock.tickets = deque(sorted(tickets, key=lambda t: t.number))
        self.save_lock(lock)
