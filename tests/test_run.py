"""`python -m bot run` stops every server it started, even when told to stop twice
(make passes a SIGTERM on to it as well; people press Ctrl-C twice)."""
import os
import signal
import sys
import threading

import pytest

from bot import run
from bot.services import Service

# A server that takes a moment to shut down, as Rasa does.
SLOW_TO_STOP = ("import signal, sys, time\n"
                "signal.signal(signal.SIGTERM, lambda *_: (time.sleep(1), sys.exit(0)))\n"
                "time.sleep(60)\n")


class NoRetention:
    def __init__(self, **_):
        pass

    def run_if_due(self):
        pass


@pytest.fixture
def restore_signal_handlers():
    saved = {name: signal.getsignal(name) for name in (signal.SIGINT, signal.SIGTERM)}
    yield
    for name, handler in saved.items():
        signal.signal(name, handler)


def test_a_second_sigterm_while_stopping_leaves_no_server_running(monkeypatch, restore_signal_handlers):
    servers = [Service(name, [sys.executable, "-c", SLOW_TO_STOP], "http://127.0.0.1:1/") for name in ("a", "b", "c")]
    monkeypatch.setattr(run, "assistant_services", lambda **_: servers[:2])
    monkeypatch.setattr(run, "web_service", lambda *_: servers[2])
    monkeypatch.setattr(run, "wait_until_healthy", lambda services, **_: None)
    monkeypatch.setattr(run, "prepare_answer_store", lambda: True)
    monkeypatch.setattr(run, "DailyRetention", NoRetention)
    monkeypatch.setattr(run, "DailyReviewDigest", NoRetention)

    def signal_twice():
        os.kill(os.getpid(), signal.SIGTERM)
        threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGTERM)).start()  # arrives mid-shutdown

    threading.Timer(1.0, signal_twice).start()
    assert run.main() == 0

    assert [server.exited() for server in servers] == [0, 0, 0]
