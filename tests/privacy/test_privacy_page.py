"""The privacy page residents reach from the widget: what, why, how long, whom to ask."""
import pytest

from bot.config import PROJECT_ROOT, PrivacySettings
from bot.web import WebConfig, create_app


@pytest.fixture
def open_page(aiohttp_client, node_modules, answer_store, tmp_path):
    async def open_with(retention_days: float):
        app = create_app(WebConfig(server_url="http://rasa.example:5005", node_modules=node_modules), answer_store,
                         PrivacySettings(data_dir=tmp_path, retention_days=retention_days))
        return await (await aiohttp_client(app)).get("/privatliv")

    return open_with


async def test_the_page_says_what_why_how_long_and_whom_to_ask(open_page):
    response = await open_page(30)
    html = await response.text()
    assert response.status == 200
    assert '<html lang="da">' in html
    for words in ("CPR-nummer", "Hvad gemmer vi?", "Hvorfor?", "30 dage", "Køge Kommune",
                  "raadhus@koege.dk", "56 67 67 67"):
        assert words in html


async def test_the_page_follows_the_retention_setting(open_page):
    assert "14 dage" in await (await open_page(14)).text()


def test_the_widget_links_to_the_page_beside_it():
    widget = (PROJECT_ROOT / "bot" / "web" / "widget" / "widget.js").read_text(encoding="utf-8")
    assert "new URL('../privatliv', base)" in widget
    assert "Sådan passer vi på dine oplysninger" in widget


async def test_the_page_says_what_a_callback_request_keeps_and_for_how_long(open_page):
    html = await (await open_page(14)).text()
    assert "Hvis du beder om at blive ringet op" in html
    assert "fornavn" in html and "kun, hvis du svarer ja" in html and "slettet automatisk efter 14 dage" in html
