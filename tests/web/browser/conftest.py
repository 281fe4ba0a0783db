"""Browser fixtures: Debian's Chromium, headless, driven by Playwright.

No browser is downloaded: Playwright drives /usr/bin/chromium (`.ci/run`
installs it with apt). Each test gets a fresh browser context, so its own
localStorage and a new conversation.
"""
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from bench.servers.chromium import CHROMIUM, CHROMIUM_ARGS, DESKTOP  # noqa: F401 - the tests import DESKTOP from here
from bot.config import PROJECT_ROOT

HERE = Path(__file__).resolve().parent
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
ANSWER_TIMEOUT_MS = 30_000


def pytest_collection_modifyitems(items):
    """Browser tests need the real servers: they run with the integration tests."""
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.integration)
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: `apt-get install -y chromium` (.ci/run does it).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """Open pages in fresh contexts; fails the test on any script error in the page."""
    contexts, errors = [], []

    def open_page(url: str, **context_options) -> Page:
        context = browser.new_context(locale="da-DK", viewport=context_options.pop("viewport", DESKTOP),
                                      **context_options)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(url)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == [], f"Script errors in the page: {errors}"


class Widget:
    """What a resident sees and does, in a page that embeds the widget."""

    def __init__(self, page: Page):
        self.page = page
        self.host = page.locator("#koege-chat")
        self.launcher = self.host.locator("button.launcher")
        self.panel = self.host.locator("section.panel")
        self.log = self.host.locator("div.messages")
        self.messages = self.log.locator("div.message")
        self.bot_messages = self.log.locator("div.from-bot")
        self.user_messages = self.log.locator("div.from-user")
        self.input = self.host.get_by_label("Skriv dit spørgsmål")
        self.send_button = self.host.get_by_role("button", name="Send", exact=True)
        self.new_conversation = self.host.get_by_role("button", name="Ny samtale")
        self.notice = self.host.locator("p.notice")
        self.input_error = self.host.locator("p.input-error")
        self.typing = self.host.locator("p.typing")

    def open(self) -> "Widget":
        expect(self.launcher).to_be_visible()
        self.launcher.click()
        expect(self.panel).to_be_visible()
        self.wait_until_connected()
        return self

    def wait_until_connected(self) -> None:
        expect(self.host).to_have_attribute("data-state", "ready", timeout=ANSWER_TIMEOUT_MS)

    def ask(self, question: str) -> str:
        """Type a question, send it, return the text of the answer(s) that follow it."""
        before = self.bot_messages.count()
        self.input.fill(question)
        self.input.press("Enter")
        return self.wait_for_answer(before)

    def wait_for_answer(self, bot_messages_before: int) -> str:
        expect(self.bot_messages.nth(bot_messages_before)).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
        expect(self.typing).to_be_hidden()
        self.page.wait_for_timeout(300)  # Rasa sends a long answer in parts, one right after another
        return "\n".join(self.bot_messages.all_inner_texts()[bot_messages_before:])

    def shadow_eval(self, script: str, arg=None):
        """Run ``script`` (a function of the shadow root and arg) in the page."""
        return self.page.evaluate(
            f"([arg]) => ({script})(document.querySelector('#koege-chat').shadowRoot, arg)", [arg]
        )


@pytest.fixture
def demo(web, new_page):
    """The demo page on a desktop screen, with the widget not yet opened."""
    return Widget(new_page(web + "/"))


def run_axe(page: Page) -> list:
    """Serious and critical axe-core violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in violations if v["impact"] in ("serious", "critical")
    ]
