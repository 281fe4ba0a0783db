"""A staff member sees "Skal tjekkes" on the admin's front page in Chromium, presses
"Stadig rigtigt" on their own entry, and finds the check in its history; with
JavaScript and without it.

Runs against the shared stack (Rasa server, action server and web app on one
answer store), so the entry is put back as it was at the end.
"""
import re
from contextlib import contextmanager
from typing import Iterator, Tuple

import pytest
from playwright.sync_api import Page, expect

from bot.answer_store.review_dates import add_months
from bot.answer_store.times import danish_today
from bot.web.admin.review_forms import long_date
from tests.senders import new_sender_id

ENTRY, NAME = "jobplaneten", "Jobplaneten"


@contextmanager
def staff_member(stack_store, prefix: str = "tjekker", name: str = None) -> Iterator[Tuple[str, str]]:
    """A staff account for one test (``name``, or a new name from ``prefix``): (name, password);
    closed again at the end."""
    name = name or new_sender_id(prefix)
    password = f"adgangskode-til-{name}"
    stack_store.staff.add(name, password)
    try:
        yield name, password
    finally:
        stack_store.staff.set_active(name, False)


@contextmanager
def entries_put_back(stack_store, *entry_ids: str) -> Iterator[None]:
    """Whatever a test does to these entries, they are as they were afterwards."""
    originals = {entry_id: stack_store.entries.get(entry_id) for entry_id in entry_ids}
    try:
        yield
    finally:
        for entry_id, original in originals.items():
            current = stack_store.entries.get(entry_id)
            if current.data != original.data or current.retired != original.retired:
                stack_store.entries.restore(entry_id, original.version, current.version, "test")


def log_in(page: Page, name: str, password: str) -> None:
    page.get_by_label("Brugernavn").fill(name)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()


def due_row(page: Page, entry_name: str):
    """The entry's line in "Skal tjekkes"."""
    return page.locator("li.due-item").filter(has=page.get_by_role("link", name=entry_name, exact=True))


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_staff_member_marks_their_entry_still_right(stack, stack_store, web, new_page, javascript):
    today = danish_today()
    with staff_member(stack_store) as (name, password), entries_put_back(stack_store, ENTRY):
        # Jobplaneten is this staff member's, to be checked today.
        stored = stack_store.entries.get(ENTRY)
        stack_store.entries.update(ENTRY, {**stored.data, "owner": name, "review_due": today.isoformat()},
                                   stored.version, "test")
        before = stack_store.entries.get(ENTRY)

        page = new_page(web + "/admin/login", java_script_enabled=javascript)
        log_in(page, name, password)
        expect(page.get_by_role("heading", level=1)).to_have_text("Assistentens svar")

        # "Skal tjekkes": the staff member's own entry first, with its state, date, owner and last change.
        due = page.get_by_role("region", name=re.compile(r"^Skal tjekkes \(\d+\)$"))
        expect(due.get_by_role("heading", name="Dine svar (1)")).to_be_visible()
        row = due_row(page, NAME)
        expect(page.locator("li.due-item").first).to_contain_text(NAME)
        expect(row).to_contain_text("Skal tjekkes snart")
        expect(row).to_contain_text(f"Tjekkes senest: {long_date(today)} (i dag)")
        expect(row).to_contain_text(f"Ejer: {name}")
        expect(row).to_contain_text("Seneste ændring: Ejer ændret af test")

        row.get_by_role("button", name="Stadig rigtigt").click()

        next_check = add_months(today, stack_store.entries.periods.months_for("initiative"))
        expect(page.get_by_role("status")).to_have_text(
            f"»{NAME}« er markeret som tjekket. Næste tjek: {long_date(next_check)}.")
        expect(due_row(page, NAME)).to_have_count(0)
        expect(due.get_by_role("heading", name="Dine svar (0)")).to_be_visible()

        checked = stack_store.entries.get(ENTRY)
        assert checked.version == before.version + 1 and checked.updated_by == name
        assert checked.data == {**before.data, "review_due": next_check.isoformat()}  # the text as it was

        # Its history says who checked it, and when.
        page.get_by_role("region", name="Indsatser og samarbejder").get_by_role("link", name=NAME, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
        expect(page.get_by_role("region", name="Tjek af svaret")).to_contain_text(
            f"Tjekkes senest: {long_date(next_check)}")
        page.get_by_role("link", name="Se historik og tidligere versioner").click()
        newest = page.get_by_role("row").nth(1)
        expect(newest).to_contain_text(f"{checked.version} (nu)")
        expect(newest).to_contain_text(name)
        expect(newest).to_contain_text("Tjekket: stadig rigtigt")
        expect(newest).to_contain_text(re.compile(r"\d\d\.\d\d\.\d{4} kl\. \d\d:\d\d"))
