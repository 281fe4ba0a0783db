"""Nothing a message contains can run code or add elements to the page."""
import pytest
from playwright.sync_api import expect

from tests.web.browser.conftest import Widget
from tests.web.browser.standin_server import StandInServer

ALLOWED_LINKS = ["https://example.dk/sti?a=1", "mailto:navn@example.dk", "tel:+4556676767", "tel:112"]
HOSTILE_FROM_RESIDENT = [
    '<img src=x onerror="window.__pwned = 1">',
    "<script>window.__pwned = 2</script>",
    '<a href="javascript:window.__pwned=3">klik</a>',
    "javascript:window.__pwned=4",
]

ELEMENTS_IN_MESSAGES = """(root) => Array.from(root.querySelectorAll('.messages *'))
    .map((node) => node.tagName.toLowerCase())
    .filter((tag) => !['div', 'span', 'a', 'ul', 'li', 'button'].includes(tag))"""
LINKS_IN_MESSAGES = "(root) => Array.from(root.querySelectorAll('.messages a')).map((a) => a.href)"


def assert_inert(widget: Widget):
    assert widget.page.evaluate("window.__pwned") is None, "a message ran a script"
    assert widget.shadow_eval(ELEMENTS_IN_MESSAGES) == [], "a message added elements"
    assert widget.page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0


@pytest.fixture
def standin():
    with StandInServer() as server:
        yield server


def embedding_page(widget_src: str, server_url: str) -> str:
    return (
        '<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Indlejret</title></head>'
        '<body><main><h1>En anden kommunes side</h1></main>'
        f'<script src="{widget_src}" data-server-url="{server_url}" data-title="Test"></script></body></html>'
    )


def test_hostile_answers_from_the_server_are_shown_as_text(standin, web, new_page):
    standin.pages["/indlejret"] = embedding_page(web + "/widget/widget.js", standin.url)
    widget = Widget(new_page(standin.url + "/indlejret")).open()

    widget.input.fill("hej")
    widget.input.press("Enter")
    expect(widget.bot_messages.last).to_contain_text("Sidste besked", timeout=10_000)

    assert_inert(widget)
    texts = widget.bot_messages.all_inner_texts()
    assert any('<img src=x onerror="window.__pwned = 1">' in t for t in texts)
    assert any("<script>window.__pwned = 2</script>" in t for t in texts)
    assert any(len(t) > 10_000 - 100 and t.rstrip().endswith('onerror="window.__pwned=7">') for t in texts)
    assert sorted(widget.shadow_eval(LINKS_IN_MESSAGES)) == sorted(ALLOWED_LINKS)
    # Buttons: titles are text; a button without a title or payload is left out.
    buttons = widget.bot_messages.last.get_by_role("button")
    expect(buttons).to_have_text(['<b onmouseover="window.__pwned=8">fed</b>'])
    buttons.first.hover()
    assert_inert(widget)

    # The widget still works afterwards, and the long message fits the panel.
    assert widget.shadow_eval("(root) => { const log = root.querySelector('.messages');"
                              " return log.scrollWidth <= log.clientWidth; }")
    widget.input.fill("igen")
    widget.input.press("Enter")
    expect(widget.bot_messages.last).to_have_text("Chatbotten skrev: Stadig her.")
    assert [m["message"] for m in standin.received] == ["hej", "igen"]


@pytest.mark.parametrize("message", HOSTILE_FROM_RESIDENT)
def test_hostile_text_typed_by_a_resident_is_shown_as_typed(demo: Widget, message):
    demo.open()
    demo.ask(message)
    expect(demo.user_messages.last).to_have_text("Du skrev: " + message)
    assert_inert(demo)
    expect(demo.user_messages.last.locator("a")).to_have_count(0)


def test_ten_thousand_characters_are_refused_with_a_danish_message(demo: Widget):
    demo.open()
    text = ("<img src=x onerror=window.__pwned=1> " * 300)[:10_000]
    demo.input.fill(text)
    demo.input.press("Enter")
    expect(demo.input_error).to_have_text(
        "Beskeden er for lang (10000 tegn). Skriv højst 1000 tegn.".replace("10000", str(len(text.strip()))))
    expect(demo.input).to_have_value(text)
    expect(demo.user_messages).to_have_count(0)
    assert_inert(demo)
