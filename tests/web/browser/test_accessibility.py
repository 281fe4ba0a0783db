"""WCAG 2.1 AA checks in the browser: axe-core, zoom and reflow, reduced motion, contrast."""
import pytest
from playwright.sync_api import expect

from tests.web.browser.conftest import DESKTOP, PHONE, Widget, run_axe
from tests.web.browser.standin_server import StandInServer
from tests.web.browser.test_review_checked import entries_put_back, log_in, staff_member

# 200% zoom of a 1280×720 screen lays the page out in 640×360 CSS pixels;
# 320 CSS pixels wide is WCAG's reflow case (1.4.10).
ZOOMED_200 = {"width": 640, "height": 360}
REFLOW = {"width": 320, "height": 640}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_axe_finds_no_serious_or_critical_violations(web, new_page, viewport):
    # The demo page's CSP forbids injected scripts, axe-core included: bypass it for the check.
    page = new_page(web + "/", viewport=viewport, bypass_csp=True)
    widget = Widget(page)
    assert run_axe(page) == [], "closed widget"
    widget.open()
    widget.ask("hvem kan jeg kontakte")  # links and buttons in the answer
    widget.send_button.click()  # and the error message of an empty message
    expect(widget.input_error).to_be_visible()
    assert run_axe(page) == [], "open widget with a conversation"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE, REFLOW], ids=["desktop", "phone", "reflow-320"])
def test_skal_tjekkes_and_the_entry_page_pass_axe_and_reflow(stack_store, web, new_page, viewport):
    """The admin's front page with "Skal tjekkes" (own entries, reasons, "Stadig rigtigt"), the list of
    all, and an entry page with its check and owner fields: no axe violations, no sideways scrolling."""
    with staff_member(stack_store, "tilgaengelig") as (name, password), entries_put_back(stack_store, "get2sport"):
        stored = stack_store.entries.get("get2sport")
        stack_store.entries.update("get2sport", {**stored.data, "owner": name}, stored.version, "test")
        page = new_page(web + "/admin", viewport=viewport, bypass_csp=True)
        log_in(page, name, password)
        expect(page.get_by_role("heading", name="Dine svar (1)")).to_be_visible()
        for path in ("/admin", "/admin?tjek=alle", "/admin/entries/periode", "/admin/entries/get2sport"):
            page.goto(web + path)
            assert run_axe(page) == [], path
            assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), path


@pytest.mark.parametrize("viewport", [ZOOMED_200, REFLOW], ids=["zoom-200", "reflow-320"])
def test_chat_fills_the_screen_without_horizontal_scrolling_when_zoomed(web, new_page, viewport):
    widget = Widget(new_page(web + "/", viewport=viewport))
    widget.open()
    widget.ask("hvad er jobplaneten")
    box = widget.panel.bounding_box()
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, viewport["width"], viewport["height"])
    for control in (widget.input, widget.send_button, widget.new_conversation):
        expect(control).to_be_in_viewport()
    assert widget.shadow_eval("(root) => root.querySelector('.panel').scrollWidth"
                              " <= root.querySelector('.panel').clientWidth")


def test_typing_animation_stops_when_the_resident_prefers_reduced_motion(web, new_page):
    widget = Widget(new_page(web + "/", reduced_motion="reduce"))
    widget.open()
    animation = widget.shadow_eval("(root) => getComputedStyle(root.querySelector('.dots span')).animationName")
    assert animation == "none"


def test_controls_have_danish_names(demo: Widget):
    demo.open()
    host = demo.host
    expect(host.get_by_role("dialog", name="Spørg om helhedsplanen")).to_be_visible()
    expect(host.get_by_role("button", name="Luk chatten")).to_be_visible()
    expect(host.get_by_role("button", name="Ny samtale")).to_be_visible()
    expect(host.get_by_role("textbox", name="Skriv dit spørgsmål")).to_be_visible()
    expect(host.get_by_role("log", name="Samtale")).to_have_attribute("aria-live", "polite")


@pytest.mark.parametrize("colour, text_colour", [("#ffd700", "rgb(0, 0, 0)"), ("#5a2d82", "rgb(255, 255, 255)")])
def test_any_colour_an_editor_picks_keeps_readable_text(web, stack, new_page, colour, text_colour):
    server_url = stack["assistant"].url
    with StandInServer() as pages:  # only its page server is used here
        pages.pages["/farve"] = (
            '<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Farve</title></head><body>'
            '<main><h1>Side</h1></main>'
            f'<script src="{web}/widget/widget.js" data-server-url="{server_url}"'
            f' data-color="{colour}" data-open="true"></script></body></html>'
        )
        page = new_page(pages.url + "/farve")
        widget = Widget(page)
        expect(widget.panel).to_be_visible()
        widget.wait_until_connected()
        assert widget.shadow_eval("(root) => getComputedStyle(root.querySelector('.header')).color") == text_colour
        assert [v for v in run_axe(page) if v["id"] == "color-contrast"] == []
