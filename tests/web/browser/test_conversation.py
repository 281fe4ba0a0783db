"""A resident's conversation through the widget on the demo page."""
import re

from playwright.sync_api import expect

from tests.web.browser.conftest import Widget

WELCOME_TOPICS = ["Hvad er helhedsplanen?", "Hjælp til job", "Familie og børn", "Hvem kan jeg kontakte?"]


def test_widget_opens_with_a_danish_welcome_and_topic_buttons(demo: Widget):
    expect(demo.panel).to_be_hidden()
    expect(demo.launcher).to_have_attribute("aria-expanded", "false")
    demo.open()
    expect(demo.launcher).to_have_attribute("aria-expanded", "true")
    expect(demo.bot_messages.first).to_contain_text("Hej! Jeg er en chatbot")
    expect(demo.bot_messages.first.get_by_role("button")).to_have_text(WELCOME_TOPICS)
    expect(demo.input).to_be_focused()


def test_danish_question_gets_the_right_answer_with_a_clickable_link(demo: Widget):
    demo.open()
    answer = demo.ask("hvad er jobplaneten")
    assert "jobplaneten.dk" in answer
    expect(demo.user_messages.last).to_have_text(re.compile("hvad er jobplaneten$"))
    link = demo.bot_messages.locator('a[href^="https://jobplaneten.dk"]').first
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")


def test_typing_indicator_shows_until_the_answer_arrives(demo: Widget):
    demo.open()
    demo.input.fill("hvad er ssp")
    shown_at_send = demo.shadow_eval(
        "(root) => { root.querySelector('form').requestSubmit(); return !root.querySelector('.typing').hidden; }"
    )
    assert shown_at_send
    demo.wait_for_answer(1)
    expect(demo.typing).to_be_hidden()


def test_quick_reply_sends_its_topic_and_the_buttons_go_away(demo: Widget):
    demo.open()
    demo.bot_messages.first.get_by_role("button", name="Hjælp til job").click()
    expect(demo.user_messages.last).to_have_text(re.compile("Hjælp til job$"))
    answer = demo.wait_for_answer(1)
    assert "Jobplaneten" in answer or "Fælles Fremtid" in answer
    expect(demo.bot_messages.first.get_by_role("button")).to_have_count(0)
    expect(demo.input).to_be_focused()


def test_phone_numbers_in_answers_are_tel_links(demo: Widget):
    demo.open()
    answer = demo.ask("hvad er kommunens telefonnummer")
    assert "56 67 67 67" in answer
    expect(demo.bot_messages.locator('a[href="tel:+4556676767"]').first).to_be_visible()


def test_history_and_conversation_survive_a_reload(demo: Widget):
    demo.open()
    demo.ask("min søn søger fritidsjob")
    texts_before = demo.messages.all_inner_texts()

    demo.page.reload()
    reloaded = Widget(demo.page)
    expect(reloaded.panel).to_be_visible()  # it was open, so it opens again
    expect(reloaded.messages).to_have_count(len(texts_before))
    assert reloaded.messages.all_inner_texts() == texts_before
    reloaded.wait_until_connected()
    # Rasa kept the conversation too: "dem" is understood as the initiative just named.
    assert "56 67 67 67" in reloaded.ask("hvordan kontakter jeg dem?")


STORED = """() => Object.fromEntries([['local', localStorage], ['session', sessionStorage]].map(
    ([name, storage]) => [name, Object.keys(storage).map((key) => key + '=' + storage.getItem(key)).join('\\n')]))"""


def test_personal_data_typed_by_the_resident_is_not_kept_in_the_browser(demo: Widget):
    demo.open()
    demo.ask("mit cpr-nummer er 010190-1234")
    demo.ask("ring på 22 33 44 55 eller skriv til anna.hansen@gmail.com")
    stored = demo.page.evaluate(STORED)
    for where in ("local", "session"):
        for written in ("010190", "0101901234", "22 33 44 55", "22334455", "anna.hansen@gmail.com"):
            assert written not in stored[where]
    # The conversation text is kept for this tab only, never in localStorage.
    assert "koege-chat:v1:history:" not in stored["local"]
    assert "mit cpr-nummer er [fjernet]" in stored["session"]

    demo.page.reload()
    reloaded = Widget(demo.page)
    expect(reloaded.user_messages.first).to_have_text("Du skrev: mit cpr-nummer er [fjernet]")
    expect(reloaded.user_messages.last).to_have_text("Du skrev: ring på [fjernet] eller skriv til [fjernet]")


def test_history_follows_the_resident_to_another_page(demo: Widget, web):
    demo.open()
    demo.ask("hvad er get2sport")
    texts_before = demo.messages.all_inner_texts()
    demo.page.goto(web + "/?side=2")
    moved = Widget(demo.page)
    expect(moved.messages).to_have_count(len(texts_before))
    assert moved.messages.all_inner_texts() == texts_before


def test_new_conversation_clears_the_history_and_starts_a_new_session(demo: Widget):
    demo.open()
    demo.ask("hvad er jobplaneten")
    old_session = demo.page.evaluate("JSON.parse(localStorage.getItem('koege-chat:v1:session')).id")

    demo.new_conversation.click()
    expect(demo.messages).to_have_count(1)
    expect(demo.bot_messages.first).to_contain_text("Hej! Jeg er en chatbot")
    new_session = demo.page.evaluate("JSON.parse(localStorage.getItem('koege-chat:v1:session')).id")
    assert new_session != old_session
    assert demo.page.evaluate(f"sessionStorage.getItem('koege-chat:v1:history:{old_session}')") is None

    demo.page.reload()
    reloaded = Widget(demo.page)
    expect(reloaded.messages).to_have_count(1)
    reloaded.wait_until_connected()
    assert "Get2Sport" in reloaded.ask("hvad er get2sport")


def test_question_right_after_new_conversation_is_answered(demo: Widget):
    demo.open()
    demo.ask("hvad er jobplaneten")
    demo.new_conversation.click()
    demo.wait_until_connected()
    assert "SSP" in demo.ask("hvad er ssp")
    expect(demo.messages).to_have_count(3)


def test_empty_and_too_long_messages_get_a_danish_explanation(demo: Widget):
    demo.open()
    demo.send_button.click()
    expect(demo.input_error).to_have_text("Skriv dit spørgsmål, før du trykker på Send.")
    expect(demo.input).to_have_attribute("aria-invalid", "true")

    long_text = "a" * 1001
    demo.input.fill(long_text)
    demo.input.press("Enter")
    expect(demo.input_error).to_contain_text("Beskeden er for lang (1001 tegn)")
    expect(demo.input).to_have_value(long_text)  # nothing typed is thrown away
    expect(demo.user_messages).to_have_count(0)


def test_keyboard_alone_opens_uses_and_closes_the_chat(demo: Widget):
    page = demo.page
    for _ in range(40):
        page.keyboard.press("Tab")
        if demo.shadow_eval("(root) => root.activeElement && root.activeElement.classList.contains('launcher')"):
            break
    else:
        raise AssertionError("The launcher cannot be reached with Tab")
    outline = demo.shadow_eval("(root) => getComputedStyle(root.activeElement).outlineStyle")
    assert outline != "none", "focus on the launcher is not visible"

    page.keyboard.press("Enter")
    expect(demo.panel).to_be_visible()
    expect(demo.input).to_be_focused()
    demo.wait_until_connected()
    page.keyboard.type("hvad er ssp")
    page.keyboard.press("Enter")
    demo.wait_for_answer(1)

    page.keyboard.press("Escape")
    expect(demo.panel).to_be_hidden()
    assert demo.shadow_eval("(root) => root.activeElement.classList.contains('launcher')")


def test_rasa_accepts_the_widget_from_another_origin(demo: Widget, stack):
    """The page (web app port) and Rasa (its own port) differ in origin: socket.io's
    HTTP long-polling handshake needs CORS headers from Rasa (`--cors "*"`)."""
    status = demo.page.evaluate(
        "async (url) => (await fetch(url + '/socket.io/?EIO=4&transport=polling')).status",
        stack["assistant"].url,
    )
    assert status == 200
