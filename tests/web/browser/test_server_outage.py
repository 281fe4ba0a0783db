"""The Rasa server goes away and comes back: the resident is told, and nothing is lost.

The only browser test that stops a server: it restarts the stack's own Rasa
server on the same port and waits until it is healthy again, whatever happens.
"""
import pytest
from playwright.sync_api import expect

from bot.services import wait_until_healthy
from tests.web.browser.conftest import Widget

RESTART_TIMEOUT_S = 300


@pytest.fixture
def rasa_server(stack):
    rasa = next(s for s in stack["services"] if s.name == "Rasa server")
    log = open(stack["logs"] / "Rasa-server-restarted.log", "ab")
    yield rasa
    try:
        if rasa.exited() is not None or not rasa.healthy():
            rasa.stop()
            rasa.start(log=log)
        wait_until_healthy([rasa], timeout=RESTART_TIMEOUT_S)
    finally:
        log.close()


def test_outage_shows_a_danish_message_keeps_the_text_and_recovers(demo: Widget, rasa_server, stack):
    demo.open()
    assert "jobplaneten.dk" in demo.ask("hvad er jobplaneten")

    rasa_server.stop()
    expect(demo.notice).to_be_visible(timeout=30_000)
    expect(demo.notice).to_contain_text("ingen forbindelse")
    expect(demo.notice.locator('a[href="tel:+4556676767"]')).to_have_text("56 67 67 67")

    demo.input.fill("hvad er get2sport")
    demo.input.press("Enter")
    expect(demo.input_error).to_contain_text("Beskeden er ikke sendt")
    expect(demo.input).to_have_value("hvad er get2sport")  # the typed text stays

    with open(stack["logs"] / "Rasa-server-restarted.log", "ab") as log:
        rasa_server.start(log=log)
    wait_until_healthy([rasa_server], timeout=RESTART_TIMEOUT_S)

    demo.wait_until_connected()  # the widget reconnects by itself
    expect(demo.notice).to_be_hidden()
    expect(demo.input_error).to_be_hidden()
    expect(demo.input).to_have_value("hvad er get2sport")
    before = demo.bot_messages.count()
    demo.input.press("Enter")
    assert "Get2Sport" in demo.wait_for_answer(before)
