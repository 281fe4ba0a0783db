"""The load benchmark's residents, briefly, against the real servers: any
error under a little load (HTTP error, timeout, empty reply, the action
server's apology) fails the build. Full figures: `python -m bench.load`."""
import pytest

from bench.residents import Level, load

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("channel", ["rest", "socketio"])
async def test_ten_residents_get_every_answer(assistant, channel):
    tally = await load(assistant.url, channel, Level(residents=10, max_pause=1), seconds=8)

    assert tally.errors == {}
    assert len(tally.latencies_ms) >= 20  # the residents really talked
