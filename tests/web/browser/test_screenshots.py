"""Screenshots of the widget for README (docs/screenshots/), written on every run."""
import pytest

from bot.config import PROJECT_ROOT
from tests.web.browser.conftest import DESKTOP, PHONE, Widget

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
