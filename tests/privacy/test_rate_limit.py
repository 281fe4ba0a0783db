"""One sender that floods is slowed down alone."""
from bot.privacy.rate_limit import RateLimiter


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_a_burst_then_the_steady_rate():
    clock = Clock()
    limiter = RateLimiter(burst=3, per_minute=60, clock=clock)
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    clock.now += 1  # one message a second
    assert limiter.allow("a") and not limiter.allow("a")


def test_other_senders_are_not_affected():
    limiter = RateLimiter(burst=2, per_minute=1, clock=Clock())
    while limiter.allow("flooder"):
        pass
    assert limiter.allow("neighbour")


def test_every_key_must_have_room():
    limiter = RateLimiter(burst=1, per_minute=0, clock=Clock())
    assert limiter.allow("socket:1", "session:a")
    assert not limiter.allow("socket:2", "session:a")
    assert limiter.allow("socket:2", "session:b")  # the refused call took nothing from socket:2
