"""Keep the assistant's servers running: a server that dies is started again
after a pause that grows with each crash, while the others go on serving.

Only a server that keeps crashing (``max_crashes`` within ``window_s``) stops
everything: then something is wrong that a restart does not fix, and saying
so clearly beats restarting forever. A server that ran ``stable_after_s``
without crashing starts over with the shortest pause.

Used by ``python -m bot run``; on a production VM, systemd does the same with
``Restart=on-failure`` (deploy/systemd/).
"""
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Deque, Dict, List, Optional

from bot.errors import AssistantError
from bot.services import Service


@dataclass(frozen=True)
class RestartPolicy:
    first_pause_s: float = 1.0
    max_pause_s: float = 30.0
    window_s: float = 600.0
    max_crashes: int = 5
    stable_after_s: float = 300.0


class GaveUp(AssistantError, RuntimeError):
    """A server crashed too often in too short a time; the message says which and what to do."""

    code = "server_stoppet_for_tit"


@dataclass
class _Watch:
    started_at: float
    pause_s: float = 0.0
    restart_at: Optional[float] = None
    crashes: Deque[float] = field(default_factory=deque)


def _timestamp() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S")


class Supervisor:
    def __init__(self, services: List[Service], policy: RestartPolicy = RestartPolicy(),
                 say: Callable[[str], None] = lambda line: print(line, flush=True),
                 clock: Callable[[], float] = time.monotonic):
        self.services = services
        self.policy = policy
        self.say = say
        self.clock = clock
        now = clock()
        self._watches: Dict[str, _Watch] = {service.name: _Watch(started_at=now) for service in services}

    def restarts(self, service: Service) -> int:
        """How many times ``service`` crashed within the policy's window."""
        return len(self._watches[service.name].crashes)

    def check(self) -> None:
        """Look at every server once: start those whose pause is over, schedule those
        that died. Raises ``GaveUp`` when one crashed too often."""
        now = self.clock()
        for service in self.services:
            watch = self._watches[service.name]
            if watch.restart_at is not None:
                if now >= watch.restart_at:
                    self.say(f"{_timestamp()} Starting the {service.name} again.")
                    service.start()
                    watch.restart_at, watch.started_at = None, now
                continue
            code = service.exited()
            if code is not None:
                self._crashed(service, watch, code, now)

    def _crashed(self, service: Service, watch: _Watch, code: int, now: float) -> None:
        policy = self.policy
        watch.crashes.append(now)
        while watch.crashes and now - watch.crashes[0] > policy.window_s:
            watch.crashes.popleft()
        if len(watch.crashes) >= policy.max_crashes:
            raise GaveUp(
                f"{_timestamp()} The {service.name} stopped {len(watch.crashes)} times within "
                f"{policy.window_s / 60:g} minutes (last exit code {code}); stopping everything. "
                f"Its log above says why; fix that, then start the assistant again."
            )
        ran_long = now - watch.started_at >= policy.stable_after_s
        watch.pause_s = policy.first_pause_s if ran_long or not watch.pause_s else \
            min(watch.pause_s * 2, policy.max_pause_s)
        watch.restart_at = now + watch.pause_s
        self.say(
            f"{_timestamp()} The {service.name} stopped (exit code {code}); starting it again in "
            f"{watch.pause_s:g} s (crash {len(watch.crashes)} of at most {policy.max_crashes - 1} "
            f"within {policy.window_s / 60:g} minutes). The other servers go on."
        )
