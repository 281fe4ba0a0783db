"""Shared fixtures. The server stack starts only when a test asks for it."""
import json
import os
from pathlib import Path
import urllib.request

import pytest

from bench.models import SERVED_MODEL
from bot.config import PROJECT_ROOT, AnswerStoreSettings, forget_settings
from bot.answer_store import AnswerStore
from bot.knowledge import load_directory
from bot.services import (assistant_services, free_port, prepare_answer_store, stop_all, wait_until_healthy,
                          web_service)

from tests.channels.fake_gateway import FakeGateway, sms_environment
from bench.servers.nginx import NginxServer, binary as nginx_binary
from bench.servers.redis import RedisServer, binary as redis_binary
from bench.servers.postgres import PostgresServer, binaries
from tests.senders import new_sender_id


@pytest.fixture(autouse=True)
def settings_read_afresh():
    """Each test is a process of its own as far as settings go: what it sets with
    monkeypatch.setenv before the code reads a setting is what the code sees."""
    forget_settings()
    yield
    forget_settings()

KNOWLEDGE_DIR = PROJECT_ROOT / "data" / "knowledge"
MODEL = SERVED_MODEL


@pytest.fixture(scope="session")
def kb():
    """The real answer data, as residents get it."""
    return load_directory(KNOWLEDGE_DIR)


class Assistant:
    def __init__(self, rasa_port: int):
        self.url = f"http://127.0.0.1:{rasa_port}"

    def ask(self, sender: str, message: str, timeout: float = 30) -> list:
        body = json.dumps({"sender": sender, "message": message}).encode()
        request = urllib.request.Request(
            f"{self.url}/webhooks/rest/webhook", body, {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())

    def text(self, sender: str, message: str) -> str:
        return "\n".join(m.get("text", "") for m in self.ask(sender, message))


def privacy_environment(work) -> dict:
    """Conversations, answer store and hashing key in the test's own folder, never in var/."""
    return {"DATA_DIR": str(work / "var"), "TRACKER_DATABASE_URL": "", "DATABASE_URL": "", "PRIVACY_KEY": "test-key"}


# The stack's live chat is always open, so that residents can ask for a staff member in any test.
LIVE_CHAT_ENVIRONMENT = {"LIVE_CHAT_HOURS": "always"}


def stack_store_settings(work) -> AnswerStoreSettings:
    return AnswerStoreSettings(data_dir=work / "var", seed_dir=KNOWLEDGE_DIR)


@pytest.fixture(scope="session")
def stack_store(stack):
    """The answer store the stack's action server and web app use (add staff, read entries)."""
    store = AnswerStore.open(stack_store_settings(stack["work"]))
    yield store
    store.close()


@pytest.fixture(scope="session")
def fake_gateway():
    """Stand-in for GatewayAPI's and Twilio's send APIs; records what is sent."""
    gateway = FakeGateway().start()
    yield gateway
    gateway.stop()


@pytest.fixture(scope="session")
def stack(tmp_path_factory, fake_gateway):
    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run `make train` (make test does it for you).")
    work = tmp_path_factory.mktemp("stack")
    rasa_port, action_port = free_port(), free_port()
    prepare_answer_store(privacy_environment(work))
    # One Rasa server for every test: its SMS channels are always on, sending to the fake gateway.
    services = assistant_services(
        rasa_port=rasa_port, action_port=action_port, model=MODEL, work_dir=work, host="127.0.0.1",
        env={**sms_environment(fake_gateway, work / "sms"), **privacy_environment(work), **LIVE_CHAT_ENVIRONMENT},
    )
    logs = {s.name: open(work / f"{s.name.replace(' ', '-')}.log", "wb") for s in services}
    try:
        for service in services:
            service.start(log=logs[service.name])
        wait_until_healthy(services, timeout=300)
        yield {"assistant": Assistant(rasa_port), "services": services, "logs": work, "work": work}
    finally:
        stop_all(services)
        for log in logs.values():
            log.close()


@pytest.fixture(scope="session")
def web(stack):
    """The web app (widget, demo page) on loopback; its widget talks to the stack's Rasa server."""
    service = web_service(free_port(), server_url=stack["assistant"].url, host="127.0.0.1",
                          env={**privacy_environment(stack["work"]), **LIVE_CHAT_ENVIRONMENT})
    with open(stack["logs"] / "web-app.log", "wb") as log:
        try:
            service.start(log=log)
            wait_until_healthy([service], timeout=60)
            yield service.health_url.rsplit("/health", 1)[0]
        finally:
            service.stop()


@pytest.fixture(scope="session")
def assistant(stack):
    return stack["assistant"]


def _missing(message: str) -> None:
    """A server the tests need is not installed: skipped locally, a failure in CI (where .ci/run installs it)."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server for the tests that must run on it too."""
    bin_dir = binaries()
    if bin_dir is None:
        _missing("PostgreSQL is not installed (apt-get install postgresql; .ci/run does it)")
    server = PostgresServer(bin_dir, free_port()).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis():
    """A Redis server (Rasa's lock store when several Rasa servers share conversations)."""
    binary = redis_binary()
    if binary is None:
        _missing("Redis is not installed (apt-get install redis-server; .ci/run does it)")
    server = RedisServer(binary, free_port()).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def nginx():
    """Makes nginx servers on free loopback ports; each test module writes its own
    configuration (``server.start(http_block)``). All are stopped at the end."""
    binary = nginx_binary()
    if binary is None:
        _missing("nginx is not installed (apt-get install nginx; .ci/run does it)")
    servers = []

    def new_server() -> NginxServer:
        servers.append(NginxServer(binary, free_port()))
        return servers[-1]

    yield new_server
    for server in servers:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def answer_store_on_both(request, tmp_path):
    """A fresh answer store on SQLite, and again on PostgreSQL: for the store's own tests."""
    url = request.getfixturevalue("postgres").new_database() if request.param == "postgresql" else ""
    store = AnswerStore.open(AnswerStoreSettings(data_dir=tmp_path, database_url=url, seed_dir=KNOWLEDGE_DIR))
    yield store
    store.close()


@pytest.fixture
def answer_store(tmp_path):
    """A fresh answer store in its own SQLite file, seeded from data/knowledge."""
    store = AnswerStore.open(AnswerStoreSettings(data_dir=tmp_path / "answer-store", seed_dir=KNOWLEDGE_DIR))
    yield store
    store.close()


@pytest.fixture
def node_modules(tmp_path):
    """A stand-in for the npm folder: the web app only checks the client file is there."""
    dist = tmp_path / "node_modules" / "socket.io-client" / "dist"
    dist.mkdir(parents=True)
    (dist / "socket.io.min.js").write_text("/* socket.io client */")
    return tmp_path / "node_modules"


@pytest.fixture
def sender():
    return new_sender_id("test")


BROWSER_TESTS = PROJECT_ROOT / "tests" / "web" / "browser"


def pytest_collection_modifyitems(items):
    """Browser tests last: Playwright's sync API keeps an event loop running
    in the main thread while its browser is open, and asyncio tests after it
    would fail with "cannot be called from a running event loop"."""
    items.sort(key=lambda item: BROWSER_TESTS in Path(str(item.fspath)).parents)
