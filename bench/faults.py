"""An operator's bad day: run the assistant as ``python -m bot run`` does, kill
its servers with SIGKILL, and time how long until residents get answers again.

Shared by the fault test (tests/assistant/test_fault_tolerance.py) and the
benchmark (``python -m bench.restarts``).
"""
import collections
import contextlib
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Counter, Dict, Iterator, List, Optional

from bot.config import PROJECT_ROOT
from bot.knowledge.answers import say
from bot.services import free_port

# How each server shows in its command line (bot/services.py).
SERVER_COMMANDS = {
    "Rasa server": "-m bot.rasa_server run",
    "action server": "run actions",
    "web app": "-m bot web",
}
START_TIMEOUT_S = 300


@dataclass
class Reply:
    kind: str  # "answer", "apology" (the Danish one), "no connection", "error", "silence"
    text: str = ""


@dataclass
class RunningAssistant:
    process: subprocess.Popen
    rasa_port: int
    web_port: int
    data_dir: Path
    log: Path

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def turn(self, sender: str, text: str, timeout: float = 30) -> Reply:
        """One message on the REST channel, sorted by what the resident got."""
        body = json.dumps({"sender": sender, "message": text}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook", body,
                                         {"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                messages = json.loads(response.read())
        except urllib.error.HTTPError as error:
            return Reply("error", f"HTTP {error.code}")
        except (urllib.error.URLError, ConnectionError, http.client.HTTPException, TimeoutError, OSError):
            # The widget shows its own Danish "no connection" text and reconnects.
            return Reply("no connection")
        text = "\n".join(m.get("text", "") for m in messages if m.get("text"))
        if not text:
            return Reply("silence")
        return Reply("apology" if say("service_down") in text else "answer", text)

    def web_ready(self) -> bool:
        try:
            with urllib.request.urlopen(self.web_url + "/health/web", timeout=3) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, http.client.HTTPException, OSError):
            return False

    def pid_of(self, server: str) -> int:
        """The process id of one of ``python -m bot run``'s servers, as it is now."""
        marker = SERVER_COMMANDS[server]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        for child in children:
            with contextlib.suppress(OSError):
                command = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()
                if marker in command:
                    return int(child)
        raise LookupError(f"No {server} running under process {self.process.pid}.")

    def kill(self, server: str) -> int:
        pid = self.pid_of(server)
        os.kill(pid, signal.SIGKILL)
        return pid


@contextlib.contextmanager
def running_assistant(work: Path, env: Optional[Dict[str, str]] = None) -> Iterator[RunningAssistant]:
    """``python -m bot run`` with its stores in ``work``, on free loopback ports, until the block ends."""
    rasa_port, action_port, web_port = free_port(), free_port(), free_port()
    environment = {
        **os.environ, "DATA_DIR": str(work / "var"), "DATABASE_URL": "", "TRACKER_DATABASE_URL": "",
        "SMS_DATA_DIR": str(work / "sms"), "PRIVACY_KEY": "fault-test-key", "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(action_port), "WEB_PORT": str(web_port), "PYTHONUNBUFFERED": "1", **(env or {}),
    }
    log = work / "run.log"
    with open(log, "wb") as output:
        process = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=PROJECT_ROOT, env=environment,
                                   stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    assistant = RunningAssistant(process, rasa_port, web_port, work / "var", log)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while b"The assistant is ready" not in log.read_bytes():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"python -m bot run did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.5)
        yield assistant
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def seconds_until(probe: Callable[[], bool], since: float, timeout: float, pause: float = 0.25) -> Optional[float]:
    """Seconds from ``since`` (a ``time.monotonic()``) until ``probe()`` holds; None after ``timeout``."""
    while time.monotonic() - since < timeout:
        if probe():
            return time.monotonic() - since
        time.sleep(pause)
    return None


class Residents:
    """Simulated residents asking questions without pause, each reply sorted by kind."""

    QUESTIONS = ("hvad er jobplaneten", "hvem kan jeg kontakte", "hvad er fælles fremtid", "hjælp til cv")

    def __init__(self, assistant: RunningAssistant, count: int = 3):
        self.assistant = assistant
        self.count = count
        self.kinds: Counter[str] = collections.Counter()
        self.odd: List[str] = []  # replies that were neither answers nor the Danish apology
        self._stop = threading.Event()
        self._threads: List[threading.Thread] = []
        self._lock = threading.Lock()

    def _resident(self, number: int) -> None:
        asked = 0
        while not self._stop.is_set():
            question = self.QUESTIONS[asked % len(self.QUESTIONS)]
            reply = self.assistant.turn(f"resident-{number}-{asked // 8}", question, timeout=20)
            with self._lock:
                self.kinds[reply.kind] += 1
                if reply.kind in ("error", "silence"):
                    self.odd.append(f"{question!r} → {reply.kind} {reply.text}")
            asked += 1
            if reply.kind == "no connection":
                time.sleep(0.5)  # as the widget waits before it reconnects

    def __enter__(self) -> "Residents":
        self._threads = [threading.Thread(target=self._resident, args=(n,), daemon=True) for n in range(self.count)]
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(30)
