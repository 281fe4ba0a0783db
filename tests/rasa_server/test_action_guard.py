"""A down or slow action server gets the resident an apology, not silence."""
import asyncio

import pytest
from aiohttp import web
from rasa.core.actions.action import RemoteAction
from rasa.core.channels import CollectingOutputChannel
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_server import action_guard
from bot.config import PROJECT_ROOT


@pytest.fixture(scope="module")
def domain():
    return Domain.load(PROJECT_ROOT / "domain.yml")


@pytest.fixture(autouse=True)
def guard():
    action_guard.install()
    yield
    RemoteAction.run = action_guard._original_run


async def run_action(url, domain):
    action = RemoteAction("action_answer", EndpointConfig(url))
    tracker = DialogueStateTracker("resident", domain.slots)
    return await action.run(CollectingOutputChannel(), None, tracker, domain)


def assert_apology(events):
    assert len(events) == 1 and isinstance(events[0], BotUttered)
    assert "Undskyld" in events[0].text and "56 67 67 67" in events[0].text


async def test_action_server_down(domain, unused_tcp_port):
    assert_apology(await run_action(f"http://127.0.0.1:{unused_tcp_port}/webhook", domain))


async def test_action_server_error(domain, aiohttp_server):
    async def fail(request):
        return web.Response(status=500, text="boom")

    app = web.Application()
    app.router.add_post("/webhook", fail)
    server = await aiohttp_server(app)
    assert_apology(await run_action(str(server.make_url("/webhook")), domain))


async def test_action_server_too_slow(domain, aiohttp_server, monkeypatch):
    monkeypatch.setenv("ACTION_TIMEOUT_SECONDS", "0.3")

    async def slow(request):
        await asyncio.sleep(5)
        return web.json_response({"events": [], "responses": []})

    app = web.Application()
    app.router.add_post("/webhook", slow)
    server = await aiohttp_server(app)
    assert_apology(await run_action(str(server.make_url("/webhook")), domain))


async def test_a_working_action_server_is_untouched(domain, aiohttp_server):
    async def ok(request):
        return web.json_response({"events": [], "responses": [{"text": "Svar"}]})

    app = web.Application()
    app.router.add_post("/webhook", ok)
    server = await aiohttp_server(app)
    events = await run_action(str(server.make_url("/webhook")), domain)
    assert [e.text for e in events] == ["Svar"]
