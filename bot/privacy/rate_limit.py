"""Per-sender token buckets: a burst of messages, then a steady rate.

One sender (or one socket connection) that floods the server is slowed down
alone; everyone else keeps being answered. Memory stays bounded: buckets that
have refilled completely are forgotten when there are many.
"""
import time
from typing import Callable, Dict, Tuple

FORGET_FULL_BUCKETS_ABOVE = 10_000


class RateLimiter:
    def __init__(self, burst: int, per_minute: float, clock: Callable[[], float] = time.monotonic):
        self.capacity = float(max(1, burst))
        self.refill_per_second = max(per_minute, 0.0) / 60.0
        self.clock = clock
        self._buckets: Dict[str, Tuple[float, float]] = {}  # key -> (tokens, updated_at)

    def _tokens(self, key: str, now: float) -> float:
        tokens, updated_at = self._buckets.get(key, (self.capacity, now))
        return min(self.capacity, tokens + (now - updated_at) * self.refill_per_second)

    def has_room(self, *keys: str) -> bool:
        """Whether ``allow`` would let one more through now (takes nothing)."""
        now = self.clock()
        return all(self._tokens(key, now) >= 1 for key in keys if key)

    def allow(self, *keys: str) -> bool:
        """Take one message from every key's bucket; False (and take nothing) if any is empty."""
        now = self.clock()
        levels = {key: self._tokens(key, now) for key in keys if key}
        if any(level < 1 for level in levels.values()):
            return False
        for key, level in levels.items():
            self._buckets[key] = (level - 1, now)
        if len(self._buckets) > FORGET_FULL_BUCKETS_ABOVE:
            self._forget_full(now)
        return True

    def _forget_full(self, now: float) -> None:
        for key in [k for k in self._buckets if self._tokens(k, now) >= self.capacity]:
            del self._buckets[key]
