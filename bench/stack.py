"""Serve a model with the real action server and Rasa server on loopback."""
import contextlib
import os
import subprocess
import sys
import json
import tempfile
import time
import urllib.request
from pathlib import Path
from dataclasses import dataclass
from typing import Dict, Iterator, List, Optional

from bot.config import PROJECT_ROOT
from bot.services import (Service, assistant_services, free_port, prepare_answer_store, stop_all, wait_until_healthy,
                          web_service)


class RestClient:
    def __init__(self, rasa_port: int, services: Optional[List[Service]] = None):
        self.base_url = f"http://127.0.0.1:{rasa_port}"
        self.url = f"{self.base_url}/webhooks/rest/webhook"
        self.services = services or []  # the processes serving it (their memory is measured)

    def turn(self, sender: str, text: str) -> (List[Dict], float):
        """The bot's messages and the turn's duration in milliseconds."""
        body = json.dumps({"sender": sender, "message": text}).encode()
        request = urllib.request.Request(self.url, body, {"Content-Type": "application/json"})
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as response:
            messages = json.loads(response.read())
        return messages, (time.perf_counter() - start) * 1000


def isolated_env(work: Path, env: Optional[Dict[str, str]] = None, root: Path = PROJECT_ROOT) -> Dict[str, str]:
    """Conversations and a freshly seeded answer store in ``work``, never in var/;
    seeded by ``root``'s own code (an earlier commit's store has its own schema)."""
    env = {"DATA_DIR": str(work / "var"), "DATABASE_URL": "", "TRACKER_DATABASE_URL": "", **(env or {})}
    if root == PROJECT_ROOT:
        prepare_answer_store(env)
    else:
        subprocess.run([sys.executable, "-c", "from bot.services import prepare_answer_store; prepare_answer_store()"],
                       cwd=root, env={**os.environ, **env}, check=True)
    return env


@contextlib.contextmanager
def running(services: List[Service], work: Path) -> Iterator[None]:
    """Start ``services`` (output to work/servers.log), wait until they answer, stop them at the end."""
    with open(work / "servers.log", "ab") as log:
        try:
            for service in services:
                service.start(log=log)
            wait_until_healthy(services, timeout=600)
            yield
        finally:
            stop_all(services)


@contextlib.contextmanager
def serving(model: Path, env: Optional[Dict[str, str]] = None, root: Path = PROJECT_ROOT) -> Iterator[RestClient]:
    """``root``: the checkout whose actions, components and answer data serve ``model``."""
    rasa_port, action_port = free_port(), free_port()
    if root != PROJECT_ROOT:
        env = {**(env or {}), "PYTHONPATH": str(root), "KNOWLEDGE_DIR": str(root / "data" / "knowledge")}
    with tempfile.TemporaryDirectory() as work:
        env = isolated_env(Path(work), env, root)
        services = assistant_services(
            rasa_port=rasa_port, action_port=action_port, model=model, work_dir=Path(work),
            env=env, host="127.0.0.1", root=root,
        )
        with running(services, Path(work)):
            yield RestClient(rasa_port, services)


@dataclass(frozen=True)
class Stack:
    rest: RestClient
    rasa_url: str
    web_url: str
    env: Dict[str, str]


@contextlib.contextmanager
def serving_with_web(model: Path, env: Optional[Dict[str, str]] = None) -> Iterator[Stack]:
    """Action server, Rasa server and web app (widget, admin) on loopback, with
    an answer store and conversations of their own (and ``env`` for all three)."""
    rasa_port, action_port, web_port = free_port(), free_port(), free_port()
    with tempfile.TemporaryDirectory() as work:
        env = isolated_env(Path(work), env)
        rasa_url = f"http://127.0.0.1:{rasa_port}"
        services = assistant_services(rasa_port=rasa_port, action_port=action_port, model=model,
                                      work_dir=Path(work), host="127.0.0.1", env=env)
        services.append(web_service(web_port, server_url=rasa_url, host="127.0.0.1", env=env))
        with running(services, Path(work)):
            yield Stack(RestClient(rasa_port, services), rasa_url, f"http://127.0.0.1:{web_port}", env)
