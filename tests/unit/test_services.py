"""Stopping a service whose process exits on its own at the same moment."""
import signal
import subprocess

from bot import services
from bot.services import Service


class ExitingProcess:
    """A process that is still running at ``poll()`` but gone when signalled;
    with ``slow_to_stop`` it also outlives the grace period first."""

    pid = 4242

    def __init__(self, slow_to_stop=False):
        self.slow_to_stop = slow_to_stop
        self.waits = 0

    def poll(self):
        return None

    def wait(self, timeout=None):
        self.waits += 1
        if self.slow_to_stop and timeout is not None:
            raise subprocess.TimeoutExpired("rasa", timeout)
        return 0


def service(process):
    return Service(name="rasa", command=["rasa"], health_url="http://127.0.0.1:1/", process=process)


def test_a_process_gone_before_sigterm_is_no_error(monkeypatch):
    def gone(pid, sig):
        raise ProcessLookupError(pid)

    monkeypatch.setattr(services.os, "killpg", gone)
    service(ExitingProcess()).stop()


def test_a_process_gone_before_sigkill_is_no_error(monkeypatch):
    sent = []

    def killpg(pid, sig):
        sent.append(sig)
        if sig == signal.SIGKILL:
            raise ProcessLookupError(pid)

    monkeypatch.setattr(services.os, "killpg", killpg)
    process = ExitingProcess(slow_to_stop=True)
    service(process).stop()
    assert sent == [signal.SIGTERM, signal.SIGKILL]
    assert process.waits == 2  # the exit is still collected
