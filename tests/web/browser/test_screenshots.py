"""Screenshots of the widget for README and of the admin for the staff guide (docs/screenshots/),
written on every run."""
import datetime

import pytest

from bot.answer_store.times import danish_today
from bot.config import PROJECT_ROOT
from tests.web.browser.conftest import DESKTOP, PHONE, Widget
from tests.web.browser.test_review_checked import entries_put_back, log_in, staff_member

SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"


@pytest.mark.parametrize("name, viewport", [("widget-desktop", DESKTOP), ("widget-phone", PHONE)])
def test_screenshot_of_a_conversation(web, new_page, name, viewport):
    page = new_page(web + "/", viewport=viewport, reduced_motion="reduce")
    widget = Widget(page).open()
    widget.ask("hvad er jobplaneten")
    widget.ask("hvordan kontakter jeg dem?")
    widget.input.fill("Hvornår")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000


def test_screenshot_of_skal_tjekkes(stack_store, web, new_page):
    """The admin's front page as a staff member with two entries of their own to check sees it."""
    today = danish_today()
    with staff_member(stack_store, name="anna") as (name, password), \
            entries_put_back(stack_store, "jobplaneten", "get2sport"):
        for entry_id, due in (("jobplaneten", today - datetime.timedelta(days=9)),
                              ("get2sport", today + datetime.timedelta(days=5))):
            stored = stack_store.entries.get(entry_id)
            stack_store.entries.update(entry_id, {**stored.data, "owner": name, "review_due": due.isoformat()},
                                       stored.version, name)
        page = new_page(web + "/admin", viewport=DESKTOP, reduced_motion="reduce")
        log_in(page, name, password)
        page.get_by_role("heading", name="Dine svar (2)").wait_for()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / "admin-skal-tjekkes.png"
        # The top of the page: their own entries, then the others', a passed date quoted.
        page.screenshot(path=str(path), full_page=True,
                        clip={"x": 0, "y": 0, "width": DESKTOP["width"], "height": 1100})
        assert path.stat().st_size > 10_000
