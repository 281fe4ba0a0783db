"""Residents ask the real assistant; a staff member sees it on the dashboard
and in the inbox: inline SVG charts with non-zero bars and their numbers, the
unanswered question listed without the resident's name or phone number.

Runs against the shared stack (Rasa server, action server and web app on one
conversation store), where other tests talk too: the figures are at least
what this test added.
"""
import re

from playwright.sync_api import Page, expect

from tests.web.browser.conftest import run_axe
from tests.senders import new_sender_id

ANSWERED = ["hvad er jobplaneten", "hvem kan jeg kontakte"]
UNANSWERED = "kan jeg bestille en pizza med ananas her"
PERSONAL = "jeg hedder Fatima, ring på 22 33 44 55: hvad bliver vejret i morgen"
CANNOT_HELP = "ikke hjælpe med"


def log_in(page: Page, name: str, password: str) -> None:
    page.get_by_label("Brugernavn").fill(name)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()


def rect_heights(page: Page, svg_id: str) -> list:
    """The drawn height (in CSS pixels) of every bar in the chart."""
    return page.eval_on_selector_all(f"#{svg_id} rect", "rects => rects.map(r => r.getBoundingClientRect().height)")


def numbers_in(text: str) -> list:
    return [int(n.replace(".", "")) for n in re.findall(r"\d[\d.]*", text)]


def test_dashboard_and_inbox_show_what_residents_asked(stack, stack_store, web, new_page):
    assistant = stack["assistant"]
    web_resident, sms_like, unsure = new_sender_id("beboer"), new_sender_id("beboer"), new_sender_id("beboer")
    for question in ANSWERED:
        assert CANNOT_HELP not in assistant.text(web_resident, question)
    assert CANNOT_HELP in assistant.text(unsure, UNANSWERED)
    reply = assistant.text(sms_like, PERSONAL)
    assert CANNOT_HELP in reply

    name = new_sender_id("overblik")
    password = f"adgangskode-til-{name}"
    stack_store.staff.add(name, password)
    try:
        page = new_page(web + "/admin/dashboard", bypass_csp=True)  # bypass only so axe-core can be injected
        log_in(page, name, password)
        expect(page.get_by_role("heading", level=1)).to_have_text("Overblik")

        # Conversations per day: the charts are SVG, drawn, with bars of some height.
        chart = page.locator("svg#samtaler-diagram")
        expect(chart).to_be_visible()
        assert chart.get_attribute("role") == "img"
        assert sum(rect_heights(page, "samtaler-diagram")) > 0
        assert "REST" in page.locator("#samtaler .legend").inner_text()
        # The numbers behind it, for screen readers: today's row counts at least our three residents.
        page.get_by_text("Se tallene for hver dag").first.click()
        today = page.locator("#samtaler table tbody tr").last
        assert numbers_in(today.locator("td").last.inner_text())[0] >= 3

        # Top topics: horizontal bars, the question about Jobplaneten among them.
        assert sum(rect_heights(page, "emner-diagram")) > 0
        expect(page.locator("#emner-diagram")).to_contain_text("En bestemt indsats")

        # The share answered: a ring with a percentage, and the counts in words.
        expect(page.locator("#besvaret-diagram")).to_contain_text("%")
        caption = page.locator("#besvaret figcaption").inner_text()
        answered, questions, unanswered = numbers_in(caption)[:3]
        assert questions >= 4 and unanswered >= 2 and answered + unanswered == questions

        figures = page.locator(".key-figures").first.inner_text()
        assert "Borgere, der har skrevet" in figures and "Ønsker om opringning" in figures

        # Checking the answers: the answer about Jobplaneten came from one entry (its subject slot).
        checks = page.locator("#tjek-overskrift + .key-figures")
        expect(checks).to_contain_text("Tjekdato overskredet i dag")
        from_entries = page.get_by_text(re.compile(r"Af de [\d.]+ svar i perioden, der kom fra én bestemt post"))
        assert numbers_in(from_entries.inner_text())[0] >= 1
        assert run_axe(page) == [], "dashboard"

        # The inbox: the question it could not answer, without the resident's name or number.
        page.get_by_role("navigation", name="Administration").get_by_role("link", name="Ubesvarede spørgsmål").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Ubesvarede spørgsmål")
        inbox = page.locator("table.inbox")
        expect(inbox).to_contain_text("pizza")
        expect(inbox).to_contain_text("vejret i morgen")
        content = page.content()
        assert "Fatima" not in content and "22 33 44 55" not in content
        expect(inbox.get_by_role("button", name=re.compile("^Markér som klaret")).first).to_be_visible()
        assert run_axe(page) == [], "inbox"

        # "Tilføj et svar" opens a new answer with the question filled in.
        row = inbox.locator("tr", has_text="vejret i morgen").first
        row.get_by_role("link", name=re.compile("^Tilføj et svar")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Ny post"))
        expect(page.get_by_label("Navn", exact=False).first).to_have_value(re.compile("vejret i morgen"))
    finally:
        stack_store.staff.set_active(name, False)
