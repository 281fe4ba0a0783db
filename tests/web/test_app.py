"""The web app through an in-process client: routes, headers, errors, settings."""
import re

import pytest
import sqlalchemy as sa
import yaml

from bot.config import PROJECT_ROOT
from bot.web import WebConfig, create_app
from bot.web.config import WebConfigError

RASA_URL = "http://rasa.example:5005"


@pytest.fixture
async def client(aiohttp_client, node_modules, answer_store):
    return await aiohttp_client(create_app(WebConfig(server_url=RASA_URL, node_modules=node_modules), answer_store))


async def test_demo_page_embeds_the_widget_with_one_script_tag(client):
    response = await client.get("/")
    html = await response.text()
    assert response.status == 200
    assert "<h1>Boligsocial Helhedsplan - Køge</h1>" in html
    tags = re.findall(r"<script[^>]*>", html)
    assert len(tags) == 1
    assert 'src="/widget/widget.js"' in tags[0] and f'data-server-url="{RASA_URL}"' in tags[0]


async def test_demo_page_lets_scripts_come_only_from_itself_and_talk_only_to_rasa(client):
    policy = (await client.get("/")).headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert f"connect-src 'self' {RASA_URL} ws://rasa.example:5005" in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize("path, content_type", [
    ("/widget/widget.js", "text/javascript"),
    ("/widget/widget.css", "text/css"),
    ("/widget/socket.io.min.js", "text/javascript"),
])
async def test_widget_files_are_served_and_always_revalidated(client, path, content_type):
    response = await client.get(path)
    assert response.status == 200
    assert response.content_type in (content_type, "application/javascript")
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


async def test_unknown_page_gets_a_danish_404_page(client):
    response = await client.get("/findes-ikke", headers={"Accept": "text/html"})
    assert response.status == 404
    assert "Siden findes ikke" in await response.text()


async def test_files_outside_the_widget_folder_are_not_served(client):
    response = await client.get("/widget/../config.py")
    assert response.status == 404


def test_missing_socketio_client_says_to_run_npm_ci(tmp_path):
    with pytest.raises(WebConfigError, match="npm ci"):
        create_app(WebConfig(node_modules=tmp_path))


@pytest.mark.parametrize("url", ["javascript:alert(1)", "localhost:5005", "http://rasa/x/", "ftp://rasa"])
def test_unusable_server_url_is_refused_with_a_clear_message(url):
    with pytest.raises(WebConfigError, match="WIDGET_SERVER_URL"):
        WebConfig.from_env({"WIDGET_SERVER_URL": url})


@pytest.mark.parametrize("page_host, expected", [
    ("localhost:8000", "http://localhost:5005"),
    ("192.168.1.20:8000", "http://192.168.1.20:5005"),
    ("[::1]:8000", "http://[::1]:5005"),
])
def test_without_a_server_url_the_widget_uses_the_pages_host(page_host, expected):
    assert WebConfig().server_url_for(page_host) == expected


def test_settings_come_from_the_environment():
    config = WebConfig.from_env({"WEB_PORT": "8080", "RASA_PORT": "5006", "WIDGET_SERVER_URL": "https://chat.koege.dk/"})
    assert (config.port, config.rasa_port, config.server_url) == (8080, 5006, "https://chat.koege.dk")


def test_welcome_buttons_ask_for_intents_the_assistant_knows_in_every_language():
    widget = (PROJECT_ROOT / "bot" / "web" / "widget" / "widget.js").read_text(encoding="utf-8")
    menus = re.findall(r"welcomeReplies: \[(.*?)\]", widget, re.DOTALL)
    intents = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))["intents"]
    assert len(menus) == 2  # Danish and English
    for menu in menus:
        payloads = re.findall(r"payload: '/(\w+)'", menu)
        assert len(payloads) == 4
        assert set(payloads) <= set(intents)
    assert "choose_language" in intents and "/choose_language{" in widget


def test_the_widget_speaks_danish_and_english_with_the_same_texts():
    widget = (PROJECT_ROOT / "bot" / "web" / "widget" / "widget.js").read_text(encoding="utf-8")
    tables = re.findall(r"^    (da|en): \{\n(.*?)^    \}", widget, re.DOTALL | re.MULTILINE)
    keys = {code: set(re.findall(r"^      (\w+):", body, re.MULTILINE)) for code, body in tables}
    assert set(keys) == {"da", "en"} and keys["da"] == keys["en"] and "welcome" in keys["da"]


# --- whom to call comes from the answer data ---------------------------------------


def change_fallback_phone(answer_store, phone: str) -> None:
    stored = next(s for s in answer_store.entries.all() if s.entry.fallback_contact)
    answer_store.entries.update(stored.id, {**stored.data, "phone": phone}, stored.version, "anna")


async def test_the_widget_error_pages_and_privacy_page_give_the_fallback_contact_staff_keep(client, answer_store):
    widget = await (await client.get("/widget/widget.js")).text()
    assert 'var CONTACT = {"name": "K\\u00f8ge Kommune", "phone": "56 67 67 67"};' in widget
    change_fallback_phone(answer_store, "56 67 00 00")
    widget = await (await client.get("/widget/widget.js")).text()
    assert '"phone": "56 67 00 00"' in widget and "CONTACT.phone" in widget
    assert widget.count("56 67 67 67") == 0
    privacy = await (await client.get("/privatliv")).text()
    assert 'href="tel:+4556670000">56 67 00 00</a>' in privacy


async def test_an_error_page_gives_the_number_also_when_the_answer_store_is_down(aiohttp_client, node_modules,
                                                                                answer_store, monkeypatch):
    app = create_app(WebConfig(server_url=RASA_URL, node_modules=node_modules), answer_store)

    async def broken(request):
        raise RuntimeError("boom")

    def store_down():
        raise sa.exc.OperationalError("SELECT revision", {}, Exception("database is locked"))

    app.router.add_get("/fejl", broken)
    client = await aiohttp_client(app)
    monkeypatch.setattr(answer_store.entries, "revision", store_down)  # down before anything was read
    for accept, said in (("text/html", "ring til Køge Kommune på 56 67 67 67"),
                         ("application/json", "ring til K\\u00f8ge Kommune p\\u00e5 56 67 67 67")):
        response = await client.get("/fejl", headers={"Accept": accept})
        assert response.status == 500 and said in await response.text()
