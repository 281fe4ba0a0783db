"""Starting and stopping services; the endpoints file Rasa is started with."""
import signal
import subprocess

import pytest
import yaml

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


def test_endpoints_name_a_redis_lock_store_when_lock_store_url_is_set(tmp_path):
    env = {"LOCK_STORE_URL": "redis://cache.internal:6380/2", "LOCK_STORE_PASSWORD": "s3cret"}
    path = services.endpoints_file("http://actions.internal:5055/webhook", tmp_path, env)

    endpoints = yaml.safe_load(path.read_text())
    assert endpoints["action_endpoint"]["url"] == "http://actions.internal:5055/webhook"
    assert endpoints["tracker_store"]["type"] == "bot.rasa_server.conversation_store.ConversationStore"
    assert endpoints["lock_store"] == {"type": "bot.rasa_server.lock_store.RedisLockStore", "url": "cache.internal", "port": 6380, "db": 2,
                                       "key_prefix": "koege", "password": "${LOCK_STORE_PASSWORD}"}
    assert "s3cret" not in path.read_text()  # Rasa reads the secret from the environment


def test_without_lock_store_url_rasa_keeps_its_in_memory_lock_store(tmp_path):
    path = services.endpoints_file("http://127.0.0.1:5055/webhook", tmp_path, {})

    assert "lock_store" not in yaml.safe_load(path.read_text())


@pytest.mark.parametrize("url", ["localhost:6379", "http://localhost:6379", "redis://"])
def test_a_lock_store_url_that_is_not_redis_is_refused_with_the_setting_named(url):
    with pytest.raises(ValueError, match="LOCK_STORE_URL"):
        services.lock_store_section({"LOCK_STORE_URL": url})
