"""Writing with a staff member, in two browsers: a resident in the widget and a
staff member in the admin ("Live samtaler"), on the real servers.

The resident asks for a person and chooses "Skriv med en medarbejder nu"; the
staff member takes the conversation (a colleague who comes too late is told
who has it); messages go both ways while the assistant stays silent; the
resident sees the staff member typing; "Afslut" hands the conversation back,
and the assistant answers again.
"""
import re

from playwright.sync_api import expect

from tests.senders import new_sender_id
from tests.web.browser.conftest import ANSWER_TIMEOUT_MS, Widget, run_axe

LIVE_MS = 10_000


def log_in(new_page, web, stack_store, name, **context_options):
    password = f"adgangskode-til-{name}"
    stack_store.staff.add(name, password)
    page = new_page(web + "/admin/login", **context_options)
    page.get_by_label("Brugernavn").fill(name)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assistentens svar")
    return page


def test_a_resident_and_a_staff_member_write_with_each_other(web, demo, new_page, stack_store):
    resident = demo.open()
    resident.ask("jeg vil tale med et menneske")
    resident.host.get_by_role("button", name="Skriv med en medarbejder nu").click()
    expect(resident.bot_messages.last).to_contain_text("Du er nr. 1 i køen", timeout=ANSWER_TIMEOUT_MS)
    line = resident.host.locator("p.live-status")
    expect(line).to_have_text("Du er nr. 1 i køen til en medarbejder.", timeout=LIVE_MS)

    staff = log_in(new_page, web, stack_store, new_sender_id("mette"))
    colleague = log_in(new_page, web, stack_store, new_sender_id("ali"))
    staff.goto(web + "/admin/live")
    waiting = staff.locator("#live-waiting li.live-chat.waiting").last
    expect(waiting).to_contain_text("Chat på hjemmesiden")
    chat_id = waiting.get_attribute("data-chat")
    colleague.goto(web + f"/admin/live/{chat_id}")  # about to take it too
    waiting.get_by_label("Dit fornavn (vises for borgeren, frivilligt)").fill("Mette")
    waiting.locator("button.take").click()
    expect(staff).to_have_url(re.compile(rf"/admin/live/{chat_id}$"))
    # One wins; the colleague who clicks a moment later is told who has it.
    colleague.get_by_role("button", name="Tag samtalen").click()
    expect(colleague.get_by_role("alert")).to_contain_text("har allerede taget samtalen")

    expect(resident.bot_messages.last).to_have_text(re.compile("Mette fra Køge Kommune skriver med dig nu"),
                                                    timeout=LIVE_MS)
    expect(line).to_have_text("Du skriver med Mette fra Køge Kommune.", timeout=LIVE_MS)

    # Typing, then a message to the resident, shown with who wrote it.
    staff.get_by_label("Din besked til borgeren").press_sequentially("Hej, jeg hedder Mette", delay=20)
    expect(resident.typing).to_be_visible(timeout=LIVE_MS)
    expect(resident.typing).to_contain_text("Medarbejderen skriver")
    staff.get_by_role("button", name="Send", exact=True).click()
    staff_message = resident.log.locator("div.from-bot").filter(has_text="Hej, jeg hedder Mette")
    expect(staff_message).to_be_visible(timeout=LIVE_MS)
    expect(staff_message.locator("p.from")).to_have_text("Mette, Køge Kommune")
    expect(staff.get_by_label("Din besked til borgeren")).to_have_value("")

    # The resident answers: the staff member sees it, the assistant says nothing.
    before = resident.bot_messages.count()
    resident.input.fill("jeg skal bruge hjælp til en jobansøgning")
    resident.input.press("Enter")
    expect(staff.locator("#live-messages li.from-resident").last).to_have_text(
        re.compile("jeg skal bruge hjælp til en jobansøgning"), timeout=LIVE_MS)
    resident.page.wait_for_timeout(2000)
    assert resident.bot_messages.count() == before
    expect(resident.log.locator("div.is-problem")).to_have_count(0)  # no "no answer" while staff write

    # Afslut: back to the assistant, and the resident is told.
    staff.locator("#live-end").click()
    expect(resident.bot_messages.last).to_contain_text("Nu svarer chatbotten dig igen", timeout=LIVE_MS)
    expect(line).to_be_hidden(timeout=LIVE_MS)
    assert "jobplaneten.dk" in resident.ask("hvad er jobplaneten")
    assert stack_store.live_chats.get(int(chat_id)).ended_by == "staff"


def test_the_widget_and_the_staff_page_during_a_live_chat_have_no_serious_accessibility_problem(
        web, new_page, stack_store):
    # Both pages' CSP forbids injected scripts, axe-core included: bypassed for the check only.
    resident = Widget(new_page(web + "/", bypass_csp=True)).open()
    resident.ask("/live_chat")
    sender = resident.page.evaluate("JSON.parse(localStorage.getItem('koege-chat:v1:session')).id")
    chat = stack_store.live_chats.open_for(sender)
    name = new_sender_id("mette")
    staff = log_in(new_page, web, stack_store, name, bypass_csp=True)
    staff.goto(web + "/admin/live")
    assert run_axe(staff) == [], "the queue"
    staff.locator(f"button.take[data-chat='{chat.id}']").click()
    expect(staff).to_have_url(re.compile(rf"/admin/live/{chat.id}$"))
    stack_store.live_chats.send(chat.id, name, "Hej fra en medarbejder")
    expect(resident.log.locator("p.from").last).to_have_text("Medarbejder", timeout=LIVE_MS)
    expect(resident.host.locator("p.live-status")).to_be_visible(timeout=LIVE_MS)
    assert run_axe(resident.page) == [], "the widget while a staff member writes"
    resident.input.fill("tak")
    resident.input.press("Enter")
    expect(staff.locator("#live-messages li.from-resident")).to_have_count(1, timeout=LIVE_MS)
    assert run_axe(staff) == [], "the chat page"
    staff.locator("#live-end").click()
