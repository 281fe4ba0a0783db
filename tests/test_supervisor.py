"""A server that dies is started again after a growing pause; one that keeps dying stops everything."""
import os
import signal
import sys
import time

import pytest

from bot.services import Service, stop_all
from bot.supervisor import GaveUp, RestartPolicy, Supervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _kill(service: Service) -> None:
    os.kill(service.process.pid, signal.SIGKILL)
    service.process.wait(10)


@pytest.fixture
def servers():
    started = [Service(name, SLEEPER, "http://127.0.0.1:1/") for name in ("Rasa server", "action server", "web app")]
    for service in started:
        service.start()
    yield started
    stop_all(started)


def test_a_killed_server_is_started_again_after_a_pause_and_the_others_keep_running(servers):
    clock, lines = Clock(), []
    supervisor = Supervisor(servers, RestartPolicy(first_pause_s=2), say=lines.append, clock=clock)
    rasa, others = servers[0], servers[1:]
    first_pid, other_pids = rasa.process.pid, [s.process.pid for s in others]
    _kill(rasa)
    supervisor.check()
    assert "The Rasa server stopped (exit code -9); starting it again in 2 s" in lines[-1]
    assert rasa.exited() == -9  # not yet: the pause first
    clock.now += 1
    supervisor.check()
    assert rasa.exited() == -9
    clock.now += 1
    supervisor.check()
    assert lines[-1].endswith("Starting the Rasa server again.")
    assert rasa.exited() is None and rasa.process.pid != first_pid
    assert [s.process.pid for s in others] == other_pids and all(s.exited() is None for s in others)


def test_the_pause_grows_with_each_crash_and_starts_over_after_a_quiet_spell(servers):
    clock, lines = Clock(), []
    policy = RestartPolicy(first_pause_s=1, max_pause_s=4, max_crashes=10, window_s=10_000, stable_after_s=300)
    supervisor = Supervisor(servers, policy, say=lines.append, clock=clock)
    web = servers[2]
    pauses = []
    for _ in range(4):
        _kill(web)
        supervisor.check()
        pauses.append(lines[-1].split("starting it again in ")[1].split(" s")[0])
        clock.now += float(pauses[-1])
        supervisor.check()
        assert web.exited() is None
    assert pauses == ["1", "2", "4", "4"]
    clock.now += 300  # ran a while without crashing
    _kill(web)
    supervisor.check()
    assert "starting it again in 1 s" in lines[-1]


def test_a_server_that_keeps_crashing_stops_everything_with_a_clear_message(servers):
    clock, lines = Clock(), []
    supervisor = Supervisor(servers, RestartPolicy(first_pause_s=1, max_crashes=3, window_s=600),
                            say=lines.append, clock=clock)
    actions = servers[1]
    for _ in range(2):
        _kill(actions)
        supervisor.check()
        clock.now += 5
        supervisor.check()
    _kill(actions)
    with pytest.raises(GaveUp, match=r"The action server stopped 3 times within 10 minutes \(last exit code -9\); "
                                     r"stopping everything"):
        supervisor.check()


def test_crashes_far_apart_never_add_up_to_giving_up(servers):
    clock = Clock()
    supervisor = Supervisor(servers, RestartPolicy(first_pause_s=1, max_crashes=2, window_s=60),
                            say=lambda _: None, clock=clock)
    for _ in range(5):
        _kill(servers[0])
        supervisor.check()
        clock.now += 61
        supervisor.check()
        assert servers[0].exited() is None
    assert supervisor.restarts(servers[0]) == 1


def test_a_server_that_exits_by_itself_is_started_again_too(servers):
    clock = Clock()
    quick = Service("web app", [sys.executable, "-c", "import sys; sys.exit(3)"], "http://127.0.0.1:1/")
    quick.start()
    quick.process.wait(10)
    lines = []
    supervisor = Supervisor([quick], RestartPolicy(first_pause_s=1), say=lines.append, clock=clock)
    supervisor.check()
    assert "The web app stopped (exit code 3)" in lines[-1]
    clock.now += 1
    supervisor.check()
    time.sleep(0.1)
    assert lines[-1].endswith("Starting the web app again.")
    quick.process.wait(10)
