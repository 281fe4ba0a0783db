"""The web app's readiness check, per part, against stand-in servers and real stores."""
from aiohttp import web

from bot.config import PrivacySettings
from bot.services import free_port
from bot.web import WebConfig, create_app


def _stand_in(ready: bool) -> web.Application:
    """A Rasa server's readiness route and an action server's health route, as they answer."""
    app = web.Application()

    async def rasa_ready(request):
        if ready:
            return web.json_response({"ready": True, "model": "m1", "parse_ms": 3.0})
        return web.json_response({"ready": False, "detail": "Ingen model er indlæst endnu."}, status=503)

    async def actions_health(request):
        return web.json_response({"status": "ok"})

    app.router.add_get("/webhooks/ready/", rasa_ready)
    app.router.add_get("/health", actions_health)
    return app


async def _client(aiohttp_client, node_modules, answer_store, tmp_path, server_url: str, privacy=None):
    config = WebConfig(node_modules=node_modules, rasa_url=server_url, action_server_url=server_url + "/webhook")
    privacy = privacy or PrivacySettings(data_dir=tmp_path / "conversations")
    return await aiohttp_client(create_app(config, answer_store, privacy))


async def test_ready_when_every_part_is(aiohttp_client, aiohttp_server, node_modules, answer_store, tmp_path):
    servers = await aiohttp_server(_stand_in(ready=True))
    client = await _client(aiohttp_client, node_modules, answer_store, tmp_path, str(servers.make_url("")).rstrip("/"))
    response = await client.get("/health")
    body = await response.json()
    assert response.status == 200, body
    assert body["status"] == "ready"
    assert set(body["parts"]) == {"rasa_server", "action_server", "answer_store", "conversation_store"}
    assert all(part["ok"] for part in body["parts"].values())
    assert response.headers["Cache-Control"] == "no-store"


async def test_a_rasa_server_without_a_model_is_not_ready_and_says_so(
        aiohttp_client, aiohttp_server, node_modules, answer_store, tmp_path):
    servers = await aiohttp_server(_stand_in(ready=False))
    client = await _client(aiohttp_client, node_modules, answer_store, tmp_path, str(servers.make_url("")).rstrip("/"))
    response = await client.get("/health")
    body = await response.json()
    assert response.status == 503
    assert body["status"] == "not ready"
    assert body["parts"]["rasa_server"] == {"ok": False, "detail": "Ingen model er indlæst endnu.",
                                            "took_ms": body["parts"]["rasa_server"]["took_ms"]}
    assert body["parts"]["action_server"]["ok"] and body["parts"]["answer_store"]["ok"]


async def test_servers_that_are_down_are_named_while_the_admin_part_stays_ready(
        aiohttp_client, node_modules, answer_store, tmp_path):
    nothing = f"http://127.0.0.1:{free_port()}"
    client = await _client(aiohttp_client, node_modules, answer_store, tmp_path, nothing)
    response = await client.get("/health")
    body = await response.json()
    assert response.status == 503
    for part in ("rasa_server", "action_server"):
        assert body["parts"][part]["ok"] is False
        assert body["parts"][part]["detail"] == "Svarer ikke (ingen forbindelse)."
    # What the web app itself needs (the stores) is there: its own readiness holds.
    own = await client.get("/health/web")
    assert own.status == 200
    assert set((await own.json())["parts"]) == {"answer_store", "conversation_store"}
    live = await client.get("/health/live")
    assert live.status == 200 and await live.json() == {"status": "ok"}


async def test_an_unreadable_conversation_store_makes_the_app_not_ready(
        aiohttp_client, node_modules, answer_store, tmp_path):
    broken = tmp_path / "conversations.sqlite"
    broken.write_bytes(b"this is not a database" * 100)
    privacy = PrivacySettings(data_dir=tmp_path, tracker_database_url=f"sqlite:///{broken}")
    client = await _client(aiohttp_client, node_modules, answer_store, tmp_path,
                           f"http://127.0.0.1:{free_port()}", privacy=privacy)
    response = await client.get("/health/web")
    body = await response.json()
    assert response.status == 503
    assert body["parts"]["conversation_store"]["ok"] is False
    assert body["parts"]["conversation_store"]["detail"].startswith("Fejl: ")
    assert body["parts"]["answer_store"]["ok"] is True


async def test_the_answer_names_no_resident_and_no_address(aiohttp_client, node_modules, answer_store, tmp_path):
    client = await _client(aiohttp_client, node_modules, answer_store, tmp_path, f"http://127.0.0.1:{free_port()}")
    text = await (await client.get("/health")).text()
    assert "127.0.0.1" not in text and "sqlite" not in text.lower()
