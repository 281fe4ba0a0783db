"""Residents who write in other languages, in the widget: each message with its
language and direction, the widget's own texts following the conversation."""
import re

from playwright.sync_api import expect

from bot.config import PROJECT_ROOT
from tests.web.browser.conftest import DESKTOP, PHONE, Widget, run_axe

SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"
ARABIC_DANGER = "زوجي يضربني كل يوم وأنا خائفة"
ARABIC_JOB = "مرحبا، أحتاج مساعدة في العثور على عمل"


def _ask(widget: Widget, question: str) -> str:
    before = widget.bot_messages.count()
    widget.host.locator("#kc-input").fill(question)
    widget.host.locator("#kc-input").press("Enter")
    return widget.wait_for_answer(before)


def test_an_arabic_conversation_reads_right_to_left(web, new_page):
    for name, viewport in (("widget-arabic", DESKTOP), ("widget-arabic-phone", PHONE)):
        page = new_page(web + "/", viewport=viewport, reduced_motion="reduce", bypass_csp=True)
        widget = Widget(page).open()
        answer = _ask(widget, ARABIC_DANGER)
        assert "112" in answer and "1888" in answer
        danger = widget.bot_messages.nth(1)
        expect(danger).to_have_attribute("lang", "ar")
        expect(danger.locator(".bubble")).to_have_attribute("dir", "rtl")
        expect(widget.user_messages.last).to_have_attribute("lang", "ar")
        # A new conversation (after a danger answer, the next message is read as part of the danger).
        widget.new_conversation.click()
        widget.wait_until_connected()
        _ask(widget, ARABIC_JOB)
        # What can be done in Arabic, right to left; the Danish answer after it, left to right.
        arabic, danish = widget.bot_messages.nth(1), widget.bot_messages.nth(2)
        expect(arabic).to_have_attribute("lang", "ar")
        expect(arabic.locator(".bubble")).to_have_attribute("dir", "rtl")
        # The choice of English, on the newest message (the one whose buttons a widget shows).
        expect(widget.bot_messages.last.get_by_role("button", name="English")).to_be_visible()
        expect(danish).to_have_attribute("lang", "da")
        expect(danish.locator(".bubble")).to_have_attribute("dir", "ltr")
        expect(widget.host.locator("#kc-input")).to_have_attribute("dir", "auto")
        # The bubble's text starts at its right edge.
        align = widget.shadow_eval("(root) => getComputedStyle(root.querySelectorAll('.from-bot .bubble')[1])"
                                   ".textAlign")
        assert align in ("right", "start")
        assert run_axe(page) == [], name
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_english_chosen_in_the_menu_switches_the_widget_and_the_answers(web, new_page):
    widget = Widget(new_page(web + "/")).open()
    before = widget.bot_messages.count()
    widget.host.get_by_label("Vælg sprog").select_option("en")
    reply = widget.wait_for_answer(before)
    assert re.search(r"English", reply)
    expect(widget.host.get_by_role("textbox", name="Write your question")).to_be_visible()
    expect(widget.host.get_by_role("button", name="New conversation")).to_be_visible()
    answer = _ask(widget, "what is Jobplaneten?")
    assert "https://jobplaneten.dk" in answer
    expect(widget.bot_messages.last).to_have_attribute("lang", "en")
    # Kept with the conversation: a reload keeps English.
    widget.page.reload()
    expect(widget.host.get_by_role("button", name="Close chat")).to_be_visible()


def test_switching_language_mid_conversation(web, new_page):
    widget = Widget(new_page(web + "/")).open()
    english = _ask(widget, "i need help finding a job for my son")
    expect(widget.bot_messages.last).to_have_attribute("lang", "en")
    expect(widget.host.get_by_role("textbox", name="Write your question")).to_be_visible()
    assert "Fælles Fremtid" in english or "Jobplaneten" in english
    _ask(widget, "hvad laver køge kvindenetværk")
    expect(widget.bot_messages.last).to_have_attribute("lang", "da")
    expect(widget.host.get_by_role("textbox", name="Skriv dit spørgsmål")).to_be_visible()
