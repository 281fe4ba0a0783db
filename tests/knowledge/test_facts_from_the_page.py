"""Every number, e-mail and web address the answer data states is on the
municipality's page: the assistant must not invent facts."""
import re

import pytest

from bot.config import PROJECT_ROOT

SEED_PAGE = PROJECT_ROOT.parent / "shared" / "seed" / "koege-boligsocial-helhedsplan.txt"
# Danish emergency numbers, stated on purpose beside the page's facts.
NATIONAL_NUMBERS = {"112", "114"}
MONTHS = "januar februar marts april maj juni juli august september oktober november december".split()


@pytest.fixture(scope="module")
def page():
    # Fails, never skips: without the page this test would pass in CI while checking nothing.
    assert SEED_PAGE.exists(), f"The municipality's page must be at {SEED_PAGE} (../shared beside the project)."
    return re.sub(r"\s+", " ", SEED_PAGE.read_text(encoding="utf-8"))


def texts(kb):
    for entry in kb.entries.values():
        fields = [entry.summary, entry.details, entry.phone, entry.email, entry.address, entry.url, entry.hours]
        for text in filter(None, fields):
            yield entry.id, text


def test_phone_numbers_are_on_the_page(kb, page):
    page_digits = re.sub(r"\D", "", page)
    for entry_id, text in texts(kb):
        for number in re.findall(r"\d{2} \d{2} \d{2} \d{2}", text):
            assert number.replace(" ", "") in page_digits, (entry_id, number)


def test_emails_are_on_the_page(kb, page):
    for entry_id, text in texts(kb):
        for email in re.findall(r"[\w.-]+@[\w.-]+\.\w+", text):
            assert email in page, (entry_id, email)


def test_web_addresses_are_on_the_page(kb, page):
    for entry_id, text in texts(kb):
        for domain in re.findall(r"https://([\w.-]+)", text):
            assert domain.lower() in page.lower(), (entry_id, domain)


def test_other_numbers_are_on_the_page(kb, page):
    for entry_id, text in texts(kb):
        without_phones = re.sub(r"\d{2} \d{2} \d{2} \d{2}", "", text)
        for number in re.findall(r"\d+(?:-\d+)?", without_phones):
            assert number in page or number in NATIONAL_NUMBERS, (entry_id, number)


def test_dates_are_on_the_page(kb, page):
    for entry_id, text in texts(kb):
        for day, month, year in re.findall(r"(\d+)\. (\w+) (\d{4})", text):
            assert month in MONTHS and f"{day}. {month} {year}" in page, (entry_id, day, month, year)
