"""Start, watch and stop the assistant's server processes.

Used by ``python -m bot run`` (what ``make run`` calls) and by the integration
tests, so both start the servers the same way.
"""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Tuple
from urllib.parse import urlsplit

import yaml

from bot.config import PROJECT_ROOT, SMS_CHANNELS, AnswerStoreSettings, action_server_url

BIN = Path(sys.executable).parent
STOP_GRACE_SECONDS = 15
# Conversations survive restarts; where they are kept comes from the environment (bot/config.py).
TRACKER_STORE_SECTION = "tracker_store:\n  type: bot.rasa_server.conversation_store.ConversationStore\n"


def prepare_answer_store(env: Optional[Mapping[str, str]] = None) -> bool:
    """Migrate and (the first time) seed the answer store the services will use.

    Done once before the services start, so two processes never race to do it.
    Returns whether any staff account exists.
    """
    from bot.answer_store import AnswerStore  # imports SQLAlchemy and Alembic: only when needed

    store = AnswerStore.open(AnswerStoreSettings.from_env({**os.environ, **(env or {})}))
    try:
        return bool(store.staff.list())
    finally:
        store.close()


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Service:
    name: str
    command: List[str]
    health_url: str
    env: Dict[str, str] = field(default_factory=dict)
    process: Optional[subprocess.Popen] = None
    cwd: Path = PROJECT_ROOT  # another checkout serves its own code (bench: an earlier commit)

    def start(self, log=None) -> None:
        self.process = subprocess.Popen(
            self.command,
            cwd=self.cwd,
            env={**os.environ, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT if log else None,
            start_new_session=True,  # Ctrl-C reaches us; we stop the children in order
        )

    def exited(self) -> Optional[int]:
        return None if self.process is None else self.process.poll()

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.health_url, timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, OSError):
            return False

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # The process may exit on its own between poll() and a signal: then
        # killpg finds no process group, which is what stopping wants anyway.
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            self.process.poll()  # collect its exit status
            return
        try:
            self.process.wait(STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait()


def lock_store_section(env: Mapping[str, str]) -> str:
    """Rasa's Redis lock store from ``LOCK_STORE_URL`` (redis://host[:port][/db]) and
    ``LOCK_STORE_PASSWORD`` (kept out of the file: Rasa reads it from the environment).

    Needed as soon as more than one Rasa process serves the same conversations
    (several Sanic workers, or several servers behind a proxy): the lock keeps one
    conversation's turns in order across them. Empty: Rasa's in-memory lock store.
    """
    url = env.get("LOCK_STORE_URL", "")
    if not url:
        return ""
    parsed = urlsplit(url)
    if parsed.scheme not in ("redis", "rediss") or not parsed.hostname:
        raise ValueError(f"LOCK_STORE_URL must look like redis://host:6379/0, not {url!r}")
    lines = [
        "lock_store:", "  type: bot.rasa_server.lock_store.RedisLockStore",
        f"  url: {parsed.hostname}", f"  port: {parsed.port or 6379}", f"  db: {parsed.path.strip('/') or 0}",
        "  key_prefix: koege",
    ]
    if env.get("LOCK_STORE_PASSWORD"):
        lines.append("  password: ${LOCK_STORE_PASSWORD}")
    if parsed.scheme == "rediss":
        lines.append("  use_ssl: true")
    return "\n".join(lines) + "\n"


def endpoints_file(action_url: str, directory: Path, env: Mapping[str, str]) -> Path:
    """An endpoints.yml pointing Rasa at the action server, the conversation
    store and (when ``LOCK_STORE_URL`` is set) a Redis lock store."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"endpoints-{urlsplit(action_url).port}.yml"
    path.write_text(
        f'action_endpoint:\n  url: "{action_url}"\n' + TRACKER_STORE_SECTION
        + lock_store_section(env),
        encoding="utf-8",
    )
    return path


def credentials_file(directory: Path, env: Mapping[str, str], root: Path = PROJECT_ROOT) -> Path:
    """credentials.yml plus a section for each SMS channel whose settings are
    in ``env``. Values are written as ``${VAR}``: Rasa reads them from the
    environment, so no secret lands on disk, and an unset one cannot stop it."""
    base = (root / "credentials.yml").read_text(encoding="utf-8")
    configured = yaml.safe_load(base) or {}
    sections = [
        f"{channel.channel_class}:\n" + "".join(f"  {key}: {value}\n" for key, value in channel.credentials(env).items())
        for channel in SMS_CHANNELS
        if channel.enabled(env) and channel.channel_class not in configured
    ]
    text = base.rstrip("\n") + "\n"
    if sections:
        text += "\n# Added at start-up: SMS channels whose environment variables are set.\n" + "".join(sections)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "credentials.yml"
    path.write_text(text, encoding="utf-8")
    return path


def write_rasa_files(directory: Path, env: Optional[Mapping[str, str]] = None) -> Tuple[Path, Path]:
    """``credentials.yml`` and ``endpoints.yml`` for a Rasa server started by a service
    manager (deploy/systemd/), under names that never change, from the same settings
    ``make run`` uses."""
    env = {**os.environ, **(env or {})}
    credentials = credentials_file(directory, env)
    endpoints = endpoints_file(action_server_url(env, int(env.get("ACTION_PORT", "5055"))), directory, env)
    # endpoints_file names its file after the action server's port (make run and the
    # tests keep several side by side); a unit file needs one fixed name.
    return credentials, endpoints.replace(directory / "endpoints.yml")


def rasa_ready_path(root: Path = PROJECT_ROOT) -> str:
    """The Rasa server's readiness route: 200 once the model is loaded and parses
    (bot/rasa_server/readiness.py). An earlier checkout (a bench baseline) without it: ``/``."""
    return "/webhooks/ready/" if (root / "bot" / "rasa_server" / "readiness.py").is_file() else "/"


def assistant_services(
    rasa_port: int = 5005,
    action_port: int = 5055,
    model: Path = PROJECT_ROOT / "models",
    work_dir: Path = PROJECT_ROOT / ".cache" / "run",
    env: Optional[Dict[str, str]] = None,
    host: str = "0.0.0.0",
    root: Path = PROJECT_ROOT,
) -> List[Service]:
    env = env or {}
    action_url = action_server_url({**os.environ, **env}, action_port)
    actions = Service(
        "action server",
        [str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(action_port)],
        f"http://127.0.0.1:{action_port}/health",
        env,
        cwd=root,
    )
    rasa = Service(
        "Rasa server",
        [
            str(BIN / "python"), "-m", "bot.rasa_server", "run",
            "--model", str(model),
            "--interface", host,
            "--port", str(rasa_port),
            "--credentials", str(credentials_file(work_dir, {**os.environ, **env}, root)),
            "--endpoints", str(endpoints_file(action_url, work_dir, {**os.environ, **env})),
            "--cors", "*",
        ],
        f"http://127.0.0.1:{rasa_port}{rasa_ready_path(root)}",
        env,
        cwd=root,
    )
    return [actions, rasa]


def web_service(web_port: int = 8000, server_url: Optional[str] = None, env: Optional[Dict[str, str]] = None,
                host: str = "0.0.0.0") -> Service:
    """The web app (widget files, demo page); ``server_url`` is the Rasa server the widget talks to."""
    web_env = {**(env or {}), "WEB_PORT": str(web_port), "WEB_HOST": host}
    if server_url:
        web_env["WIDGET_SERVER_URL"] = server_url
    # Its own parts (the stores); /health, every part, is what says the whole assistant is ready.
    return Service("web app", [sys.executable, "-m", "bot", "web"], f"http://127.0.0.1:{web_port}/health/web",
                   web_env)


def wait_until_healthy(services: List[Service], timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    pending = list(services)
    while pending:
        for service in list(pending):
            code = service.exited()
            if code is not None:
                raise RuntimeError(f"The {service.name} stopped while starting (exit code {code}).")
            if service.healthy():
                pending.remove(service)
        if time.monotonic() > deadline:
            raise TimeoutError(f"Not ready after {timeout:.0f} s: {', '.join(s.name for s in pending)}")
        if pending:
            time.sleep(0.5)


def stop_all(services: List[Service]) -> None:
    for service in reversed(services):
        service.stop()
